-- The source files in the folder, those in quarantine now, and those in quarantine when the last
-- load that published a snapshot ended (its load_run row's table_rows).
SELECT (SELECT count(*) FROM raw_post WHERE is_current AND deleted_at IS NULL) AS files,
       (SELECT count(*) FROM rejected_post) AS quarantined,
       coalesce((SELECT table_rows['rejected_post'] FROM load_run
                 WHERE status = 'success' ORDER BY finished_at DESC LIMIT 1), 0) AS published_quarantined

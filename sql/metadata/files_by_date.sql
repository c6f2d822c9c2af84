-- What one scan found on each post date that holds files it saw or found gone: files seen (every
-- file of the run's dates present now), new, changed (a new version of a stored path) and deleted.
-- $now is the scan's time stamp, which it wrote to last_seen_at and deleted_at of what it touched;
-- `run_changes` (post_path, change) lists the paths it stored as 'new' or 'changed'.
WITH touched AS (
    SELECT post_path, partition_date, last_seen_at = $now AS seen, deleted_at IS NOT DISTINCT FROM $now AS deleted
    FROM raw_post
    WHERE is_current AND (last_seen_at = $now OR deleted_at = $now)
)
SELECT
    touched.partition_date AS day,
    count(*) FILTER (WHERE seen) AS seen,
    count(*) FILTER (WHERE run_changes.change = 'new') AS new,
    count(*) FILTER (WHERE run_changes.change = 'changed') AS changed,
    count(*) FILTER (WHERE deleted) AS deleted
FROM touched
LEFT JOIN run_changes ON run_changes.post_path = touched.post_path
GROUP BY ALL
ORDER BY day NULLS LAST

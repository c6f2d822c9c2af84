-- $since of an asset's check step: when the last clean check step of $asset ran, a clean step being
-- one that ran every ERROR check of the asset ($error_checks) and failed none (WARN checks may have
-- failed; a step that ran only some checks, from the UI, is not clean). NULL when no step has run
-- clean yet: then every row is still to be validated. A step that failed a blocking check does not
-- move $since, so the rows it refused are checked again on every load until one fixes them. The time
-- is that of the ERROR checks: the run's other checks of the asset (rejected_posts) may come later.
SELECT max(checked_at) AS since
FROM (
    SELECT max(checked_at) FILTER (WHERE severity = 'ERROR') AS checked_at
    FROM dq_result
    WHERE asset = $asset
    GROUP BY run_id
    HAVING bool_and(passed OR severity <> 'ERROR')
       AND list_has_all(list(check_name) FILTER (WHERE severity = 'ERROR'), $error_checks)
) AS clean_step

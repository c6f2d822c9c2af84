-- $since of an asset's check step: when the last clean check step of $asset ran, a clean step being
-- one in which none of the asset's ERROR checks failed (WARN checks may have). NULL when no step has
-- run clean yet: then every row is still to be validated. A step that failed a blocking check does
-- not move $since, so the rows it refused are checked again on every load until one fixes them.
SELECT max(checked_at) AS since
FROM (
    SELECT max(checked_at) AS checked_at
    FROM dq_result
    WHERE asset = $asset
    GROUP BY run_id
    HAVING bool_and(passed OR severity <> 'ERROR')
) AS clean_step

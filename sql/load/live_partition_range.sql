-- Dates of files the warehouse believes still exist: a full load must cover them to see deletions.
SELECT min(partition_date), max(partition_date)
FROM raw_post
WHERE is_current AND deleted_at IS NULL

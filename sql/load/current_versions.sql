-- What the warehouse believes each path holds now: compared with the disk to find changes.
SELECT post_path, content_sha256, deleted_at IS NOT NULL AS deleted, partition_date, size_bytes, mtime_ns
FROM raw_post
WHERE is_current

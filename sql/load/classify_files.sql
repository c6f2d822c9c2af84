-- Every file in the folder ($listing: path, size, mtime) and every path the warehouse holds as
-- present, with what a scan must do about it:
--   untouched  same path, size and mtime as stored with its current version (a version that was
--              read whole): the same file, not read again ($trust_stamps false: never);
--   read       anything else on disk: new, reappeared, changed, or stored without a stamp;
--   vanished   held as present, gone from the folder.
-- With what the warehouse holds for the path (its current version's hash, whether it is marked
-- deleted, and the partition it was loaded under).
WITH current_version AS (
    SELECT post_path, content_sha256, deleted_at IS NOT NULL AS deleted, partition_date, size_bytes, mtime_ns
    FROM raw_post
    WHERE is_current
)
SELECT coalesce(listing.post_path, current_version.post_path) AS post_path,
       CASE
           WHEN listing.post_path IS NULL THEN 'vanished'
           WHEN $trust_stamps
                AND NOT current_version.deleted
                AND current_version.mtime_ns IS NOT NULL
                AND listing.mtime_ns = current_version.mtime_ns
                AND listing.size_bytes = current_version.size_bytes THEN 'untouched'
           ELSE 'read'
       END AS action,
       current_version.content_sha256 AS stored_sha256,
       current_version.deleted AS stored_deleted,
       current_version.partition_date AS stored_partition_date
FROM listing
FULL OUTER JOIN current_version USING (post_path)
WHERE listing.post_path IS NOT NULL OR NOT current_version.deleted

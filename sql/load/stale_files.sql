-- Files the stamps do not vouch for, comparing the folder ($listing: path, size, mtime) with the
-- current versions in raw_post: new or reappeared files, files whose size or mtime changed or whose
-- version has no stamp, and stored files that vanished (with the partition they were loaded under).
WITH present AS (
    SELECT post_path, size_bytes, mtime_ns, partition_date
    FROM raw_post
    WHERE is_current AND deleted_at IS NULL
)
SELECT coalesce(listing.post_path, present.post_path) AS post_path,
       listing.post_path IS NOT NULL AS on_disk,
       present.partition_date
FROM listing
FULL OUTER JOIN present USING (post_path)
WHERE present.post_path IS NULL
   OR listing.post_path IS NULL
   OR present.mtime_ns IS NULL
   OR listing.mtime_ns IS DISTINCT FROM present.mtime_ns
   OR listing.size_bytes IS DISTINCT FROM present.size_bytes

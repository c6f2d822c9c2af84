-- The end of a scan ($scan_plan: `classify_files.sql` of this scan): files in the run's dates
-- ($covered_dates; NULL stands for files without a date) found untouched by their stamps, and those
-- read and found unchanged ($seen, with the stamp they have now), are marked seen; files gone from
-- the folder ($vanished) are marked deleted and their articles queued. Quarantined files of the run's
-- dates are queued again, unchanged as they are: a reason can pass without an edit (a date that was
-- in the future, a size over ETL_MAX_POST_BYTES since raised), and a file that is still bad is
-- rejected again with its reason.
UPDATE raw_post SET last_seen_at = $now
FROM scan_plan
WHERE raw_post.is_current AND raw_post.post_path = scan_plan.post_path
  AND scan_plan.action = 'untouched'
  AND EXISTS (SELECT 1 FROM covered_dates WHERE covered_dates.day IS NOT DISTINCT FROM scan_plan.stored_partition_date);

UPDATE raw_post SET last_seen_at = $now, mtime_ns = seen.mtime_ns
FROM seen
WHERE raw_post.is_current AND raw_post.post_path = seen.post_path
  AND raw_post.content_sha256 = seen.content_sha256;

UPDATE raw_post SET deleted_at = $now
WHERE is_current AND deleted_at IS NULL AND post_path IN (SELECT post_path FROM vanished);

INSERT INTO pending_article
SELECT DISTINCT article_id, $now FROM raw_post
WHERE is_current AND post_path IN (SELECT post_path FROM vanished)
ON CONFLICT DO NOTHING;

INSERT INTO pending_article
SELECT DISTINCT raw_post.article_id, $now
FROM rejected_post
JOIN raw_post ON raw_post.post_path = rejected_post.post_path AND raw_post.is_current AND raw_post.deleted_at IS NULL
WHERE raw_post.post_path IN (SELECT post_path FROM seen)
   OR EXISTS (SELECT 1 FROM covered_dates WHERE covered_dates.day IS NOT DISTINCT FROM raw_post.partition_date)
ON CONFLICT DO NOTHING;

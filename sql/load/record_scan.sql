-- The end of a scan: files found unchanged ($seen) are marked seen (with the stamp they have now),
-- files gone from the folder ($vanished) are marked deleted and their articles queued.
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

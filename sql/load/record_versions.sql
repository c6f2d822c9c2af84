-- New and changed files ($incoming): retire the path's previous version, then insert this one
-- (or revive it, when a file went back to a version already stored).
UPDATE raw_post SET is_current = false
WHERE is_current AND post_path IN (SELECT post_path FROM incoming);

INSERT INTO raw_post BY NAME
SELECT post_path, content_sha256, article_id, partition_date, size_bytes, raw_text, raw_bytes, read_error,
       true AS is_current, NULL::TIMESTAMPTZ AS deleted_at,
       $now AS first_seen_at, $now AS last_seen_at, $run_id AS first_run_id
FROM incoming
ON CONFLICT (post_path, content_sha256) DO UPDATE
SET is_current = true, deleted_at = NULL, last_seen_at = excluded.last_seen_at;

UPDATE raw_post SET last_seen_at = $now
FROM seen
WHERE raw_post.is_current AND raw_post.post_path = seen.post_path
  AND raw_post.content_sha256 = seen.content_sha256;

UPDATE raw_post SET deleted_at = $now
WHERE is_current AND deleted_at IS NULL AND post_path IN (SELECT post_path FROM vanished);

INSERT INTO pending_article
SELECT DISTINCT article_id, $now FROM affected
ON CONFLICT DO NOTHING;

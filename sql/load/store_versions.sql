-- One batch of new and changed files ($incoming): retire each path's previous version, insert this
-- one (or revive it, when a file went back to a version already stored) and queue its article.
UPDATE raw_post SET is_current = false
WHERE is_current AND post_path IN (SELECT post_path FROM incoming);

INSERT INTO raw_post BY NAME
SELECT post_path, content_sha256, article_id, partition_date, size_bytes, mtime_ns,
       decode(text_utf8) AS raw_text, raw_bytes, read_error, true AS is_current, NULL::TIMESTAMPTZ AS deleted_at,
       $now AS first_seen_at, $now AS last_seen_at, $run_id AS first_run_id
FROM incoming
ON CONFLICT (post_path, content_sha256) DO UPDATE
SET is_current = true, deleted_at = NULL, last_seen_at = excluded.last_seen_at, mtime_ns = excluded.mtime_ns;

INSERT INTO pending_article
SELECT DISTINCT article_id, $now FROM incoming
ON CONFLICT DO NOTHING;

-- Current versions of every file of the queued articles $first..$last (a batch of the queue), as
-- the file's bytes: the exact ones kept for a file that is not UTF-8, else the UTF-8 of its text.
SELECT r.post_path, r.content_sha256, r.article_id, coalesce(r.raw_bytes, encode(r.raw_text)) AS raw,
       r.read_error, r.deleted_at IS NOT NULL AS deleted
FROM raw_post AS r
JOIN pending_article AS p USING (article_id)
WHERE r.is_current AND r.article_id BETWEEN $first AND $last
ORDER BY r.article_id, r.post_path

-- Current versions of every file of every article waiting to be rebuilt.
SELECT r.post_path, r.content_sha256, r.article_id, r.raw_text, r.raw_bytes, r.read_error,
       r.deleted_at IS NOT NULL AS deleted, r.partition_date
FROM raw_post AS r
JOIN pending_article AS p USING (article_id)
WHERE r.is_current
ORDER BY r.article_id, r.post_path

-- Articles that raw_post holds a live current file of, but that have no article row although no
-- such file is quarantined: rows deleted from a derived table, which the next load rebuilds.
SELECT DISTINCT r.article_id
FROM raw_post AS r
WHERE r.is_current
  AND r.deleted_at IS NULL
  AND r.article_id NOT IN (SELECT article_id FROM article)
  AND NOT EXISTS (SELECT 1 FROM rejected_post AS q
                  WHERE q.post_path = r.post_path AND q.content_sha256 = r.content_sha256)

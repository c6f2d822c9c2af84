-- The quarantine as it stands: the files whose current version (present in the posts folder) could
-- not become an article, with the reason, by path; $limit of them, each row with the total (failing).
SELECT q.post_path, q.reason, q.field_name, q.line_number, q.rejected_at, count(*) OVER () AS failing
FROM rejected_post AS q
JOIN raw_post AS r
  ON r.post_path = q.post_path AND r.content_sha256 = q.content_sha256 AND r.is_current AND r.deleted_at IS NULL
ORDER BY q.post_path
LIMIT $limit

-- The whole tag dimension (a few hundred rows at most).
SELECT tag_id, name, kind
FROM tag
ORDER BY tag_id

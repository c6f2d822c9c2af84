-- The tags of the latest load's articles, plus every article_tag row (any load) whose article or tag
-- is missing: orphan_article_id / unknown_tag_id are NULL unless the row points nowhere.
WITH batch AS (SELECT article_id FROM article WHERE loaded_at = (SELECT max(loaded_at) FROM article))
SELECT link.article_id,
       link.tag_id,
       CASE WHEN a.article_id IS NULL THEN link.article_id END AS orphan_article_id,
       CASE WHEN t.tag_id IS NULL THEN link.tag_id END AS unknown_tag_id
FROM article_tag AS link
LEFT JOIN article AS a ON a.article_id = link.article_id
LEFT JOIN tag AS t ON t.tag_id = link.tag_id
WHERE link.article_id IN (SELECT article_id FROM batch) OR a.article_id IS NULL OR t.tag_id IS NULL
ORDER BY link.article_id, link.tag_id

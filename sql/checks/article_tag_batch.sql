-- The tags of the articles loaded since the last clean check of the article_tags asset ($since; NULL:
-- all of them), plus every article_tag row (any load) whose article or tag is missing:
-- orphan_article_id / unknown_tag_id are NULL unless the row points nowhere.
WITH new_article AS (
    SELECT article_id FROM article WHERE loaded_at > coalesce($since, '-infinity'::TIMESTAMPTZ)
)
SELECT link.article_id,
       link.tag_id,
       CASE WHEN a.article_id IS NULL THEN link.article_id END AS orphan_article_id,
       CASE WHEN t.tag_id IS NULL THEN link.tag_id END AS unknown_tag_id
FROM article_tag AS link
LEFT JOIN article AS a ON a.article_id = link.article_id
LEFT JOIN tag AS t ON t.tag_id = link.tag_id
WHERE link.article_id IN (SELECT article_id FROM new_article) OR a.article_id IS NULL OR t.tag_id IS NULL
ORDER BY link.article_id, link.tag_id

-- The mentions of the articles loaded since the last clean check of the stock_mentions asset ($since;
-- NULL: all of them), plus every stock_mention row (any load) whose article is missing
-- (orphan_article_id is NULL unless the row points nowhere). secid_from_parts is what market_id and
-- code say the secid should be.
WITH new_article AS (
    SELECT article_id FROM article WHERE loaded_at > coalesce($since, '-infinity'::TIMESTAMPTZ)
)
SELECT m.article_id,
       m.secid,
       m.market_id,
       m.code,
       m.market_id::VARCHAR || '.' || m.code AS secid_from_parts,
       m.security_type,
       m.mention_count,
       CASE WHEN a.article_id IS NULL THEN m.article_id END AS orphan_article_id
FROM stock_mention AS m
LEFT JOIN article AS a ON a.article_id = m.article_id
WHERE m.article_id IN (SELECT article_id FROM new_article) OR a.article_id IS NULL
ORDER BY m.article_id, m.secid

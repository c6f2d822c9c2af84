-- One row per pair of securities mentioned in the same article, over all dates: how many articles
-- mention both. Each pair appears once, with secid_a < secid_b (text order); boards, funds and
-- indices pair like stocks (filter on security_type_a/_b). Articles deleted from the source
-- (article.deleted_from_source) are left out; undated articles count. A security named without a
-- code pairs like any other; coded_articles counts the articles that give both with a code or markup.
-- Articles that mention more than 100 securities (a list of index members, a market table) are left
-- out: pairs grow with the square of the mentions, and such a list says nothing about pairs.
CREATE OR REPLACE VIEW stock_co_mentions AS
WITH listed AS (
    SELECT *
    FROM stock_mention
    WHERE article_id IN (SELECT article_id FROM stock_mention GROUP BY article_id HAVING count(*) <= 100)
)
SELECT a.secid AS secid_a,
       sa.name AS name_a,
       a.security_type AS security_type_a,
       b.secid AS secid_b,
       sb.name AS name_b,
       b.security_type AS security_type_b,
       count(*) AS articles,
       count(*) FILTER (WHERE a.sources <> ['name'] AND b.sources <> ['name']) AS coded_articles,
       min(art.published_date) AS first_date,
       max(art.published_date) AS last_date
FROM listed AS a
JOIN listed AS b ON b.article_id = a.article_id AND a.secid < b.secid
JOIN article AS art ON art.article_id = a.article_id
LEFT JOIN security AS sa ON sa.secid = a.secid
LEFT JOIN security AS sb ON sb.secid = b.secid
WHERE NOT art.deleted_from_source
GROUP BY a.secid, sa.name, a.security_type, b.secid, sb.name, b.security_type
ORDER BY articles DESC, secid_a, secid_b;
COMMENT ON VIEW stock_co_mentions IS 'One row per pair of securities mentioned together in at least one article (secid_a < secid_b), over all dates; articles deleted from the source, and articles mentioning more than 100 securities (lists), are left out.';
COMMENT ON COLUMN stock_co_mentions.secid_a IS 'The first security of the pair (the smaller secid as text).';
COMMENT ON COLUMN stock_co_mentions.name_a IS 'Latest name of secid_a.';
COMMENT ON COLUMN stock_co_mentions.security_type_a IS 'Type of secid_a: stock, fund, board, index, bond or unknown.';
COMMENT ON COLUMN stock_co_mentions.secid_b IS 'The second security of the pair (the larger secid as text).';
COMMENT ON COLUMN stock_co_mentions.name_b IS 'Latest name of secid_b.';
COMMENT ON COLUMN stock_co_mentions.security_type_b IS 'Type of secid_b.';
COMMENT ON COLUMN stock_co_mentions.articles IS 'Articles that mention both securities.';
COMMENT ON COLUMN stock_co_mentions.first_date IS 'Publication date of the earliest such article (NULL when none is dated).';
COMMENT ON COLUMN stock_co_mentions.last_date IS 'Publication date of the latest such article.';
COMMENT ON COLUMN stock_co_mentions.coded_articles IS 'Of those articles, the ones that give both securities with a code or EastMoney markup (neither by name alone).';

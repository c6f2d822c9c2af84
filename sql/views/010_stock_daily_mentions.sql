-- One row per publication day and security: how many articles mentioned the security that day and
-- how often. All security types (stocks, funds, boards, indices, bonds); filter on security_type.
-- Mentions by name alone count like coded ones; coded_articles and coded_mentions count only those
-- given with a code or EastMoney markup.
-- Left out: articles deleted from the source (article.deleted_from_source, kept in `article` as
-- history) and articles with no publication date.
CREATE OR REPLACE VIEW stock_daily_mentions AS
SELECT a.published_date,
       m.secid,
       s.name,
       s.exchange,
       m.security_type,
       count(*) AS articles,
       sum(m.mention_count)::BIGINT AS mentions,
       count(*) FILTER (WHERE m.sources <> ['name']) AS coded_articles,
       coalesce(sum(m.mention_count) FILTER (WHERE m.sources <> ['name']), 0)::BIGINT AS coded_mentions,
       max(m.relevance) AS top_relevance
FROM stock_mention AS m
JOIN article AS a ON a.article_id = m.article_id
LEFT JOIN security AS s ON s.secid = m.secid
WHERE NOT a.deleted_from_source
  AND a.published_date IS NOT NULL
GROUP BY a.published_date, m.secid, s.name, s.exchange, m.security_type
ORDER BY a.published_date, m.secid;
COMMENT ON VIEW stock_daily_mentions IS 'One row per publication day and security mentioned that day; articles deleted from the source and undated articles are left out.';
COMMENT ON COLUMN stock_daily_mentions.published_date IS 'Publication date (Asia/Shanghai) of the articles counted.';
COMMENT ON COLUMN stock_daily_mentions.secid IS 'EastMoney security id MARKET.CODE.';
COMMENT ON COLUMN stock_daily_mentions.name IS 'Latest name of the security (security.name).';
COMMENT ON COLUMN stock_daily_mentions.exchange IS 'Exchange or market of the security (security.exchange).';
COMMENT ON COLUMN stock_daily_mentions.security_type IS 'stock, fund, board, index, bond or unknown.';
COMMENT ON COLUMN stock_daily_mentions.articles IS 'Articles published that day that mention the security.';
COMMENT ON COLUMN stock_daily_mentions.mentions IS 'Occurrences in those articles (sum of stock_mention.mention_count), by code, markup or name.';
COMMENT ON COLUMN stock_daily_mentions.coded_articles IS 'Of those articles, the ones that give the security with a code or EastMoney markup (not by name alone).';
COMMENT ON COLUMN stock_daily_mentions.coded_mentions IS 'Occurrences in the coded articles only.';
COMMENT ON COLUMN stock_daily_mentions.top_relevance IS 'The highest stock_mention.relevance among those articles: near 1 when some article is about the security, at most 1/7 when all name it in passing.';

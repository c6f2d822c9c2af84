-- One row per mentioned security, aggregated over all articles (exchange is added in Python).
SELECT m.secid,
       any_value(m.market_id) AS market_id,
       any_value(m.code) AS code,
       any_value(m.security_type) AS security_type,
       arg_max(m.name, coalesce(a.published_at, a.published_date::TIMESTAMPTZ)) FILTER (WHERE m.name IS NOT NULL) AS name,
       min(a.published_date) AS first_seen_date,
       max(a.published_date) AS last_seen_date,
       count(DISTINCT m.article_id)::INTEGER AS article_count
FROM stock_mention AS m
JOIN article AS a USING (article_id)
GROUP BY m.secid
ORDER BY m.secid

-- One row per security mentioned by a live article, aggregated over the live articles (exchange is
-- added in Python). Articles deleted from the source are left out, as the views leave them out: a
-- warehouse loaded bit by bit then holds what a clean load of the same folder would.
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
WHERE NOT a.deleted_from_source
GROUP BY m.secid
ORDER BY m.secid

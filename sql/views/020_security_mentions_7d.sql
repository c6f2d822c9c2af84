-- One row per end date and security mentioned in the 7 days ending on that date (end date
-- included): its articles and mentions in that window and in the 7 days before it. End dates run
-- over every calendar day from the first to the last publication date in the data. Built on
-- stock_daily_mentions, so deleted and undated articles are left out, and mentions by name alone
-- count (coded_articles_7d counts only the articles that give a code or EastMoney markup).
-- top_stocks_7d and top_boards_7d rank these rows.
CREATE OR REPLACE VIEW security_mentions_7d AS
WITH end_dates AS (
    SELECT unnest(generate_series(min(published_date), max(published_date), INTERVAL 1 DAY))::DATE AS end_date
    FROM article
    WHERE NOT deleted_from_source
), windows AS (
    SELECT e.end_date,
           d.secid,
           d.name,
           d.exchange,
           d.security_type,
           sum(d.articles) FILTER (WHERE d.published_date > e.end_date - 7) AS articles_7d,
           sum(d.mentions) FILTER (WHERE d.published_date > e.end_date - 7) AS mentions_7d,
           sum(d.coded_articles) FILTER (WHERE d.published_date > e.end_date - 7) AS coded_articles_7d,
           sum(d.articles) FILTER (WHERE d.published_date <= e.end_date - 7) AS articles_prev_7d,
           sum(d.mentions) FILTER (WHERE d.published_date <= e.end_date - 7) AS mentions_prev_7d
    FROM end_dates AS e
    JOIN stock_daily_mentions AS d
      ON d.published_date BETWEEN e.end_date - 13 AND e.end_date
    GROUP BY e.end_date, d.secid, d.name, d.exchange, d.security_type
)
SELECT end_date,
       end_date - 6 AS start_date,
       secid,
       name,
       exchange,
       security_type,
       articles_7d::BIGINT AS articles_7d,
       mentions_7d::BIGINT AS mentions_7d,
       coalesce(coded_articles_7d, 0)::BIGINT AS coded_articles_7d,
       coalesce(articles_prev_7d, 0)::BIGINT AS articles_prev_7d,
       coalesce(mentions_prev_7d, 0)::BIGINT AS mentions_prev_7d
FROM windows
WHERE articles_7d > 0
ORDER BY end_date, secid;
COMMENT ON VIEW security_mentions_7d IS 'One row per end date and security mentioned in the 7 days ending that date, with the 7 days before for comparison; every calendar day of the data is an end date.';
COMMENT ON COLUMN security_mentions_7d.end_date IS 'Last day of the 7-day window (included).';
COMMENT ON COLUMN security_mentions_7d.start_date IS 'First day of the 7-day window: end_date - 6.';
COMMENT ON COLUMN security_mentions_7d.secid IS 'EastMoney security id MARKET.CODE.';
COMMENT ON COLUMN security_mentions_7d.name IS 'Latest name of the security (security.name).';
COMMENT ON COLUMN security_mentions_7d.exchange IS 'Exchange or market of the security.';
COMMENT ON COLUMN security_mentions_7d.security_type IS 'stock, fund, board, index, bond or unknown.';
COMMENT ON COLUMN security_mentions_7d.articles_7d IS 'Articles published start_date..end_date that mention the security (at least 1).';
COMMENT ON COLUMN security_mentions_7d.mentions_7d IS 'Occurrences in those articles.';
COMMENT ON COLUMN security_mentions_7d.articles_prev_7d IS 'Articles in the 7 days before start_date that mention the security (0 when none).';
COMMENT ON COLUMN security_mentions_7d.mentions_prev_7d IS 'Occurrences in the 7 days before start_date (0 when none).';
COMMENT ON COLUMN security_mentions_7d.coded_articles_7d IS 'Of articles_7d, those that give the security with a code or EastMoney markup (not by name alone).';

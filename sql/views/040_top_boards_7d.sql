-- One row per end date and security mentioned in the 7 days ending on that date, ranked within the
-- end date by articles, then mentions. Covers EastMoney boards and sectors (security_type 'board',
-- market 90), such as 90.BK0473.
-- Rows come from security_mentions_7d: deleted and undated articles are left out; articles naming
-- the security without a code count (coded_articles_7d: only those with a code or markup). For "last week",
-- take end_date = the latest publication date in the data, not today.
CREATE OR REPLACE VIEW top_boards_7d AS
SELECT rank() OVER (PARTITION BY end_date ORDER BY articles_7d DESC, mentions_7d DESC) AS rank,
       end_date,
       start_date,
       secid,
       name,
       exchange,
       security_type,
       articles_7d,
       mentions_7d,
       coded_articles_7d,
       articles_prev_7d,
       articles_7d - articles_prev_7d AS articles_change
FROM security_mentions_7d
WHERE security_type = 'board'
ORDER BY end_date DESC, rank, secid;
COMMENT ON VIEW top_boards_7d IS 'One row per end date and board mentioned in the 7 days ending that date, ranked by articles then mentions.';
COMMENT ON COLUMN top_boards_7d.rank IS 'Rank within the end date: 1 = most articles (ties broken by mentions; equal rows share a rank).';
COMMENT ON COLUMN top_boards_7d.end_date IS 'Last day of the 7-day window (included).';
COMMENT ON COLUMN top_boards_7d.start_date IS 'First day of the 7-day window: end_date - 6.';
COMMENT ON COLUMN top_boards_7d.secid IS 'EastMoney security id MARKET.CODE.';
COMMENT ON COLUMN top_boards_7d.name IS 'Latest name of the security (security.name).';
COMMENT ON COLUMN top_boards_7d.exchange IS 'Exchange or market of the security.';
COMMENT ON COLUMN top_boards_7d.security_type IS 'Always board.';
COMMENT ON COLUMN top_boards_7d.articles_7d IS 'Articles in the window that mention the security.';
COMMENT ON COLUMN top_boards_7d.mentions_7d IS 'Occurrences in those articles.';
COMMENT ON COLUMN top_boards_7d.articles_prev_7d IS 'Articles in the 7 days before the window (0 when none).';
COMMENT ON COLUMN top_boards_7d.articles_change IS 'articles_7d - articles_prev_7d: positive when the security is rising.';
COMMENT ON COLUMN top_boards_7d.coded_articles_7d IS 'Of articles_7d, those that give the security with a code or EastMoney markup (not by name alone).';

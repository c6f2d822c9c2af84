-- Which stocks were mentioned most last week?
-- "Last week" is the 7 days ending on the latest publication date in the data, not today, so the
-- answer is the same whenever you ask. Covers every security that is not a board (stocks, also
-- funds and indices: see security_type); boards are in rising_boards.sql and top_boards_7d.
-- Run: etl sql --file sql/queries/top_stocks_last_week.sql
SELECT rank,
       secid,
       name,
       exchange,
       security_type,
       articles_7d AS articles,
       mentions_7d AS mentions,
       articles_prev_7d AS articles_week_before,
       start_date,
       end_date
FROM top_stocks_7d
WHERE end_date = (SELECT max(published_date) FROM article WHERE NOT deleted_from_source)
ORDER BY rank, secid
LIMIT 10;

-- Which boards (sectors) are rising?
-- Boards mentioned in more articles in the last 7 days than in the 7 days before, where "last 7
-- days" ends on the latest publication date in the data (not today). A board new this week counts
-- as rising from 0.
-- Run: etl sql --file sql/queries/rising_boards.sql
SELECT secid,
       name,
       articles_7d AS articles_last_week,
       articles_prev_7d AS articles_week_before,
       articles_change,
       mentions_7d AS mentions_last_week,
       start_date,
       end_date
FROM top_boards_7d
WHERE end_date = (SELECT max(published_date) FROM article WHERE NOT deleted_from_source)
  AND articles_change > 0
ORDER BY articles_change DESC, articles_7d DESC, secid
LIMIT 20;

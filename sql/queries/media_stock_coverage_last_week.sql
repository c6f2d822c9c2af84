-- Which media cover stocks most, last week?
-- Per media, the articles of the last 7 days and the share that mention at least one stock; "last
-- 7 days" ends on the latest publication date in the data, not today. Articles that name no source
-- are shown as "(no source named)".
-- Run: etl sql --file sql/queries/media_stock_coverage_last_week.sql
WITH latest AS (
    SELECT max(published_date) AS end_date FROM article WHERE NOT deleted_from_source
)
SELECT coalesce(media, '(no source named)') AS media,
       sum(articles) AS articles,
       sum(articles_with_stocks) AS articles_with_stocks,
       round(sum(articles_with_stocks) / sum(articles), 4) AS stock_share
FROM media_daily, latest
WHERE published_date BETWEEN latest.end_date - 6 AND latest.end_date
GROUP BY media
ORDER BY articles_with_stocks DESC, articles DESC, media;

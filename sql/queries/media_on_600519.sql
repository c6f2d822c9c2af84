-- Which media write about 600519 (贵州茅台, Kweichow Moutai)?
-- Articles of each media that mention the security, over all dates. Media is the source named in
-- the article's attribution; articles that name none (most EastMoney rolling-feed digests) are
-- shown as "(no source named)". Change the secid to ask about another security.
-- Run: etl sql --file sql/queries/media_on_600519.sql
SELECT coalesce(media, '(no source named)') AS media,
       count(*) AS articles,
       min(published_date) AS first_date,
       max(published_date) AS last_date
FROM article_search
WHERE list_contains(secids, '1.600519')
GROUP BY media
ORDER BY articles DESC, media;

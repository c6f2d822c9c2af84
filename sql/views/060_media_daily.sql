-- One row per publication day and media (the source named in the attribution, 文章来源): how many
-- articles it published that day and the share of them that mention any security, or a stock
-- (security_type 'stock'). media is NULL for articles that name no source, most of the 2021-12
-- EastMoney rolling-feed digests: they form one NULL row per day. Articles deleted from the source
-- and undated articles are left out.
CREATE OR REPLACE VIEW media_daily AS
WITH article_flags AS (
    SELECT a.article_id,
           a.published_date,
           a.media,
           count(m.secid) > 0 AS mentions_any,
           count(m.secid) FILTER (WHERE m.security_type = 'stock') > 0 AS mentions_stock
    FROM article AS a
    LEFT JOIN stock_mention AS m ON m.article_id = a.article_id
    WHERE NOT a.deleted_from_source
      AND a.published_date IS NOT NULL
    GROUP BY a.article_id, a.published_date, a.media
)
SELECT published_date,
       media,
       count(*) AS articles,
       count(*) FILTER (WHERE mentions_any) AS articles_with_mentions,
       count(*) FILTER (WHERE mentions_stock) AS articles_with_stocks,
       round(count(*) FILTER (WHERE mentions_any) / count(*), 4) AS mention_share,
       round(count(*) FILTER (WHERE mentions_stock) / count(*), 4) AS stock_share
FROM article_flags
GROUP BY published_date, media
ORDER BY published_date, media NULLS LAST;
COMMENT ON VIEW media_daily IS 'One row per publication day and media (NULL media: articles naming no source), with the share of articles that mention a security or a stock; deleted and undated articles are left out.';
COMMENT ON COLUMN media_daily.published_date IS 'Publication date (Asia/Shanghai).';
COMMENT ON COLUMN media_daily.media IS 'Source media from the attribution (article.media); NULL groups the articles that name none.';
COMMENT ON COLUMN media_daily.articles IS 'Articles of this media published that day.';
COMMENT ON COLUMN media_daily.articles_with_mentions IS 'Of those, articles that mention at least one security of any type.';
COMMENT ON COLUMN media_daily.articles_with_stocks IS 'Of those, articles that mention at least one stock (security_type stock).';
COMMENT ON COLUMN media_daily.mention_share IS 'articles_with_mentions / articles, rounded to 4 decimals.';
COMMENT ON COLUMN media_daily.stock_share IS 'articles_with_stocks / articles, rounded to 4 decimals.';

-- One row per publication day and tag or category: how many articles carry it that day. Both kinds
-- are here (kind 'tag', the media name + 新闻, and kind 'category', the pinyin); an article with an
-- emnews and a media copy carries the tags of both. Articles deleted from the source and undated
-- articles are left out.
CREATE OR REPLACE VIEW tag_daily AS
SELECT a.published_date,
       t.tag_id,
       t.name,
       t.kind,
       count(*) AS articles
FROM article_tag AS art_tag
JOIN tag AS t ON t.tag_id = art_tag.tag_id
JOIN article AS a ON a.article_id = art_tag.article_id
WHERE NOT a.deleted_from_source
  AND a.published_date IS NOT NULL
GROUP BY a.published_date, t.tag_id, t.name, t.kind
ORDER BY a.published_date, t.tag_id;
COMMENT ON VIEW tag_daily IS 'One row per publication day and tag or category, with the number of articles carrying it; deleted and undated articles are left out.';
COMMENT ON COLUMN tag_daily.published_date IS 'Publication date (Asia/Shanghai).';
COMMENT ON COLUMN tag_daily.tag_id IS 'The tag (tag.tag_id: kind and name, as tag:东财滚动新闻).';
COMMENT ON COLUMN tag_daily.name IS 'The tag or category as written in the front matter.';
COMMENT ON COLUMN tag_daily.kind IS 'tag or category.';
COMMENT ON COLUMN tag_daily.articles IS 'Articles published that day that carry the tag.';

-- One row per article, with its tags, categories and mentioned securities flattened into lists for
-- ad hoc filtering: list_contains(secids, '1.600519'), list_contains(names, '贵州茅台'),
-- list_contains(tags, '证券时报新闻'), title LIKE '%茅台%'. secids, names and security_types are
-- aligned (same order, by secid). Articles deleted from the source are left out (query `article`
-- for them); undated articles stay, with NULL dates, at the end.
CREATE OR REPLACE VIEW article_search AS
WITH tags AS (
    SELECT art_tag.article_id,
           list(t.name ORDER BY t.name) FILTER (WHERE t.kind = 'tag') AS tags,
           list(t.name ORDER BY t.name) FILTER (WHERE t.kind = 'category') AS categories
    FROM article_tag AS art_tag
    JOIN tag AS t ON t.tag_id = art_tag.tag_id
    GROUP BY art_tag.article_id
), mentions AS (
    SELECT m.article_id,
           list(m.secid ORDER BY m.secid) AS secids,
           list(coalesce(s.name, m.name) ORDER BY m.secid) AS names,
           list(m.security_type ORDER BY m.secid) AS security_types,
           sum(m.mention_count)::BIGINT AS mentions
    FROM stock_mention AS m
    LEFT JOIN security AS s ON s.secid = m.secid
    GROUP BY m.article_id
)
SELECT a.article_id,
       a.published_at,
       a.published_date,
       a.media,
       a.category,
       a.title,
       coalesce(t.tags, []) AS tags,
       coalesce(t.categories, []) AS categories,
       coalesce(m.secids, []) AS secids,
       coalesce(m.names, []) AS names,
       coalesce(m.security_types, []) AS security_types,
       coalesce(m.mentions, 0) AS mentions,
       a.digest,
       a.body_text,
       a.source_url
FROM article AS a
LEFT JOIN tags AS t ON t.article_id = a.article_id
LEFT JOIN mentions AS m ON m.article_id = a.article_id
WHERE NOT a.deleted_from_source
ORDER BY a.published_at DESC NULLS LAST, a.article_id;
COMMENT ON VIEW article_search IS 'One row per article (deleted from the source: left out) with its tags, categories and mentioned securities as lists, for ad hoc filtering.';
COMMENT ON COLUMN article_search.article_id IS 'The article (article.article_id).';
COMMENT ON COLUMN article_search.published_at IS 'Publication time; NULL when unknown.';
COMMENT ON COLUMN article_search.published_date IS 'Publication date (Asia/Shanghai).';
COMMENT ON COLUMN article_search.media IS 'Source media from the attribution; NULL when the article names none.';
COMMENT ON COLUMN article_search.category IS 'Jekyll category of the most complete copy (article.category).';
COMMENT ON COLUMN article_search.title IS 'Headline; NULL when every copy left it empty.';
COMMENT ON COLUMN article_search.tags IS 'Names of the article''s tags of kind tag (media name + 新闻), sorted; empty list when none.';
COMMENT ON COLUMN article_search.categories IS 'Names of the article''s categories (pinyin), over all its copies, sorted.';
COMMENT ON COLUMN article_search.secids IS 'Securities the article mentions, sorted by secid; empty list when none.';
COMMENT ON COLUMN article_search.names IS 'Latest name of each security in secids (same order; the name as written when the dimension has none; NULL when never named).';
COMMENT ON COLUMN article_search.security_types IS 'Type of each security in secids (same order).';
COMMENT ON COLUMN article_search.mentions IS 'Occurrences of all securities in the article text (sum of mention_count); 0 when none.';
COMMENT ON COLUMN article_search.digest IS 'The summary line above the HTML body, when the post has one.';
COMMENT ON COLUMN article_search.body_text IS 'Clean article text (article.body_text), for LIKE / ILIKE searches.';
COMMENT ON COLUMN article_search.source_url IS 'Original EastMoney article URL.';

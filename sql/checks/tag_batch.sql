-- The whole tag dimension (a few hundred rows at most), when an article was loaded since the last
-- clean check of the article_tags asset ($since; NULL: always); otherwise nothing. Tags come only
-- from articles: if no article changed since then, neither did the tags.
SELECT tag_id, name, kind
FROM tag
WHERE EXISTS (SELECT 1 FROM article WHERE loaded_at > coalesce($since, '-infinity'::TIMESTAMPTZ))
ORDER BY tag_id

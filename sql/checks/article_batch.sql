-- The batch the articles asset just wrote: every article of the latest load (one loaded_at per run).
-- title is trimmed and '' when missing, so "no title" is one test; disagreeing_titles is NULL unless
-- the article's copies disagree on the title.
SELECT article_id,
       best_post_path,
       coalesce(trim(title), '') AS title,
       published_at,
       layout,
       body_text,
       CASE WHEN len(title_variants) > 0 THEN array_to_string(title_variants, ' ｜ ') END AS disagreeing_titles
FROM article
WHERE loaded_at = (SELECT max(loaded_at) FROM article)
ORDER BY article_id

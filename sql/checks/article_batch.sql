-- The articles loaded since the last clean check of the articles asset ($since; NULL: all of them).
-- title is trimmed and '' when missing, so "no title" is one test; body_length is 0 when the body has
-- no text but whitespace (the body itself is not read: at 100k articles it was most of the memory),
-- and NULL when the layout is digest_only: no text is expected then, and expectations skip NULLs;
-- disagreeing_titles is NULL unless the article's copies disagree on the title.
SELECT article_id,
       best_post_path,
       coalesce(trim(title), '') AS title,
       published_at,
       layout,
       CASE WHEN layout = 'digest_only' THEN NULL
            WHEN regexp_matches(body_text, '\S') THEN length(body_text)
            ELSE 0 END AS body_length,
       CASE WHEN len(title_variants) > 0 THEN array_to_string(title_variants, ' ｜ ') END AS disagreeing_titles
FROM article
WHERE loaded_at > coalesce($since, '-infinity'::TIMESTAMPTZ)
ORDER BY article_id

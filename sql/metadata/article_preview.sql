-- The articles asset's preview: the table as it is now (newest articles first), whatever the run
-- loaded, so that a run with nothing new still shows the data.
SELECT article_id, published_at, media, left(title, 40) AS title, layout, loaded_at
FROM article
WHERE NOT deleted_from_source
ORDER BY published_at DESC NULLS LAST, article_id
LIMIT 5

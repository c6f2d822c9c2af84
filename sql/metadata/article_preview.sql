SELECT article_id, published_at, media, left(title, 40) AS title, layout
FROM article
WHERE loaded_at = $loaded_at
ORDER BY published_at DESC NULLS LAST, article_id
LIMIT 5

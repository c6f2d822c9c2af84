-- The text of every article not already queued for name matching, title, digest and body joined
-- by line breaks (a name never spans them): what a changed name is searched in.
SELECT article_id, concat_ws(chr(10), title, digest, body_text) AS text
FROM article
WHERE article_id NOT IN (SELECT article_id FROM pending_name_match)

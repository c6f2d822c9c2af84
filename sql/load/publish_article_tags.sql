-- Move staged tags of rebuilt articles into tag / article_tag, replacing what those articles had.
DELETE FROM article_tag WHERE article_id IN (SELECT article_id FROM staged_article_tag);
INSERT INTO tag
SELECT tag_id, any_value(name), any_value(kind) FROM staged_article_tag
WHERE tag_id IS NOT NULL GROUP BY tag_id
ON CONFLICT DO NOTHING;
INSERT INTO article_tag
SELECT DISTINCT article_id, tag_id FROM staged_article_tag WHERE tag_id IS NOT NULL;
DELETE FROM staged_article_tag;

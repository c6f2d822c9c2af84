-- Swap in rebuilt articles ($built_article, $built_tag, $built_mention, $new_rejection) and
-- clear the queue they came from, as one unit.
DELETE FROM article WHERE article_id IN (SELECT article_id FROM built_article);
INSERT INTO article BY NAME SELECT *, $now AS loaded_at FROM built_article;

DELETE FROM rejected_post WHERE article_id IN (SELECT article_id FROM pending_batch);
INSERT INTO rejected_post BY NAME SELECT *, $now AS rejected_at FROM new_rejection;

DELETE FROM staged_article_tag WHERE article_id IN (SELECT article_id FROM built_article);
INSERT INTO staged_article_tag BY NAME SELECT * FROM built_tag;
DELETE FROM staged_stock_mention WHERE article_id IN (SELECT article_id FROM built_article);
INSERT INTO staged_stock_mention BY NAME SELECT * FROM built_mention;

DELETE FROM pending_article WHERE article_id IN (SELECT article_id FROM pending_batch);

-- Before a rebuild: rows of derived tables whose article raw_post does not hold (no stored file
-- version feeds it) cannot be derived again, so a rebuild from raw_post leaves them out.
DELETE FROM article_tag WHERE article_id NOT IN (SELECT article_id FROM raw_post);
DELETE FROM stock_mention WHERE article_id NOT IN (SELECT article_id FROM raw_post);
DELETE FROM staged_article_tag WHERE article_id NOT IN (SELECT article_id FROM raw_post);
DELETE FROM staged_stock_mention WHERE article_id NOT IN (SELECT article_id FROM raw_post);
DELETE FROM pending_name_match WHERE article_id NOT IN (SELECT article_id FROM raw_post);
DELETE FROM article WHERE article_id NOT IN (SELECT article_id FROM raw_post);

-- Move staged mentions of rebuilt articles into stock_mention, replacing what those articles had,
-- and queue the articles for name matching (etl/warehouse/names.py), which completes their rows
-- (also_secids is for mentions by name alone: a coded mention has none).
DELETE FROM stock_mention WHERE article_id IN (SELECT article_id FROM staged_stock_mention);
INSERT INTO stock_mention BY NAME
SELECT article_id, secid, market_id, code, name, security_type, mention_count, sources, []::VARCHAR[] AS also_secids
FROM staged_stock_mention WHERE secid IS NOT NULL;
INSERT OR IGNORE INTO pending_name_match SELECT DISTINCT article_id FROM staged_stock_mention;
DELETE FROM staged_stock_mention;

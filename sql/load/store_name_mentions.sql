-- One batch of matched articles (the registered relations matched_article: their ids, and
-- name_fact: one row per article and security with what the matcher found): the mentions found by
-- name alone replace the articles' earlier ones, the coded mentions get their place and relevance,
-- and the articles leave the queue.
DELETE FROM stock_mention
WHERE article_id IN (SELECT article_id FROM matched_article) AND sources = ['name'];
UPDATE stock_mention AS m
SET in_title = f.in_title,
    first_offset = f.first_offset,
    name_count = f.name_count,
    relevance = f.relevance,
    also_secids = f.also_secids
FROM name_fact AS f
WHERE f.claimed AND m.article_id = f.article_id AND m.secid = f.secid;
INSERT INTO stock_mention BY NAME
SELECT article_id, secid, market_id, code, name, security_type, greatest(name_count, 1) AS mention_count,
       ['name'] AS sources, in_title, first_offset, name_count, relevance, also_secids
FROM name_fact
WHERE NOT claimed;
DELETE FROM pending_name_match WHERE article_id IN (SELECT article_id FROM matched_article);

-- One batch of matched articles (the registered relations matched_article: their ids; mention_place:
-- where each of their code and markup mentions stands, and its relevance; name_mention: the
-- securities they name without a code, as whole rows): the mentions by name replace the articles'
-- earlier ones, the coded mentions get their place, and the articles leave the queue.
DELETE FROM stock_mention
WHERE sources = ['name'] AND article_id IN (SELECT article_id FROM matched_article);
UPDATE stock_mention AS m
SET in_title = p.in_title, first_offset = p.first_offset, name_count = p.name_count, relevance = p.relevance
FROM mention_place AS p
WHERE m.article_id = p.article_id AND m.secid = p.secid;
INSERT INTO stock_mention BY NAME SELECT * FROM name_mention;
DELETE FROM pending_name_match WHERE article_id IN (SELECT article_id FROM matched_article);

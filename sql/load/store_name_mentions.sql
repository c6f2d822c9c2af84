-- One batch of matched articles (the registered relations matched_article: their ids, and
-- name_fact: one row per article and security, the code and markup mentions as published with their
-- place and relevance added, and the mentions found by name alone): the rows replace the articles'
-- mentions, and the articles leave the queue.
DELETE FROM stock_mention WHERE article_id IN (SELECT article_id FROM matched_article);
INSERT INTO stock_mention BY NAME SELECT * EXCLUDE (claimed) FROM name_fact;
DELETE FROM pending_name_match WHERE article_id IN (SELECT article_id FROM matched_article);

-- Rebuild learned_security_name from the code and markup mentions (not those found by name alone,
-- which would only echo the dictionary back): every (secid, name) pair with its counts and dates.
-- Live articles only, as for `security`: a warehouse loaded bit by bit learns what a clean load of
-- the same folder learns.
DELETE FROM learned_security_name;
INSERT INTO learned_security_name BY NAME
SELECT m.secid,
       trim(m.name) AS name,
       count(DISTINCT m.article_id)::INTEGER AS article_count,
       sum(m.mention_count)::BIGINT AS mention_count,
       min(a.published_date) AS first_seen_date,
       max(a.published_date) AS last_seen_date
FROM stock_mention AS m
JOIN article AS a USING (article_id)
WHERE m.sources <> ['name'] AND trim(m.name) <> '' AND NOT a.deleted_from_source
GROUP BY m.secid, trim(m.name);

-- One row per security and name of the security dictionary the name matcher uses: the names learned
-- from code and markup mentions (origin learned, with their counts and dates) and the imported
-- security master's names, aliases and full names (origin imported, with their file). A name that
-- both give appears once per origin. other_names lists the security's other names in the dictionary
-- (its aliases). Names of two characters or fewer and generic words are in the dictionary but the
-- matcher uses them only under the rules of etl/posts/names.py (a learned short name never).
CREATE OR REPLACE VIEW security_dictionary AS
WITH entries AS (
    SELECT secid, name, 'learned' AS origin, 'name' AS kind, article_count, mention_count,
           first_seen_date, last_seen_date, NULL::VARCHAR AS source_file, NULL::TIMESTAMPTZ AS imported_at
    FROM learned_security_name
    UNION ALL
    SELECT secid, name, 'imported', 'name', NULL, NULL, NULL, NULL, source_file, imported_at
    FROM security_master
    UNION ALL
    SELECT secid, unnest(aliases), 'imported', 'alias', NULL, NULL, NULL, NULL, source_file, imported_at
    FROM security_master
    UNION ALL
    SELECT secid, full_name, 'imported', 'full_name', NULL, NULL, NULL, NULL, source_file, imported_at
    FROM security_master
    WHERE full_name IS NOT NULL
), names_of AS (
    SELECT secid, list(DISTINCT name ORDER BY name) AS names
    FROM entries
    GROUP BY secid
)
SELECT e.secid,
       split_part(e.secid, '.', 1)::INTEGER AS market_id,
       split_part(e.secid, '.', 2) AS code,
       e.name,
       e.origin,
       e.kind,
       s.name AS security_name,
       e.article_count,
       e.mention_count,
       e.first_seen_date,
       e.last_seen_date,
       list_filter(n.names, lambda x: x <> e.name) AS other_names,
       e.source_file,
       e.imported_at
FROM entries AS e
JOIN names_of AS n USING (secid)
LEFT JOIN security AS s USING (secid)
ORDER BY e.secid, e.origin, e.kind, e.name;
COMMENT ON VIEW security_dictionary IS 'The security dictionary the name matcher uses: one row per security, name and origin (learned from code and markup mentions, or imported with etl securities import).';
COMMENT ON COLUMN security_dictionary.secid IS 'EastMoney security id MARKET.CODE.';
COMMENT ON COLUMN security_dictionary.market_id IS 'EastMoney market id, from the secid.';
COMMENT ON COLUMN security_dictionary.code IS 'Security code, from the secid.';
COMMENT ON COLUMN security_dictionary.name IS 'A name the security goes by.';
COMMENT ON COLUMN security_dictionary.origin IS 'learned (learned_security_name: a code or markup mention gave it) or imported (security_master).';
COMMENT ON COLUMN security_dictionary.kind IS 'name (the learned or imported short name), alias or full_name (imported only).';
COMMENT ON COLUMN security_dictionary.security_name IS 'The security''s latest name in the news (security.name); NULL when no article mentions it yet.';
COMMENT ON COLUMN security_dictionary.article_count IS 'Learned names: articles whose code or markup mention gives this name; NULL for imported ones.';
COMMENT ON COLUMN security_dictionary.mention_count IS 'Learned names: the sum of those mentions'' mention_count; NULL for imported ones.';
COMMENT ON COLUMN security_dictionary.first_seen_date IS 'Learned names: publication date of the earliest such article.';
COMMENT ON COLUMN security_dictionary.last_seen_date IS 'Learned names: publication date of the latest such article.';
COMMENT ON COLUMN security_dictionary.other_names IS 'The security''s other names in the dictionary, of either origin, sorted: its aliases.';
COMMENT ON COLUMN security_dictionary.source_file IS 'Imported names: the CSV file they came from (security_master.source_file).';
COMMENT ON COLUMN security_dictionary.imported_at IS 'Imported names: when the entry was imported or last changed.';

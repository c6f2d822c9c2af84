-- Every article raw_post holds a current file version of: what a rebuild or a change of the
-- extraction rules derives again.
SELECT DISTINCT article_id FROM raw_post WHERE is_current

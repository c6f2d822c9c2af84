-- Queue for name matching the articles holding a name the dictionary changed (the registered
-- relation renamed); returns how many were not queued yet.
INSERT INTO pending_name_match
SELECT DISTINCT article_id FROM renamed
WHERE article_id NOT IN (SELECT article_id FROM pending_name_match)

-- Articles not already queued for name matching whose title, digest or body holds one of the
-- names of the registered relation searched_name (names that folding leaves as they are).
SELECT DISTINCT a.article_id
FROM article AS a
JOIN searched_name AS n
  ON contains(a.body_text, n.name) OR contains(coalesce(a.title, ''), n.name) OR contains(coalesce(a.digest, ''), n.name)
WHERE a.article_id NOT IN (SELECT article_id FROM pending_name_match)

-- The security dictionary the name matcher uses: every learned name, and every imported entry with
-- its aliases and full name; one row per secid, origin and name.
SELECT secid,
       name,
       'learned' AS origin,
       []::VARCHAR[] AS aliases,
       article_count
FROM learned_security_name
UNION ALL
SELECT secid,
       name,
       'imported',
       list_distinct(list_concat(aliases, CASE WHEN full_name IS NULL THEN []::VARCHAR[] ELSE [full_name] END)),
       0
FROM security_master
ORDER BY secid, origin, name

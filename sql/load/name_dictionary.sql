-- The security dictionary the name matcher uses: every learned name and every imported name with its
-- aliases, one row per secid and origin.
SELECT secid,
       name,
       'learned' AS origin,
       []::VARCHAR[] AS aliases,
       article_count
FROM learned_security_name
UNION ALL
SELECT secid, name, 'imported', aliases, 0
FROM security_master
ORDER BY secid, origin, name

-- How each entry of an import (the registered relation master_import) compares with security_master:
-- new, changed (other name, full name or aliases) or the same; and the entries of security_master the
-- import does not hold (removed by an import that replaces the master); counted.
SELECT CASE WHEN m.secid IS NULL THEN 'new'
            WHEN (m.name, m.full_name, m.aliases) IS NOT DISTINCT FROM (i.name, i.full_name, i.aliases) THEN 'same'
            ELSE 'changed' END AS change,
       count(*)
FROM master_import AS i
LEFT JOIN security_master AS m USING (secid)
GROUP BY ALL
UNION ALL
SELECT 'absent', count(*)
FROM security_master
WHERE secid NOT IN (SELECT secid FROM master_import)

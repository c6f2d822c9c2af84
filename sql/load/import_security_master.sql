-- Add the new entries of an import (master_import) and replace the changed ones, stamped $now; an
-- entry with the values already stored keeps its row as it is.
INSERT INTO security_master BY NAME
SELECT i.*, $now AS imported_at
FROM master_import AS i
LEFT JOIN security_master AS m USING (secid)
WHERE m.secid IS NULL OR (m.name, m.full_name, m.aliases) IS DISTINCT FROM (i.name, i.full_name, i.aliases)
ON CONFLICT (secid) DO UPDATE
SET market_id = excluded.market_id, code = excluded.code, name = excluded.name, full_name = excluded.full_name,
    aliases = excluded.aliases, source_file = excluded.source_file, source_line = excluded.source_line,
    imported_at = excluded.imported_at

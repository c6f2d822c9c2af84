-- An import that replaces the master (etl securities import --replace): remove the entries the
-- import (the registered relation master_import) does not hold.
DELETE FROM security_master WHERE secid NOT IN (SELECT secid FROM master_import)

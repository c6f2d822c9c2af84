-- A new snapshot file in the storage format analysts asked for (ETL_ANALYST_DB_STORAGE_VERSION).
ATTACH $path AS analyst_snapshot_tmp (STORAGE_VERSION $storage_version)

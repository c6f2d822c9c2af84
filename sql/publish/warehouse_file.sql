-- The warehouse's own file and its on-disk format ('v2.0.0+' for a file in duckdb 2.0's format).
SELECT database_name, path, tags['storage_version'] AS storage_version
FROM duckdb_databases()
WHERE database_name = current_database()

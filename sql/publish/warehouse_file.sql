-- The warehouse's own file and its on-disk format ('v1.5.0+' for a file in duckdb 1.5's format).
SELECT database_name, path, tags['storage_version'] AS storage_version
FROM duckdb_databases()
WHERE database_name = current_database()

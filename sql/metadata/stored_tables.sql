-- Every table the file holds, in any schema (DuckDB's own left out): none in a new file.
SELECT schema_name || '.' || table_name AS qualified_name, schema_name = 'main' AS in_main, table_name
FROM duckdb_tables()
WHERE database_name = current_database() AND NOT internal AND NOT temporary
ORDER BY 1

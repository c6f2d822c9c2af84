-- How many tables and views the snapshot just written holds.
SELECT
    (SELECT count(*) FROM duckdb_tables() WHERE database_name = $1) AS tables,
    (SELECT count(*) FROM duckdb_views() WHERE database_name = $1 AND NOT internal) AS views

"""DuckDB: the schema from `sql/`, bulk loads, and what analysts read."""

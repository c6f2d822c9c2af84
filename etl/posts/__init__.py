"""Pure parsing of finews posts: bytes in, values out. No Dagster, no DuckDB."""

-- The analyst snapshot is written in a format the duckdb 1.5 CLI can read (see docs in README).
ATTACH ? AS analyst_snapshot_tmp (STORAGE_VERSION 'v1.5.0')

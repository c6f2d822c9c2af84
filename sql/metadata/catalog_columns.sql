-- One row per column of every table and view in the warehouse's main schema, with the COMMENT ON
-- texts of the column and of its table or view, and the primary key it is part of.
WITH relations AS (
    SELECT table_name AS relation, 'table' AS kind, comment
    FROM duckdb_tables()
    WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary
    UNION ALL
    SELECT view_name, 'view', comment
    FROM duckdb_views()
    WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary
), primary_keys AS (
    SELECT table_name AS relation, constraint_column_names AS key_columns
    FROM duckdb_constraints()
    WHERE database_name = current_database() AND schema_name = 'main' AND constraint_type = 'PRIMARY KEY'
)
SELECT r.relation,
       r.kind,
       r.comment AS relation_comment,
       c.column_name,
       c.data_type,
       c.is_nullable,
       c.comment AS column_comment,
       CASE WHEN list_contains(k.key_columns, c.column_name) THEN k.key_columns ELSE [] END AS key_columns
FROM relations AS r
JOIN duckdb_columns() AS c
  ON c.database_name = current_database() AND c.schema_name = 'main' AND c.table_name = r.relation
LEFT JOIN primary_keys AS k ON k.relation = r.relation
ORDER BY r.relation, c.column_index

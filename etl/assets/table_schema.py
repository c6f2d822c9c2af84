"""Column schemas for the Dagster UI, built at materialization from the warehouse's own
`COMMENT ON` texts (etl.warehouse.catalog), so a column is described in one place: sql/schema/ or
sql/views/."""

from __future__ import annotations

import dagster as dg

from etl.warehouse import catalog


def column_schema(relation: catalog.Relation) -> dg.TableSchema:
    return dg.TableSchema(columns=[
        dg.TableColumn(
            name=column.name,
            type=column.data_type,
            description=column.comment,
            constraints=dg.TableColumnConstraints(
                nullable=column.nullable,
                unique=column.key_columns == (column.name,),
                other=[f"part of primary key ({', '.join(column.key_columns)})"] if len(column.key_columns) > 1 else [],
            ),
        )
        for column in relation.columns
    ])


def table_metadata(conn, table: str, *more_tables: str) -> dict:
    """`dagster/column_schema` (and `dagster/table_name`) of the table an asset writes; the other
    tables it writes get their schema under `<table>_columns`."""
    relations = catalog.describe(conn, [table, *more_tables])
    metadata = {
        "dagster/table_name": f"main.{table}",
        "dagster/column_schema": column_schema(relations[table]),
    }
    for name in more_tables:
        metadata[f"{name}_columns"] = dg.MetadataValue.table_schema(column_schema(relations[name]))
    return metadata

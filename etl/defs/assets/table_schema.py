"""Column schemas for the Dagster UI, from the `COMMENT ON` texts of sql/schema/ and sql/views/
(etl.warehouse.catalog), so a column is described in one place.

They are definition metadata, worked out once when Dagster loads the code by applying the DDL to an
in-memory DuckDB: a schema does not change from one materialization to the next, and
as materialization metadata it was serialized again for every date of a range run."""

from __future__ import annotations

from functools import cache

import dagster as dg
import duckdb

from etl.warehouse import catalog
from etl.warehouse.sql import apply_schema, apply_views


@cache
def _relations() -> dict[str, catalog.Relation]:
    with duckdb.connect(":memory:") as conn:
        apply_schema(conn)
        apply_views(conn)
        return catalog.describe(conn)


def column_schema(relation: str) -> dg.TableSchema:
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
        for column in _relations()[relation].columns
    ])


def table_metadata(table: str, *more_tables: str) -> dict:
    """Definition metadata of an asset that writes `table`: `dagster/column_schema` and
    `dagster/table_name`; the other tables it writes get their schema under `<table>_columns`."""
    metadata = {"dagster/table_name": f"main.{table}", "dagster/column_schema": column_schema(table)}
    for name in more_tables:
        metadata[f"{name}_columns"] = dg.MetadataValue.table_schema(column_schema(name))
    return metadata

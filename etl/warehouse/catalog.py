"""What the warehouse says about itself: tables, views and columns with their `COMMENT ON` texts,
read from DuckDB's catalog (`duckdb_columns()` and friends). The one source of column descriptions
for the Dagster asset metadata and for docs/data-dictionary.md."""

from __future__ import annotations

from dataclasses import dataclass

from etl.warehouse.sql import read_sql


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    nullable: bool
    comment: str | None
    key_columns: tuple[str, ...]
    """The primary key this column is part of (all its columns), or empty."""


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str
    """`table` or `view`."""
    comment: str | None
    columns: tuple[Column, ...]


def describe(conn, names: list[str] | tuple[str, ...] | None = None) -> dict[str, Relation]:
    """Tables and views of the main schema by name (all of them, or those in `names`, in that order)."""
    rows = conn.execute(read_sql("metadata/catalog_columns.sql")).fetchall()
    found: dict[str, tuple[str, str | None, list[Column]]] = {}
    for relation, kind, relation_comment, column, data_type, nullable, comment, key_columns in rows:
        entry = found.setdefault(relation, (kind, relation_comment, []))
        entry[2].append(Column(column, data_type, nullable, comment or None, tuple(key_columns)))
    wanted = list(names) if names is not None else list(found)
    missing = [name for name in wanted if name not in found]
    if missing:
        raise KeyError(f"no table or view named {', '.join(missing)} in the warehouse")
    return {name: Relation(name, found[name][0], found[name][1] or None, tuple(found[name][2])) for name in wanted}

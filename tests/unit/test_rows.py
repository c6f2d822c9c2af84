"""Each row type of `etl.core.rows` is declared once: its Arrow schema is derived from it, and its
fields are columns of the tables it is written to, with types DuckDB stores them as."""

from __future__ import annotations

import dataclasses

import duckdb
import pyarrow as pa
import pytest

from etl.core.rows import (ArticleRow, ArticleTagRow, MentionPlaceRow, NameMentionRow, RejectionRow,
                           StockMentionRow)
from etl.warehouse.loads import arrow_of, arrow_of_tuples, arrow_schema
from etl.warehouse.sql import apply_schema

WRITTEN_TO = {
    ArticleRow: ["article"],
    ArticleTagRow: ["staged_article_tag"],
    StockMentionRow: ["staged_stock_mention", "stock_mention"],
    RejectionRow: ["rejected_post"],
    MentionPlaceRow: ["stock_mention"],
    NameMentionRow: ["stock_mention"],
}


@pytest.fixture(scope="module")
def columns() -> dict[str, dict[str, str]]:
    conn = duckdb.connect()
    apply_schema(conn)
    found: dict[str, dict[str, str]] = {}
    for table, column, data_type in conn.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns").fetchall():
        found.setdefault(table, {})[column] = data_type
    return found


@pytest.mark.parametrize("row_type", list(WRITTEN_TO), ids=lambda t: t.__name__)
def test_every_field_is_a_column_of_the_same_type(row_type, columns):
    schema = arrow_schema(row_type)
    for table in WRITTEN_TO[row_type]:
        assert table in columns, f"{table} is not in sql/schema"
        for field in schema:
            assert field.name in columns[table], f"{row_type.__name__}.{field.name} is not a column of {table}"
            assert _duckdb_type(field.type) == columns[table][field.name], (
                f"{row_type.__name__}.{field.name} is {field.type}, {table}.{field.name} is {columns[table][field.name]}")


def test_a_mention_by_name_fills_every_column_of_stock_mention(columns):
    assert set(NameMentionRow._fields) == set(columns["stock_mention"])


def _duckdb_type(arrow_type: pa.DataType) -> str:
    """The DuckDB type an Arrow column becomes."""
    table = pa.table({"c": pa.array([], arrow_type)})
    conn = duckdb.connect()
    conn.register("arrow_table", table)
    return conn.execute("DESCRIBE SELECT c FROM arrow_table").fetchone()[1]


@pytest.mark.parametrize("row_type", list(WRITTEN_TO), ids=lambda t: t.__name__)
def test_the_arrow_schema_has_every_field_in_order(row_type):
    fields = row_type._fields if issubclass(row_type, tuple) else [field.name for field in dataclasses.fields(row_type)]
    assert arrow_schema(row_type).names == list(fields)


def test_a_row_becomes_one_arrow_row_with_every_field():
    row = StockMentionRow(article_id="1", secid="1.600519", market_id=1, code="600519", name="贵州茅台",
                          security_type="stock", mention_count=2, sources=["text"])
    table = arrow_of([row], arrow_schema(StockMentionRow))
    assert table.to_pylist() == [dataclasses.asdict(row)]


def test_tuple_rows_become_arrow_rows_with_every_field():
    rows = [MentionPlaceRow("1", "1.600519", True, 0, 2, 1.0), MentionPlaceRow("2", "0.000001", False, None, 0, 0.5)]
    assert arrow_of_tuples(rows, arrow_schema(MentionPlaceRow)).to_pylist() == [row._asdict() for row in rows]
    assert arrow_of_tuples([], arrow_schema(MentionPlaceRow)).schema == arrow_schema(MentionPlaceRow)

"""docs/data-dictionary.md and the COMMENT ON texts it is generated from (etl/dictionary.py)."""

import difflib

import duckdb

from etl.warehouse import catalog
from etl.warehouse import data_dictionary as dictionary
from etl.warehouse.sql import created_names, schema_files, view_files, view_name


def test_every_table_view_and_column_has_a_comment():
    missing = dictionary.missing_comments()
    assert not missing, "add COMMENT ON for: " + ", ".join(missing)


def test_a_missing_comment_is_found():
    with duckdb.connect(":memory:") as conn:
        conn.execute("CREATE TABLE t (a INTEGER, b VARCHAR); COMMENT ON COLUMN t.a IS 'described';"
                     "CREATE VIEW v AS SELECT a FROM t; COMMENT ON VIEW v IS 'described'")
        described = list(catalog.describe(conn).values())
    assert dictionary.missing_comments(described) == ["table t", "column t.b", "column v.a"]


def test_every_declared_table_and_view_is_in_the_dictionary():
    names = [relation.name for relation, _ in dictionary.relations()]
    assert names[: len(dictionary.declared())] == [name for name, _ in dictionary.declared()]
    assert {name for path in schema_files() for name in created_names(path)} <= set(names)


def test_view_files_create_one_view_each_and_say_what_a_row_is():
    for path in view_files():
        text = path.read_text(encoding="utf-8")
        assert text.startswith("-- One row per "), path.name
        assert path.stem.split("_", 1)[1] == view_name(path), path.name


def test_data_dictionary_is_up_to_date():
    fresh = dictionary.render()
    current = dictionary.DICTIONARY_PATH.read_text(encoding="utf-8") if dictionary.DICTIONARY_PATH.is_file() else ""
    diff = "".join(list(difflib.unified_diff(current.splitlines(True), fresh.splitlines(True),
                                             "docs/data-dictionary.md", "generated"))[:40])
    assert current == fresh, f"docs/data-dictionary.md is stale: run `etl dictionary`\n{diff}"

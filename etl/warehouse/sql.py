"""The one way Python reads SQL: from files under `sql/`, never from strings built in code."""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb

from etl.core.settings import SQL_DIR


@cache
def read_sql(relative_path: str) -> str:
    return (SQL_DIR / relative_path).read_text(encoding="utf-8")


def schema_files() -> list[Path]:
    return sorted((SQL_DIR / "schema").glob("*.sql"))


@cache
def _schema() -> tuple[tuple[str, ...], str]:
    """The DDL files' texts, in order, and their fingerprint."""
    texts = tuple(path.read_text(encoding="utf-8") for path in schema_files())
    return texts, hashlib.sha256("\0".join(texts).encode()).hexdigest()


@contextmanager
def transaction(conn):
    """All or nothing: a failure (or a killed process) leaves the last committed state."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class ForeignSchemaError(RuntimeError):
    """The database holds tables of another schema: some other application's file."""


def apply_schema(conn) -> None:
    """Create every table that does not exist yet (idempotent) and refresh its comments, unless the
    warehouse already has this very DDL (its fingerprint in `schema_state`). All in one transaction:
    a failure half-way leaves the file as it was. A database holding any other table is refused
    before anything is written to it (`ForeignSchemaError`)."""
    texts, fingerprint = _schema()
    try:
        applied = conn.execute(read_sql("metadata/schema_fingerprint.sql")).fetchall()
    except duckdb.CatalogException:
        applied = []  # a new file, or one from before schema_state
    if applied == [(fingerprint,)]:
        return
    refuse_foreign_tables(conn)
    with transaction(conn):
        for text in texts:
            conn.execute(text)
        conn.execute(read_sql("metadata/record_schema_fingerprint.sql"), {"fingerprint": fingerprint})


def refuse_foreign_tables(conn) -> None:
    """`ForeignSchemaError` when the database holds a table `sql/schema/` does not create."""
    foreign = [name for name, in_main, table in conn.execute(read_sql("metadata/stored_tables.sql")).fetchall()
               if not in_main or table not in schema_tables()]
    if foreign:
        raise ForeignSchemaError(f"it holds tables this warehouse does not have: {', '.join(foreign[:10])}"
                                 + (f" and {len(foreign) - 10} more" if len(foreign) > 10 else ""))


@cache
def schema_tables() -> frozenset[str]:
    """The tables `sql/schema/` creates."""
    return frozenset(name for path in schema_files() for name in created_names(path))


def run_script(conn, relative_path: str, params: dict | None = None) -> None:
    """Run each statement of a `.sql` file, binding the `$name` parameters it uses."""
    params = params or {}
    for statement in read_sql(relative_path).split(";\n"):
        body = "\n".join(line for line in statement.splitlines() if not line.lstrip().startswith("--")).strip()
        if body:
            conn.execute(body, {k: v for k, v in params.items() if f"${k}" in body})


_CREATES = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)",
    re.I | re.M,
)
_READS = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)", re.I)


def view_files() -> list[Path]:
    """The analyst views, one `CREATE OR REPLACE VIEW` per file, in the order they must be applied
    (a view may read the views of earlier files)."""
    return sorted((SQL_DIR / "views").glob("*.sql"))


def created_names(path: Path) -> list[str]:
    """Tables and views a `.sql` file creates, in the order it creates them."""
    return _CREATES.findall(_without_comments(path.read_text(encoding="utf-8")))


def view_name(path: Path) -> str:
    names = created_names(path)
    if len(names) != 1:
        raise ValueError(f"{path} must create exactly one view, not {names}")
    return names[0]


def relations_read(path: Path, known: set[str]) -> list[str]:
    """The tables and views (among `known`) a view file reads: names after FROM or JOIN in its
    CREATE statement (not in the COMMENT ON texts after it); CTE names are not in `known`."""
    create = _without_comments(path.read_text(encoding="utf-8")).split(";", 1)[0]
    return sorted((set(_READS.findall(create)) & known) - {view_name(path)})


def apply_views(conn) -> list[str]:
    """Create or replace every analyst view and its comments; returns the view names in order.
    Run it in a transaction so readers never see half the views replaced."""
    names = []
    for path in view_files():
        conn.execute(path.read_text(encoding="utf-8"))
        names.append(view_name(path))
    return names


def _without_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())

"""The one way Python reads SQL: from files under `sql/`, never from strings built in code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from etl.settings import SQL_DIR


@cache
def read_sql(relative_path: str) -> str:
    return (SQL_DIR / relative_path).read_text(encoding="utf-8")


def schema_files() -> list[Path]:
    return sorted((SQL_DIR / "schema").glob("*.sql"))


def apply_schema(conn) -> None:
    """Create every table that does not exist yet (idempotent) and refresh its comments."""
    for path in schema_files():
        conn.execute(path.read_text(encoding="utf-8"))


def run_script(conn, relative_path: str, params: dict | None = None) -> None:
    """Run each statement of a `.sql` file, binding the `$name` parameters it uses."""
    params = params or {}
    for statement in read_sql(relative_path).split(";\n"):
        body = "\n".join(line for line in statement.splitlines() if not line.lstrip().startswith("--")).strip()
        if body:
            conn.execute(body, {k: v for k, v in params.items() if f"${k}" in body})

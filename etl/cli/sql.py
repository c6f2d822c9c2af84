"""`etl sql`: run a query against the analysts' database and print the result as a table, CSV or JSON.

The database is the read-only snapshot published after each good load (`Settings.analyst_db`),
never the warehouse a load may be writing; `--db` names another file. DuckDB runs locked down: the
database is opened read-only, no other file can be read, written, attached or loaded as an
extension, and no setting can be changed, so a query can neither alter the warehouse nor reach
anything else the user can.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb

from etl.core.settings import Settings, load_settings
from etl.core.values import cell_text, plain_value

MAX_CELL_WIDTH = 60
"""Table format only: longer cells are cut with …; CSV and JSON carry the whole value."""
FORMATS = ("table", "csv", "json")


LOCKED_DOWN = {
    # No file but the database itself (DuckDB allows its own files, and nothing else): no ATTACH,
    # COPY TO, read_text, glob, INSTALL or LOAD.
    "enable_external_access": False,
    # No spilling: DuckDB would allow its temporary folder, and a query could COPY files into it.
    "temp_directory": "",
    # No SET or PRAGMA can undo the above.
    "lock_configuration": True,
}
REFUSED = ("configuration has been locked", "read-only mode", "Cannot attach", "belongs to an attached database")
"""What DuckDB says when the lock-down refuses a statement (besides its PermissionException)."""


class QueryError(RuntimeError):
    """What went wrong, in words that say what to do next."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def analyst_database(settings: Settings, override: str | Path | None = None) -> Path:
    """`--db` when given, else the published analyst snapshot. Never the warehouse: before the first
    load has finished it may hold half a load, which nothing would tell apart from a whole one."""
    if override:
        path = Path(override).expanduser().resolve()
        if not path.is_file():
            raise QueryError(f"database {path} does not exist")
        return path
    if settings.analyst_db.is_file():
        return settings.analyst_db
    raise QueryError(
        f"no snapshot published yet: {settings.analyst_db} is written when a load succeeds; run etl load "
        "(or etl load --warehouse FILE), or query another database file with --db FILE"
    )


def run_query(database: Path, sql: str) -> QueryResult:
    """Run `sql` (one statement, or several: the last one's rows are returned) read-only, locked down."""
    try:
        conn = duckdb.connect(str(database), read_only=True, config=LOCKED_DOWN)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise QueryError(f"{database} is being written by a load; try again when it ends ({exc})") from exc
        raise QueryError(f"cannot open {database}: {exc}") from exc
    try:
        cursor = conn.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return QueryResult(columns, cursor.fetchall() if columns else [])
    except duckdb.Error as exc:
        message = str(exc).strip()
        if isinstance(exc, duckdb.PermissionException) or any(sign in message for sign in REFUSED):
            raise QueryError(f"not allowed: etl sql is read-only; it reads {database} and no other file, and "
                             f"its settings are locked ({message.splitlines()[0]})") from exc
        raise QueryError(message) from exc
    finally:
        conn.close()


def render(result: QueryResult, fmt: str = "table") -> str:
    return {"table": render_table, "csv": render_csv, "json": render_json}[fmt](result)


def render_json(result: QueryResult) -> str:
    rows = [{c: plain_value(v) for c, v in zip(result.columns, row)} for row in result.rows]
    return json.dumps(rows, ensure_ascii=False, indent=2)


def render_csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(["" if v is None else cell_text(v) for v in row] for row in result.rows)
    return out.getvalue().rstrip("\n")


def display_width(text: str) -> int:
    """Terminal columns a string takes: CJK and other wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split()) if "\n" in text or "\t" in text else text
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def render_table(result: QueryResult) -> str:
    """An aligned text table with a header rule, numbers right-aligned, NULL shown as NULL."""
    if not result.columns:
        return "OK"
    numeric = [
        all(isinstance(row[i], (int, float, Decimal)) and not isinstance(row[i], bool)
            for row in result.rows if row[i] is not None) and any(row[i] is not None for row in result.rows)
        for i in range(len(result.columns))
    ]
    cells = [[_cut("NULL" if v is None else cell_text(v), MAX_CELL_WIDTH) for v in row] for row in result.rows]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    lines = [
        "  ".join(_pad(c, w, n) for c, w, n in zip(result.columns, widths, numeric)).rstrip(),
        "  ".join("-" * w for w in widths),
        *("  ".join(_pad(v, w, n) for v, w, n in zip(row, widths, numeric)).rstrip() for row in cells),
    ]
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines)


def command(args: argparse.Namespace) -> int:
    """`etl sql`."""
    if bool(args.query) == bool(args.file):
        print("error: give a query or --file FILE (not both)", file=sys.stderr)
        return 2
    try:
        sql = Path(args.file).read_text(encoding="utf-8") if args.file else args.query
        result = run_query(analyst_database(load_settings(), args.db), sql)
    except (QueryError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(render(result, args.format))
    return 0

"""The security master: `etl securities import FILE.csv` reads a UTF-8 CSV with a header row and
adds or updates `security_master`, the imported half of the security dictionary.

Columns (header names in any case, in any order; other columns are ignored):
- `secid`: EastMoney `MARKET.CODE` (`1.600519`, `116.00700`); or, instead, `market` (an EastMoney
  market id, or `SH`, `SZ`, `BJ`, `HK`) and `code`;
- `name`: the short name news writes (required);
- `aliases` (optional): other names, separated by `|`;
- `full_name` (optional): the registered full name, matched like an alias.

A row that cannot be used (no name, a secid that is not `MARKET.CODE`, a secid given twice in the
file, a secid that disagrees with its market and code) is reported as `FILE:LINE: problem` and
skipped; the other rows are imported in one transaction. A header without `name`, or without
`secid` and without `market` and `code`, or a file that is not UTF-8 text, imports nothing.
Importing an entry with the values it already has changes nothing (not even its import time).

With `replace`, the file is the whole master: entries it does not hold are removed too. Such an
import is all or nothing: a file with a row that cannot be used imports nothing (a skipped row
would otherwise remove its entry), and so does a file without entries."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from etl.posts import markets
from etl.warehouse.loads import registered
from etl.warehouse.sql import read_sql, transaction

_SECID = re.compile(r"^(\d+)\.([A-Za-z0-9]+)$")
_CODE = re.compile(r"^[A-Za-z0-9]+$")
MARKET_ABBREVIATIONS = {"SH": markets.SHANGHAI, "SS": markets.SHANGHAI, "SZ": markets.SHENZHEN,
                        "BJ": markets.SHENZHEN, "HK": markets.HONG_KONG}
MASTER_SCHEMA = pa.schema([("secid", pa.string()), ("market_id", pa.int32()), ("code", pa.string()),
                          ("name", pa.string()), ("full_name", pa.string()), ("aliases", pa.list_(pa.string())),
                          ("source_file", pa.string()), ("source_line", pa.int32())])


class MasterFileError(ValueError):
    """The file as a whole cannot be imported: unreadable, not UTF-8, or a header without the columns."""


@dataclass
class MasterImport:
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    """Entries the file does not hold, removed by a `replace` import."""
    problems: list[str] = field(default_factory=list)
    """`FILE:LINE: problem` for each row skipped."""


@dataclass(frozen=True)
class _Entry:
    secid: str
    market_id: int
    code: str
    name: str
    full_name: str | None
    aliases: list[str]
    source_file: str
    source_line: int


def read_master(path: Path) -> tuple[list[_Entry], list[str]]:
    """The usable entries of a master file and a `FILE:LINE: problem` for each row that is not."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise MasterFileError(f"{path}: cannot read it: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise MasterFileError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [column.strip().lower() for column in next(reader, [])]
    columns = {name: header.index(name) for name in header if name}
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        raise MasterFileError(f"{path}:1: the header names {', '.join(duplicates)} twice")
    if "name" not in columns or not ("secid" in columns or {"market", "code"} <= columns.keys()):
        raise MasterFileError(f"{path}:1: the header must name the columns secid (or market and code) and name; "
                              f"it has {', '.join(header) or 'nothing'}")
    entries: list[_Entry] = []
    problems: list[str] = []
    lines: dict[str, int] = {}
    source = str(path.resolve())
    line = reader.line_num
    for record in reader:
        first_line, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        values = {name: record[i].strip() if i < len(record) else "" for name, i in columns.items()}
        try:
            entry = _entry(values, source, first_line)
        except ValueError as exc:
            problems.append(f"{path}:{first_line}: {exc}")
            continue
        if entry.secid in lines:
            problems.append(f"{path}:{first_line}: {entry.secid} was already given on line {lines[entry.secid]}")
            continue
        lines[entry.secid] = first_line
        entries.append(entry)
    return entries, problems


def _entry(values: dict[str, str], source: str, line: int) -> _Entry:
    secid = _secid(values)
    market, _, code = secid.partition(".")
    name = values.get("name", "")
    if not name:
        raise ValueError("the name is empty")
    aliases = list(dict.fromkeys(a.strip() for a in values.get("aliases", "").split("|") if a.strip() and a.strip() != name))
    return _Entry(secid, int(market), code, name, values.get("full_name") or None, aliases, source, line)


def _secid(values: dict[str, str]) -> str:
    """The row's normalized secid, from `secid` or from `market` and `code` (both agreeing when given)."""
    from_parts = None
    if values.get("market") or values.get("code"):
        market, code = values.get("market", ""), values.get("code", "")
        market_id = MARKET_ABBREVIATIONS.get(market.upper()) if not market.isdigit() else int(market)
        if market_id is None:
            raise ValueError(f"market {market!r} is not an EastMoney market id nor one of "
                             f"{', '.join(MARKET_ABBREVIATIONS)}")
        if not _CODE.match(code):
            raise ValueError(f"code {code!r} is not letters and digits")
        from_parts = markets.secid(market_id, code)
    given = values.get("secid", "")
    if not given:
        if from_parts is None:
            raise ValueError("no secid, and no market and code")
        return from_parts
    match = _SECID.match(given)
    if not match:
        raise ValueError(f"secid {given!r} is not MARKET.CODE (e.g. 1.600519, 116.00700)")
    secid = markets.secid(int(match[1]), match[2])
    if from_parts and from_parts != secid:
        raise ValueError(f"secid {secid} disagrees with market and code ({from_parts})")
    return secid


def import_master(conn, path: Path, *, now: datetime, replace: bool = False) -> MasterImport:
    """Add or update the usable entries of `path` in `security_master`, in one transaction; with
    `replace`, also remove the entries `path` does not hold, and only when every row is usable and
    there is one at least (else `MasterFileError`). Nothing is written when the master already is what the file says."""
    entries, problems = read_master(path)
    if replace:
        check_replacement(path, entries, problems)
    table = pa.Table.from_pylist([vars(e) for e in entries], schema=MASTER_SCHEMA)
    summary = MasterImport(rows=len(entries) + len(problems), problems=problems)
    with registered(conn, {"master_import": table}):
        counts = dict(conn.execute(read_sql("load/classify_master_import.sql")).fetchall())
        summary.new, summary.changed, summary.unchanged = (counts.get(k, 0) for k in ("new", "changed", "same"))
        summary.removed = counts.get("absent", 0) if replace else 0
        if summary.new or summary.changed or summary.removed:
            with transaction(conn):
                if summary.removed:
                    conn.execute(read_sql("load/remove_absent_master_entries.sql"))
                conn.execute(read_sql("load/import_security_master.sql"), {"now": now})
    return summary


def check_replacement(path: Path, entries: list[_Entry], problems: list[str]) -> None:
    """A file that is to become the whole master: every row usable, and at least one (an empty or
    truncated file would remove every entry)."""
    if problems:
        raise MasterFileError(f"{path}: {len(problems)} row(s) cannot be used and --replace imports all or nothing: "
                              f"nothing imported (first: {problems[0]})")
    if not entries:
        raise MasterFileError(f"{path}: no entries, and --replace would remove every entry of the master: "
                              "nothing imported")

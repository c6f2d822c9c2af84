"""`load_run` rows that could not be written when their run ended, kept beside the warehouse until
the next writer records them: a run that failed because another process held the warehouse (or
the disk was full) cannot write its own row then, and it must not be lost.

The file `<warehouse>.load_run.pending` holds one JSON line per row, each appended in one write.
A writer (`open_warehouse`) renames it aside, records its rows, and removes it; the warehouse's
write lock makes it the only one doing so."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields
from datetime import date, datetime
from pathlib import Path

from etl.warehouse.publish import LoadRunRow, record_load_run
from etl.warehouse.sql import transaction

_TIMES = {"finished_at": datetime.fromisoformat, "started_at": datetime.fromisoformat,
          "partition_start": date.fromisoformat, "partition_end": date.fromisoformat}


def pending_file(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".load_run.pending")


def keep_for_later(warehouse: Path, row: LoadRunRow) -> Path:
    """Append `row` to the warehouse's pending rows; returns the file."""
    line = json.dumps(asdict(row), default=lambda value: value.isoformat(), ensure_ascii=False) + "\n"
    path = pending_file(warehouse)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line.encode("utf-8"))
    finally:
        os.close(descriptor)
    return path


def record_kept(conn, warehouse: Path) -> int:
    """Write the pending rows into `load_run` (on the caller's write connection); returns how many."""
    path = pending_file(warehouse)
    draining = path.with_name(path.name + ".recording")
    if path.exists():
        os.replace(path, draining)  # rows appended from now on go to a new file
    if not draining.exists():
        return 0
    rows = [_row(json.loads(line)) for line in draining.read_text(encoding="utf-8").splitlines() if line.strip()]
    with transaction(conn):
        for row in rows:
            record_load_run(conn, row)
    draining.unlink()
    return len(rows)


def _row(values: dict) -> LoadRunRow:
    known = {f.name for f in fields(LoadRunRow)}
    values = {name: value for name, value in values.items() if name in known}
    for name, parse in _TIMES.items():
        if values.get(name):
            values[name] = parse(values[name])
    return LoadRunRow(**values)

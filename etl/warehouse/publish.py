"""What the warehouse publishes when a load ends: the `load_run` audit row and the read-only
snapshot analysts open (`etl.core.settings.analyst_db_for`). Plain functions over an open connection."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path

from etl.parallel import in_background
from etl.warehouse.sql import read_sql

SNAPSHOT_ALIAS = "analyst_snapshot_tmp"
"""Name the temporary snapshot file is attached under while it is written."""



@dataclass
class LoadRunRow:
    """One row of `load_run` (see sql/schema/090_load_run.sql for what each field means)."""

    run_id: str
    trigger: str
    status: str
    finished_at: datetime
    recorded_by: str
    job_name: str | None = None
    partition_start: date | None = None
    partition_end: date | None = None
    started_at: datetime | None = None
    files_seen: int | None = None
    files_new: int | None = None
    files_changed: int | None = None
    files_unchanged: int | None = None
    files_deleted: int | None = None
    files_rejected: int | None = None
    checks_passed: int | None = None
    checks_failed: int | None = None
    failed_checks: list[str] = field(default_factory=list)
    error: str | None = None
    articles_rederived: int | None = None
    rederive_reason: str | None = None
    articles_name_matched: int | None = None
    name_mentions: int | None = None
    dictionary_changed_names: int | None = None


def table_rows(conn) -> dict[str, int]:
    """Rows per warehouse table, as `etl load` reports them."""
    return {table: rows for table, rows in conn.execute(read_sql("metadata/table_counts.sql")).fetchall()}


def record_load_run(conn, row: LoadRunRow) -> None:
    """Insert (or replace: a run that later fails overwrites its success) the run's audit row."""
    params = {f.name: getattr(row, f.name) for f in fields(LoadRunRow)}
    counts = table_rows(conn)
    params["table_names"], params["table_counts"] = list(counts), list(counts.values())
    conn.execute(read_sql("load/record_load_run.sql"), params)


@dataclass(frozen=True)
class Snapshot:
    path: Path
    size_bytes: int
    tables: int
    views: int


def _quote_identifier(name: str) -> str:
    # A catalog name cannot be a bound parameter; this is the one identifier we splice in.
    return '"' + name.replace('"', '""') + '"'


def publish_snapshot(conn, target: Path, *, storage_version: str | None = None) -> Snapshot:
    """Copy the whole warehouse (tables, views, comments) into `target`, atomically.

    The copy is written to `<target>.tmp` in the same folder and then renamed over `target`
    (`os.replace`, atomic on one file system). An analyst who has the old snapshot open keeps
    reading the old file, whole and consistent; every connection opened after the rename sees
    the new one. The caller holds the warehouse's write connection, so no load changes the
    warehouse while it is copied and no second publisher writes the same temporary file.

    In the warehouse's own format (`storage_version` None, or the one the warehouse has) the
    warehouse is checkpointed and its file copied, the cheapest way (docs/benchmarks.md). Another
    format (`v1.5.0`, for the duckdb 1.5 CLI) is written table by table with `COPY FROM DATABASE`,
    which rewrites every row and so costs far more."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    source, path, warehouse_version = conn.execute(read_sql("publish/warehouse_file.sql")).fetchone()
    try:
        if storage_version is None or warehouse_version == f"{storage_version}+":
            conn.execute("CHECKPOINT")  # every committed change in the file itself, none in the WAL
            shutil.copyfile(path, tmp)
        else:
            _copy_contents(conn, source, tmp, storage_version)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tables, views = conn.execute(read_sql("publish/snapshot_objects.sql"), [source]).fetchone()
    _replace_freeing_the_old_later(tmp, target)
    return Snapshot(path=target, size_bytes=target.stat().st_size, tables=tables, views=views)


def _replace_freeing_the_old_later(tmp: Path, target: Path) -> None:
    """`os.replace(tmp, target)`, the old snapshot's blocks freed on a thread of their own: freeing a
    big file takes the file system long enough to be worth overlapping with the rest of the run. A
    second link keeps them through the rename; the process waits for the thread before it exits."""
    retired = target.with_name(target.name + ".retired")
    retired.unlink(missing_ok=True)  # left by a process that stopped before freeing it
    try:
        os.link(target, retired)
    except OSError:  # no old snapshot, or no hard links here: the rename frees it
        os.replace(tmp, target)
        return
    try:
        os.replace(tmp, target)
    finally:  # after a failed rename the old snapshot is still `target`: the link only holds space
        in_background(retired.unlink, True, name="etl free old snapshot")


def _copy_contents(conn, source: str, tmp: Path, storage_version: str) -> None:
    """Copy the database `source` into a new file `tmp` in `storage_version`'s format."""
    conn.execute(read_sql("publish/attach_snapshot.sql"), {"path": str(tmp), "storage_version": storage_version})
    try:
        conn.execute(f"COPY FROM DATABASE {_quote_identifier(source)} TO {SNAPSHOT_ALIAS}")
    finally:
        conn.execute(f"DETACH {SNAPSHOT_ALIAS}")

"""Opening the warehouse: one writer at a time, the schema in place, a clear message on a lock."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from etl.core.settings import DEFAULT_LOCK_WAIT_SECONDS
from etl.warehouse.audit import record_kept
from etl.warehouse.sql import ForeignSchemaError, apply_schema, refuse_foreign_tables

LOCK_WAIT_SECONDS = DEFAULT_LOCK_WAIT_SECONDS
MEMORY_LIMIT = "512MB"
"""DuckDB's own memory (cache, sorts, copies): left at its default (80% of RAM) it keeps the tables
it has touched in memory, so a load's footprint would grow with the warehouse; beyond this it
evicts or spills to `<warehouse>.tmp`. At 100k posts this was no slower and lowered the peak
(docs/benchmarks.md)."""
WAL_AUTOCHECKPOINT = "256MB"
"""How much write-ahead log makes DuckDB checkpoint at a commit (default 16 MB). A cold load commits
hundreds of MB in batches, and each checkpoint rewrites the tables' last, growing row groups: at
the default a cold load spends most of its commit time in those rewrites, at 256 MB far less, with
the same peak memory. Small loads checkpoint when they close the connection, as before."""


class WarehouseError(RuntimeError):
    """The warehouse file cannot be used, in one line: which file, what is wrong, what to do."""


class WarehouseLockedError(WarehouseError):
    pass


@contextmanager
def open_warehouse(path: str | Path, *, wait_seconds: float = LOCK_WAIT_SECONDS):
    """A read-write connection with the schema applied. DuckDB lets one process write a file;
    when another holds it we wait with backoff, then fail naming the holder (DuckDB's message
    carries its PID). A file that cannot be opened for writing (a read-only file system, not a
    DuckDB file) or that holds another schema is a `WarehouseError`, and nothing is written to it.
    `load_run` rows kept aside by runs that could not write them (`etl.warehouse.audit`) are
    recorded first."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create the folder of warehouse {path}: {exc.strerror or exc}") from exc
    deadline, delay = time.monotonic() + wait_seconds, 0.1
    while True:
        try:
            # duckdb's own (2.0) file format: in the 1.5 format every checkpoint rewrites the whole
            # primary-key indexes, so a small load into a big warehouse pays for the whole index.
            conn = duckdb.connect(str(path), config={"memory_limit": MEMORY_LIMIT, "wal_autocheckpoint": WAL_AUTOCHECKPOINT})
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise WarehouseError(f"cannot open warehouse {path} for writing: {first_line(exc)}") from exc
            if time.monotonic() >= deadline:
                raise WarehouseLockedError(
                    f"warehouse {path} is locked by another process after waiting {wait_seconds:.0f}s: {exc}"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
    try:
        try:
            apply_schema(conn)
        except ForeignSchemaError as exc:
            raise _foreign(path, exc) from exc
        except duckdb.IOException as exc:  # the first write: a file system that turned read-only, a full disk
            raise WarehouseError(f"cannot write to warehouse {path}: {first_line(exc)}") from exc
        record_kept(conn, path)
        yield conn
    finally:
        conn.close()


def check_warehouse(path: Path) -> None:
    """What `open_warehouse` would refuse, found before a run starts, without writing: a place that
    cannot be written (a read-only file system), a file that is not DuckDB's, another schema's file.
    A file locked by a writer passes: the run waits for it."""
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not os.access(existing, os.W_OK):
        problem = ("the file system is read-only" if os.statvfs(existing).f_flag & os.ST_RDONLY
                   else f"no permission to write {existing}")
        raise WarehouseError(f"cannot write to warehouse {path}: {problem}")
    if existing != path:
        return
    if not path.is_file():
        raise WarehouseError(f"warehouse {path} is not a file")
    try:
        with duckdb.connect(str(path), read_only=True) as conn:
            refuse_foreign_tables(conn)
    except ForeignSchemaError as exc:
        raise _foreign(path, exc) from exc
    except duckdb.Error as exc:
        if "lock" not in str(exc).lower():
            raise WarehouseError(f"cannot open warehouse {path}: {first_line(exc)}") from exc


def _foreign(path: Path, exc: ForeignSchemaError) -> WarehouseError:
    return WarehouseError(f"{path} is not a finews warehouse ({exc}): nothing was written to it; set "
                          "ETL_WAREHOUSE (or --warehouse) to a new file or to a warehouse of this loader")


def first_line(exc: BaseException) -> str:
    """An exception's message in one line, for a cause shown first."""
    return (str(exc).strip().splitlines() or [""])[0]

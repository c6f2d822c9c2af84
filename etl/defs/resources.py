"""Dagster resources: the posts folder, the DuckDB warehouse, where Great Expectations runs."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from etl.core.settings import load_settings
from etl.defs import pool_wait  # noqa: F401  (every run that uses these resources waits for pool slots asleep)
from etl.warehouse.connection import (
    LOCK_WAIT_SECONDS,
    WarehouseError,
    WarehouseLockedError,
    first_line,
    open_warehouse,
)

DUCKDB_POOL = "duckdb"
"""Concurrency pool of every asset and check that writes the DuckDB file; the instance limits it to 1."""


class PostsFolder(dg.ConfigurableResource):
    """The folder of Jekyll posts (`_posts/`, `old_post/`, searched recursively for `*.md`)."""

    path: str
    max_post_bytes: int
    workers: int
    hash_every_file: bool = False
    """Read and hash every file instead of trusting an unchanged path, size and mtime."""
    parse_seconds_per_file: float | None = None
    """How long one file's parse may take before the file is quarantined (ETL_PARSE_SECONDS_PER_FILE)."""
    listing_file: str | None = None
    """An Arrow IPC file of the folder's listing (path, size, mtime) that `etl load` took for its
    plan moments before the run: the scan uses it instead of listing and stat'ing 100k files again."""

    @property
    def root(self) -> Path:
        return Path(self.path)

    def checked_root(self) -> Path:
        """The folder; a `dagster.Failure` saying so when it is not there (not: every file deleted)."""
        root = self.root
        if not root.is_dir():
            problem = "is not a folder" if root.exists() else "does not exist"
            raise dg.Failure(description=f"posts folder {root} {problem} (ETL_POSTS_DIR)",
                             metadata={"posts_dir": dg.MetadataValue.path(str(root))})
        return root

    def planned_listing(self):
        """The listing in `listing_file` as an Arrow table, or None without one."""
        if self.listing_file is None:
            return None
        from etl.warehouse.ingest import read_listing

        return read_listing(Path(self.listing_file))


class Warehouse(DuckDBResource):
    """The DuckDB warehouse file. `get_connection()` waits for the one writer DuckDB allows and
    applies the schema from `sql/schema/` first. When the warehouse cannot be used (locked by another
    process, not writable, another schema's file, a full disk) the step fails with a
    `dagster.Failure` whose description is the cause in one line (the lock holder's PID, the path),
    the first thing the UI and `etl load` show, instead of a stack trace around it."""

    lock_wait_seconds: float = LOCK_WAIT_SECONDS
    max_delete_share: float = 1.0
    """The share of live articles a load may delete or quarantine (ETL_MAX_DELETE_SHARE, or 1 for
    `etl load --allow-mass-delete`; etl.warehouse.guard)."""

    @contextmanager
    def get_connection(self):
        try:
            with open_warehouse(self.database, wait_seconds=self.lock_wait_seconds) as conn:
                yield conn
        except WarehouseError as exc:
            raise self._failure(exc) from exc
        except duckdb.IOException as exc:  # a write that failed midway: a full disk, a file system gone read-only
            raise self._failure(exc, f"cannot write to warehouse {self.database}: {first_line(exc)}") from exc

    def _failure(self, exc: Exception, cause: str | None = None) -> dg.Failure:
        message = str(exc)
        metadata = {"warehouse": dg.MetadataValue.path(self.database), "error": message}
        holder = LOCK_HOLDER.search(message)
        if isinstance(exc, WarehouseLockedError) and holder:
            program, pid = Path(holder.group(1)).name, int(holder.group(2))
            metadata["lock_holder_pid"] = pid
            cause = (f"warehouse {self.database} is locked by PID {pid} ({program}): gave up after waiting "
                     f"{self.lock_wait_seconds:.0f}s")
        return dg.Failure(description=cause or first_line(exc), metadata=metadata)


LOCK_HOLDER = re.compile(r"held in (.+?) \(PID (\d+)\)")
"""How DuckDB names the process holding a file's lock."""


class GreatExpectations(dg.ConfigurableResource):
    """Where the asset checks run Great Expectations. With `helper_process`, in a process started
    when the run starts, so that its slow import overlaps the load instead of following it
    (etl/quality/helper.py); else in the run's own process."""

    helper_process: bool = True

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        if self.helper_process:
            from etl.quality.helper import start_helper

            start_helper()

    def validator(self):
        """The function a check step validates its batches with (`run_asset_checks`'s `validate`)."""
        if self.helper_process:
            from etl.quality.helper import validate_batches

            return validate_batches
        from etl.quality.validate import validate_asset

        return validate_asset


def warehouse_resources(*, posts_dir: Path | None = None, warehouse: Path | None = None,
                        listing_file: Path | None = None, hash_every_file: bool = False,
                        allow_mass_delete: bool = False) -> dict:
    """The resources of every load, whoever starts it: the settings' folder and warehouse unless
    given (`etl load --posts/--warehouse`); `etl load --full` hashes every file, and
    `--allow-mass-delete` lifts the guard."""
    settings = load_settings()
    return {
        "posts": PostsFolder(path=str(posts_dir or settings.posts_dir), max_post_bytes=settings.max_post_bytes,
                             workers=settings.workers, parse_seconds_per_file=settings.parse_seconds_per_file,
                             hash_every_file=hash_every_file or settings.hash_every_file,
                             listing_file=str(listing_file) if listing_file else None),
        "duckdb": Warehouse(database=str(warehouse or settings.warehouse), lock_wait_seconds=settings.lock_wait_seconds,
                            max_delete_share=1.0 if allow_mass_delete else settings.max_delete_share),
        "great_expectations": GreatExpectations(),
    }

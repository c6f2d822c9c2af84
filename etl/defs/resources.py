"""Dagster resources: the posts folder, the DuckDB warehouse, where Great Expectations runs."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from etl.core.settings import load_settings
from etl.warehouse.connection import LOCK_WAIT_SECONDS, open_warehouse

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

    def planned_listing(self):
        """The listing in `listing_file` as an Arrow table, or None without one."""
        if self.listing_file is None:
            return None
        from etl.warehouse.ingest import read_listing

        return read_listing(Path(self.listing_file))


class Warehouse(DuckDBResource):
    """The DuckDB warehouse file. `get_connection()` waits for the one writer DuckDB allows (then
    fails naming the holder's PID) and applies the schema from `sql/schema/` first."""

    lock_wait_seconds: float = LOCK_WAIT_SECONDS
    max_delete_share: float = 1.0
    """The share of live articles a load may delete or quarantine (ETL_MAX_DELETE_SHARE, or 1 for
    `etl load --allow-mass-delete`; etl.warehouse.guard)."""

    @contextmanager
    def get_connection(self):
        with open_warehouse(self.database, wait_seconds=self.lock_wait_seconds) as conn:
            yield conn


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

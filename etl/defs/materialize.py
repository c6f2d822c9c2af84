"""One load run of the warehouse's asset graph in this process: what `etl load` and `etl rebuild` run, over the same
assets, checks and resources as the UI, the schedule and the sensor. Without dates it is the run
the UI's Materialize all launches: every file scanned, the whole graph, its checks."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from etl.defs.assets.raw_posts import raw_posts
from etl.defs.dates import FULL_TAG, dates_tags
from etl.defs.definitions import WAREHOUSE_ASSETS, WAREHOUSE_CHECKS
from etl.defs.resources import warehouse_resources
from etl.defs.runs import REDERIVE_TAG, TRIGGER_TAG, load_run_row
from etl.quality.helper import start_helper
from etl.warehouse.connection import WarehouseError, open_warehouse
from etl.warehouse.publish import record_load_run


def run_load(posts_dir: Path, warehouse: Path, *, trigger: str = "cli", dates: tuple[date, date] | None = None,
             listing_file: Path | None = None, rebuild: bool = False):
    """Materialize the whole asset graph in one run, scanning the files of `dates` (first, last;
    default: every file). Returns the Dagster result.
    `listing_file`: the folder's listing as the caller just took it (`PostsFolder.listing_file`).
    `rebuild`: `etl rebuild`, every asset but `raw_posts` (the posts folder is not read), every
    article derived again from `raw_post` (run tag `etl/rederive=all`), trigger `rebuild`."""
    # The run's checks need Great Expectations: its import starts now, beside the run's own start
    # (the `great_expectations` resource would start it a few seconds later).
    start_helper()
    if rebuild:
        tags = {TRIGGER_TAG: "rebuild", REDERIVE_TAG: "all"}
    else:
        tags = {**(dates_tags(*dates) if dates else {FULL_TAG: "true"}), TRIGGER_TAG: trigger}
    instance = _run_instance()
    result = _materialize(posts_dir, warehouse, instance, tags, listing_file, rebuild=rebuild)
    if not result.success:
        _record_failure(instance, result.run_id, warehouse)
    return result


def _run_instance():
    """The Dagster instance of `DAGSTER_HOME` when it is set, else an ephemeral one (in memory, gone
    with the process)."""
    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


def _materialize(posts_dir: Path, warehouse: Path, instance: dg.DagsterInstance, tags: dict[str, str],
                 listing_file: Path | None, *, rebuild: bool) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [*WAREHOUSE_ASSETS, *WAREHOUSE_CHECKS],
        # A rebuild reads raw_post, never the folder: every asset downstream of raw_posts.
        selection=dg.AssetSelection.all() - dg.AssetSelection.assets(raw_posts) if rebuild else None,
        instance=instance,
        resources=warehouse_resources(posts_dir=posts_dir, warehouse=warehouse, listing_file=listing_file),
        tags=tags,
        # The report is what a person reads; the events are in the run's log.
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        raise_on_error=False,
    )


RECORD_FAILURE_WAIT_SECONDS = 5.0
"""How long a failed load waits for the write lock to record its failure: the failure may be that
another process holds it."""


def _record_failure(instance, run_id: str, warehouse: Path) -> None:
    """Write the failed run's `load_run` row: the failure sensor needs a daemon, which a run of
    `etl load` does not have."""
    row = load_run_row(instance, run_id, status="failure", recorded_by="etl_load")
    try:
        with open_warehouse(warehouse, wait_seconds=RECORD_FAILURE_WAIT_SECONDS) as conn:
            record_load_run(conn, row)
    except (WarehouseError, duckdb.Error) as exc:
        print(f"warning: the failed run could not be recorded in load_run: {exc}", file=sys.stderr)

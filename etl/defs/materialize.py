"""One load run of the warehouse's asset graph in this process: what `etl load` and `etl rebuild`
run, over the same assets, checks and resources as the UI, the schedule and the sensor. Without
dates it is the run the UI's Materialize all launches: every file scanned, the whole graph, its
checks."""

from __future__ import annotations

import os
import socket
import sys
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from etl.defs.dates import FULL_TAG, dates_tags
from etl.defs.definitions import REBUILD_SELECTION, WAREHOUSE_ASSETS, WAREHOUSE_CHECKS
from etl.defs.resources import warehouse_resources
from etl.defs.runs import REDERIVE_TAG, TRIGGER_TAG, failure_class, load_run_row
from etl.parallel import exclusive_lock
from etl.quality.helper import start_helper
from etl.warehouse.audit import keep_for_later
from etl.warehouse.connection import WarehouseError, open_warehouse
from etl.warehouse.guard import LoadRefused
from etl.warehouse.publish import record_load_run


def run_load(posts_dir: Path, warehouse: Path, *, trigger: str = "cli", dates: tuple[date, date] | None = None,
             listing_file: Path | None = None, rebuild: bool = False, hash_every_file: bool = False,
             allow_mass_delete: bool = False):
    """Materialize the whole asset graph in one run, scanning the files of `dates` (first, last;
    default: every file). Returns the Dagster result.
    `listing_file`: the folder's listing as the caller just took it (`PostsFolder.listing_file`).
    `rebuild`: `etl rebuild`, every asset but `raw_posts` (the posts folder is not read), every
    article derived again from `raw_post` (run tag `etl/rederive=all`), trigger `rebuild`.
    `hash_every_file` (`etl load --full`), `allow_mass_delete`: see `warehouse_resources`."""
    # The run's checks need Great Expectations: its import starts now, beside the run's own start
    # (the `great_expectations` resource would start it a few seconds later).
    start_helper()
    if rebuild:
        tags = {TRIGGER_TAG: "rebuild", REDERIVE_TAG: "all"}
    else:
        tags = {**(dates_tags(*dates) if dates else {FULL_TAG: "true"}), TRIGGER_TAG: trigger}
    instance = _run_instance()
    if instance.is_persistent:
        _release_runs_of_dead_loads(instance)
    resources = warehouse_resources(posts_dir=posts_dir, warehouse=warehouse, listing_file=listing_file,
                                    hash_every_file=hash_every_file, allow_mass_delete=allow_mass_delete)
    result = _materialize(instance, tags, resources, rebuild=rebuild)
    if not result.success:
        _record_failure(instance, result.run_id, warehouse, refused=refused(result))
    return result


def refused(result) -> bool:
    """Whether the run was stopped by the guard against a vanished or broken source."""
    return any(failure_class(event.step_failure_data) == LoadRefused.__name__
               for event in result.all_events if event.is_step_failure)


PROCESS_TAG = "etl/process"
"""Which process runs an `etl load`'s run: host, PID and the PID's start time (PIDs are reused)."""


def _process(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            started = stat.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        started = "gone"
    return f"{socket.gethostname()}:{pid}:{started}"


def _release_runs_of_dead_loads(instance: dg.DagsterInstance) -> None:
    """Mark failed, and free the pool slots of, runs made here (`etl load`, `etl rebuild`: those with
    a `PROCESS_TAG`) on this machine whose process is gone: one killed in a step (SIGKILL, the OOM
    killer) told Dagster nothing, so its run stays "started" holding the `duckdb` slot, and every
    later run would wait for that slot for ever. The daemon's run monitoring does this for runs it
    launched; these have no daemon."""
    host = socket.gethostname()
    for run in instance.get_runs(filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING])):
        owner = run.tags.get(PROCESS_TAG, "")
        if owner.count(":") != 2 or not owner.startswith(f"{host}:"):
            continue
        if _process(int(owner.split(":")[1])) != owner:
            instance.report_run_failed(run, "the etl load process running it ended without a word (killed)")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)


INSTANCE_LOCK = ".etl-instance.lock"


def _run_instance():
    """The Dagster instance of `DAGSTER_HOME` when it is set, else an ephemeral one (in memory, gone
    with the process). A new home's storage is created when the instance is first made: processes
    that start at once on it would each create it (two alembic heads, "table runs already exists",
    a home broken for good), so they make it one at a time, under a lock file in the home."""
    home = os.environ.get("DAGSTER_HOME")
    if not home:
        return dg.DagsterInstance.ephemeral()
    Path(home).mkdir(parents=True, exist_ok=True)
    with exclusive_lock(Path(home) / INSTANCE_LOCK):
        return dg.DagsterInstance.get()


def _materialize(instance: dg.DagsterInstance, tags: dict[str, str], resources: dict, *,
                 rebuild: bool) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [*WAREHOUSE_ASSETS, *WAREHOUSE_CHECKS],
        selection=REBUILD_SELECTION if rebuild else None,
        instance=instance,
        resources=resources,
        tags={**tags, PROCESS_TAG: _process(os.getpid())},
        # The report is what a person reads, the cause of a failure first; Dagster's console lines
        # would bury it under stack traces (the run's events are in the instance's log).
        run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
        raise_on_error=False,
    )


RECORD_FAILURE_WAIT_SECONDS = 5.0
"""How long a failed load waits for the write lock to record its failure: the failure may be that
another process holds it."""


def _record_failure(instance, run_id: str, warehouse: Path, *, refused: bool) -> None:
    """Write the failed run's `load_run` row: the failure sensor needs a daemon, which a run of
    `etl load` does not have."""
    record_or_keep(warehouse, load_run_row(instance, run_id, status="refused" if refused else "failure",
                                           recorded_by="etl_load"))


def record_or_keep(warehouse: Path, row) -> None:
    """Write `row` into `load_run`; when the warehouse cannot be written now (another process holds
    it, the disk is full), keep it beside the warehouse for the next writer to record."""
    try:
        with open_warehouse(warehouse, wait_seconds=RECORD_FAILURE_WAIT_SECONDS) as conn:
            record_load_run(conn, row)
    except (WarehouseError, duckdb.Error) as exc:
        try:
            keep_for_later(warehouse, row)
        except OSError as kept_exc:
            print(f"warning: the run could not be recorded in load_run ({exc}), nor kept aside: {kept_exc}",
                  file=sys.stderr)

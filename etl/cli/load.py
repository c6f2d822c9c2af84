"""`etl load`: plan from the files' stamps, one Dagster run over the dates that changed, a report.

Dagster is imported only once the plan has started: in a fresh process the plan runs in a forked
child meanwhile, and forking is safe only before DuckDB and Dagster's threads exist here.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import shutil
import sys
import tempfile
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from etl.warehouse.plan import LoadPlan


@dataclass(frozen=True)
class LoadOutcome:
    plan: LoadPlan
    result: object | None
    """The Dagster run's result; None when the plan found nothing to load."""


REFUSED = 3
"""`etl load`'s exit status when the guard refused the load (etl.warehouse.guard)."""


def load(posts_dir: Path, warehouse: Path, *, full: bool = False, allow_mass_delete: bool = False) -> LoadOutcome:
    """What `etl load` does: plan from the files' stamps, then one run over the dates that changed
    (every date, every file read and hashed, with `full`; every date when the stamps cannot be
    trusted), or no run when nothing did. A plan that would delete too many live articles raises
    `guard.LoadRefused` before anything is written (unless `allow_mass_delete`)."""
    from etl.core.settings import load_settings
    from etl.quality.helper import start_helper, stop_helper

    settings = load_settings()
    full_reason = None
    if full:
        full_reason = "a full load was asked for"
    elif settings.hash_every_file:
        full_reason = "ETL_HASH_EVERY_FILE is set"
    _remove_scratch_of_dead_loads()
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as scratch:
        listing_file = Path(scratch) / "listing.arrow"
        comparison = _start_comparison(posts_dir, warehouse, full_reason, listing_file, settings.max_post_bytes)
        started_helper = start_helper()  # imports Great Expectations at low priority, for the checks of a run
        try:
            from etl.defs.dates import date_bounds

            bounds = date_bounds()
            # While the folder is still being compared, import the run's definitions. Not the run's
            # instance too: on a big folder the comparison ends about when these imports do, so a
            # load with nothing to do would wait for it, and one with a run gains little.
            if not comparison.done():
                importlib.import_module("etl.defs.materialize")
            compared = comparison.result()
            plan = compared.plan(bounds)
            refusal = None if allow_mass_delete or compared.deletions is None else \
                compared.deletions.refusal(settings.max_delete_share, posts_dir)
            if refusal:
                raise refusal
        except BaseException:
            comparison.cancel()  # before the scratch folder it writes into goes
            if started_helper:
                stop_helper()
            raise
        if plan.up_to_date:
            if started_helper:  # no run to check; a helper found running stays for the process's next
                stop_helper()
            return LoadOutcome(plan, None)
        # A plan of every date is Materialize all's run: every file, no dates in the tags.
        dates = None if plan.full_reason else (plan.first, plan.last)
        return LoadOutcome(plan, run_load(posts_dir, warehouse, dates=dates,
                                          listing_file=listing_file if listing_file.exists() else None,
                                          hash_every_file=full, allow_mass_delete=allow_mass_delete))


SCRATCH_PREFIX = "etl-load-"
"""The scratch folder of a load (its listing file) is `<tmp>/etl-load-<PID>-<random>`."""


def _remove_scratch_of_dead_loads() -> None:
    """Remove the scratch folders a killed `etl load` could not."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        pid = folder.name[len(SCRATCH_PREFIX):].split("-")[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:  # alive, another user's
            pass


def run_load(*args, **options):
    """`etl.defs.materialize.run_load`, imported only when a run is due: Dagster's import must
    follow the plan's fork."""
    from etl.defs.materialize import run_load as run

    return run(*args, **options)


def _start_comparison(posts_dir: Path, warehouse: Path, full_reason: str | None, listing_file: Path,
                      max_bytes: int):
    """Start comparing the folder with the warehouse (`plan.compare_folder`), keeping the listing in
    `listing_file` for the run's scan. In a fresh process, which has not imported Dagster yet, it
    runs in a forked child while this process imports Dagster, which take about as long as each other.
    The fork is safe then, before this process has loaded DuckDB (whose threads may hold locks).
    Elsewhere (tests, a long-lived process) there is nothing to overlap, and it runs here."""
    from etl.parallel import Pending

    arguments = (posts_dir, warehouse, full_reason, listing_file, max_bytes)
    if "dagster" in sys.modules or "duckdb" in sys.modules:
        return Pending.done_with(_compare_and_keep_listing(*arguments))
    return Pending.in_forked_child(_compare_and_keep_listing, arguments)


def _compare_and_keep_listing(posts_dir: Path, warehouse: Path, full_reason: str | None, listing_file: Path,
                              max_bytes: int):
    from dataclasses import replace

    from etl.core.settings import analyst_db_for
    from etl.warehouse.connection import check_warehouse
    from etl.warehouse.ingest import write_listing
    from etl.warehouse.plan import compare_folder

    check_warehouse(warehouse)  # a file the run would refuse is refused now, before Dagster starts
    comparison = compare_folder(posts_dir, warehouse, analyst_db_for(warehouse), max_bytes=max_bytes,
                                full_reason=full_reason)
    if comparison.listing is None:
        return comparison
    write_listing(comparison.listing, listing_file)
    return replace(comparison, listing=None)  # the file carries it: a pipe would copy 100k rows twice


def command(args: argparse.Namespace) -> int:
    """`etl load`."""
    from etl.core.settings import load_settings

    # Dagster's notices about beta and preview parameters are for asset authors, not for someone
    # running a load, whose first line on stderr is the cause of a failure.
    warnings.filterwarnings("ignore", message=r".* is currently in (beta|preview)")

    settings = load_settings()
    posts_dir = Path(args.posts).resolve() if args.posts else settings.posts_dir
    warehouse = Path(args.warehouse).resolve() if args.warehouse else settings.warehouse
    if not posts_dir.is_dir():
        problem = "is not a folder" if posts_dir.exists() else "does not exist"
        print(f"error: posts folder {posts_dir} {problem}", file=sys.stderr)
        return 2
    print(f"Loading {posts_dir} into {warehouse} ...", flush=True)
    with _one_load_at_a_time(warehouse):
        try:
            outcome = load(posts_dir, warehouse, full=args.full, allow_mass_delete=args.allow_mass_delete)
        except Exception as exc:
            # Not imported before `load` forks: they import DuckDB.
            from etl.warehouse.connection import WarehouseError, first_line
            from etl.warehouse.guard import LoadRefused

            if isinstance(exc, LoadRefused):
                print(f"error: {exc}", file=sys.stderr)
                _record_refusal(warehouse, str(exc))
                return REFUSED
            if isinstance(exc, WarehouseError):
                print(f"error: {exc}", file=sys.stderr)
                return 2
            print(f"error: etl load failed before its run: {type(exc).__name__}: {first_line(exc)}", file=sys.stderr)
            traceback.print_exc()
            return 1
        from etl.cli.report import (
            print_load_report,  # it imports Dagster and DuckDB: not before `load` forks
        )

        return print_load_report(outcome, warehouse)


def _one_load_at_a_time(warehouse: Path):
    """`etl load`s of one warehouse one after the other (a lock file beside it): a second load waits,
    then plans from what the first wrote, instead of interleaving its steps with the first's and
    failing when the warehouse stays locked longer than `open_warehouse` waits. A place where the
    lock cannot be made is one the warehouse check refuses anyway."""
    from etl.parallel import exclusive_lock

    lock = warehouse.with_name(warehouse.name + ".etl-load.lock")
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        lock.touch()
    except OSError:
        return contextlib.nullcontext()
    return exclusive_lock(lock, on_wait=lambda holder: print(
        f"Waiting for the etl load of {holder} to finish (it holds {lock}) ...", flush=True))


def _record_refusal(warehouse: Path, reason: str) -> None:
    """The refused load's `load_run` row: it has no Dagster run, so it gets an id of its own."""
    import uuid

    from etl.core.calendar import utc_now
    from etl.defs.materialize import record_or_keep
    from etl.warehouse.publish import LoadRunRow

    record_or_keep(warehouse, LoadRunRow(run_id=f"refused-{uuid.uuid4()}", trigger="cli", status="refused",
                                         finished_at=utc_now(), recorded_by="etl_load", error=reason))

"""`etl load` and friends: the headless way to run the same assets the UI and schedules run."""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import select
import signal
import sys
import tempfile
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from etl.warehouse.plan import LoadPlan


def _quiet_dagster() -> None:
    # Beta/preview notices are for asset authors, not for someone running a load.
    import dagster as dg

    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    warnings.filterwarnings("ignore", category=dg.PreviewWarning)


def run_load(posts_dir: Path, warehouse: Path, *, trigger: str = "cli", partitions: tuple[date, date] | None = None,
             listing_file: Path | None = None):
    """Materialize the whole asset graph over the partition range `partitions` (default: every date
    present in the posts folder or live in the warehouse), in one run. Returns the Dagster result.
    `listing_file`: the folder's listing as the caller just took it (`PostsFolder.listing_file`)."""
    from etl.automation.partitions import partition_bounds
    from etl.checks.helper import start_helper
    from etl.settings import load_settings
    from etl.warehouse.plan import every_date

    # The run's checks need Great Expectations: its import starts now, beside the run's own start
    # (the `great_expectations` resource would start it a few seconds later).
    start_helper()
    settings = load_settings()
    partitions = partitions or every_date(posts_dir, warehouse, partition_bounds())
    instance = _run_instance()
    with _environment({} if instance.is_persistent else {PLANNED_EVENTS_AS_RANGE: "1"}):
        result = _materialize(posts_dir, warehouse, instance, settings, partitions, trigger, listing_file)
    if not result.success:
        _record_failure(instance, result.run_id, warehouse)
    return result


def _run_instance():
    """The Dagster instance of `DAGSTER_HOME` when it is set, else an ephemeral one (in memory, gone
    with the process)."""
    import dagster as dg

    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


PLANNED_EVENTS_AS_RANGE = "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"
"""Dagster's switch for one "materialization planned" event per asset of a range run instead of one
per date (200 dates: about 1 s). Its cost is that a failed run's dates are not marked failed in the
instance, which only matters to an instance that outlives the run: on for the ephemeral one."""


@contextmanager
def _environment(values: dict[str, str]):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _materialize(posts_dir: Path, warehouse: Path, instance, settings, partitions: tuple[date, date], trigger: str,
                 listing_file: Path | None):
    import dagster as dg

    from etl.automation.partitions import RANGE_END_TAG, RANGE_START_TAG
    from etl.definitions import WAREHOUSE_ASSETS, WAREHOUSE_CHECKS
    from etl.resources import GreatExpectations, PostsFolder
    from dagster_duckdb import DuckDBResource

    return dg.materialize(
        [*WAREHOUSE_ASSETS, *WAREHOUSE_CHECKS],
        instance=instance,
        resources={
            "posts": PostsFolder(path=str(posts_dir), max_post_bytes=settings.max_post_bytes,
                                 workers=settings.workers, hash_every_file=settings.hash_every_file,
                                 listing_file=str(listing_file) if listing_file else None),
            "duckdb": DuckDBResource(database=str(warehouse)),
            "great_expectations": GreatExpectations(),
        },
        tags={
            RANGE_START_TAG: partitions[0].isoformat(),
            RANGE_END_TAG: partitions[1].isoformat(),
            "etl/trigger": trigger,
        },
        # Dagster logs one event per partition and asset; the report below is what a person reads.
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        raise_on_error=False,
    )


RECORD_FAILURE_WAIT_SECONDS = 5.0
"""How long a failed load waits for the write lock to record its failure: the failure may be that
another process holds it."""


def _record_failure(instance, run_id: str, warehouse: Path) -> None:
    """Write the failed run's `load_run` row: the failure sensor needs a daemon, which a run of
    `etl load` does not have."""
    import duckdb

    from etl.assets.snapshot import load_run_row
    from etl.warehouse.connection import WarehouseLockedError, open_warehouse
    from etl.warehouse.publish import record_load_run

    row = load_run_row(instance, run_id, status="failure", recorded_by="etl_load")
    try:
        with open_warehouse(warehouse, wait_seconds=RECORD_FAILURE_WAIT_SECONDS) as conn:
            record_load_run(conn, row)
    except (WarehouseLockedError, duckdb.Error) as exc:
        print(f"warning: the failed run could not be recorded in load_run: {exc}", file=sys.stderr)


@dataclass(frozen=True)
class LoadOutcome:
    plan: LoadPlan
    result: object | None
    """The Dagster run's result; None when the plan found nothing to load."""


def load(posts_dir: Path, warehouse: Path, *, full: bool = False) -> LoadOutcome:
    """What `etl load` does: plan from the files' stamps, then one run over the dates that changed
    (every date with `full`, or when the stamps cannot be trusted), or no run when nothing did."""
    from etl.checks.helper import start_helper, stop_helper
    from etl.settings import load_settings

    full_reason = None
    if full:
        full_reason = "a full load was asked for"
    elif load_settings().hash_every_file:
        full_reason = "ETL_HASH_EVERY_FILE is set"
    with tempfile.TemporaryDirectory(prefix="etl-load-") as scratch:
        listing_file = Path(scratch) / "listing.arrow"
        comparison = _start_comparison(posts_dir, warehouse, full_reason, listing_file)
        started_helper = start_helper()  # imports Great Expectations at low priority, for the checks of a run
        try:
            _quiet_dagster()
            from etl.automation.partitions import partition_bounds

            bounds = partition_bounds()
            # While the folder is still being compared, import the run's definitions (0.7 s). Not
            # the run's instance too (1 s more): at 100k posts the comparison ends about when these
            # imports do, so a load with nothing to do would wait for it, and one with a run gains little.
            if not comparison.done():
                importlib.import_module("etl.definitions")
            plan = comparison.result().plan(bounds)
        except BaseException:
            comparison.cancel()  # before the scratch folder it writes into goes
            if started_helper:
                stop_helper()
            raise
        if plan.up_to_date:
            if started_helper:  # no run to check; a helper found running stays for the process's next
                stop_helper()
            return LoadOutcome(plan, None)
        return LoadOutcome(plan, run_load(posts_dir, warehouse, partitions=(plan.first, plan.last),
                                          listing_file=listing_file if listing_file.exists() else None))


def _start_comparison(posts_dir: Path, warehouse: Path, full_reason: str | None, listing_file: Path):
    """Start comparing the folder with the warehouse (`plan.compare_folder`), keeping the listing in
    `listing_file` for the run's scan. In a fresh process, which has not imported Dagster yet, it
    runs in a forked child while this process imports Dagster: at 100k posts each takes about 2 s.
    The fork is safe then, before this process has loaded DuckDB (whose threads may hold locks).
    Elsewhere (tests, a long-lived process) there is nothing to overlap, and it runs here."""
    from etl.forked import Pending

    arguments = (posts_dir, warehouse, full_reason, listing_file)
    if "dagster" in sys.modules or "duckdb" in sys.modules:
        return Pending.done_with(_compare_and_keep_listing(*arguments))
    return Pending.in_forked_child(_compare_and_keep_listing, arguments)


def _compare_and_keep_listing(posts_dir: Path, warehouse: Path, full_reason: str | None, listing_file: Path):
    from dataclasses import replace

    from etl.settings import analyst_db_for
    from etl.warehouse.ingest import write_listing
    from etl.warehouse.plan import compare_folder

    comparison = compare_folder(posts_dir, warehouse, analyst_db_for(warehouse), full_reason=full_reason)
    if comparison.listing is None:
        return comparison
    write_listing(comparison.listing, listing_file)
    return replace(comparison, listing=None)  # the file carries it: a pipe would copy 100k rows twice


def _load(args: argparse.Namespace) -> int:
    from etl.settings import load_settings

    settings = load_settings()
    posts_dir = Path(args.posts).resolve() if args.posts else settings.posts_dir
    warehouse = Path(args.warehouse).resolve() if args.warehouse else settings.warehouse
    if not posts_dir.is_dir():
        print(f"error: posts folder {posts_dir} does not exist", file=sys.stderr)
        return 2
    print(f"Loading {posts_dir} into {warehouse} ...", flush=True)
    outcome = load(posts_dir, warehouse, full=args.full)
    from etl.report import print_load_report  # it imports Dagster and DuckDB: not before `load` forks

    return print_load_report(outcome, warehouse)


def _generate(args: argparse.Namespace) -> int:
    from etl.synthetic import generate_corpus

    manifest = generate_corpus(Path(args.out), args.posts, seed=args.seed)
    print(f"wrote {len(manifest['files'])} posts ({len(manifest['articles'])} articles) to {args.out}")
    return 0


def _sql(args: argparse.Namespace) -> int:
    from etl.query import QueryError, analyst_database, render, run_query
    from etl.settings import load_settings

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


def _dictionary(args: argparse.Namespace) -> int:
    from etl import dictionary

    out = Path(args.out) if args.out else dictionary.DICTIONARY_PATH
    missing = dictionary.missing_comments()
    for item in missing:
        print(f"missing COMMENT ON: {item}", file=sys.stderr)
    if args.check:
        stale = dictionary.is_stale(out)
        if stale:
            print(f"{out} is stale: run etl dictionary", file=sys.stderr)
        return 1 if stale or missing else 0
    print(f"{'wrote' if dictionary.write(out) else 'unchanged:'} {out}")
    return 1 if missing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="etl", description="finews warehouse: load posts, query tables.")
    commands = parser.add_subparsers(dest="command", required=True)
    load_command = commands.add_parser(
        "load", help="load new, changed and deleted posts into the DuckDB warehouse (one Dagster run)")
    load_command.add_argument("--posts", help="posts folder (default: $ETL_POSTS_DIR or the bundled sample)")
    load_command.add_argument("--warehouse", help="DuckDB file (default: $ETL_WAREHOUSE or data/warehouse.duckdb)")
    load_command.add_argument("--full", action="store_true",
                      help="run over every date in the folder, even when no file changed since the last load")
    load_command.set_defaults(handler=_load)
    generate = commands.add_parser("generate", help="write a synthetic corpus in the real post formats")
    generate.add_argument("--out", required=True, help="folder to write the posts into")
    generate.add_argument("--posts", type=int, default=1000, help="number of post files")
    generate.add_argument("--seed", type=int, default=0)
    generate.set_defaults(handler=_generate)
    sql = commands.add_parser("sql", help="query the analyst snapshot (else the warehouse), read-only")
    sql.add_argument("query", nargs="?", help='SQL to run, e.g. "SELECT * FROM top_stocks_7d LIMIT 10"')
    sql.add_argument("--file", help="run the SQL in this file instead (examples in sql/queries/)")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.add_argument("--db", help="DuckDB file to query (default: the analyst snapshot, else $ETL_WAREHOUSE)")
    sql.set_defaults(handler=_sql)
    dictionary = commands.add_parser("dictionary", help="write docs/data-dictionary.md from the schema's comments")
    dictionary.add_argument("--out", help="file to write (default: docs/data-dictionary.md)")
    dictionary.add_argument("--check", action="store_true", help="only check: exit 1 when stale or a comment is missing")
    dictionary.set_defaults(handler=_dictionary)
    args = parser.parse_args(argv)
    try:
        status = args.handler(args)
        sys.stdout.flush()  # short output written into a pipe waits in the buffer until here
        return status
    except BrokenPipeError:
        if not _stdout_reader_gone():
            raise  # another pipe broke (a helper process's): a real failure
        # Whoever read our output stopped (`etl sql ... | head`): end quietly, as a tool killed by
        # SIGPIPE would. Python flushes stdout at exit, which would fail again: point it at nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 128 + signal.SIGPIPE


def _stdout_reader_gone() -> bool:
    """Whether standard output is a pipe whose reading end is closed (poll reports POLLERR)."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by an object with no file behind it
        return False
    poller = select.poll()
    poller.register(descriptor, select.POLLOUT)
    return any(events & select.POLLERR for _, events in poller.poll(0))


def run() -> None:
    """The `etl` command: `main`, then `exit_skipping_teardown`."""
    exit_skipping_teardown(main())


def exit_skipping_teardown(status: int) -> None:
    """End the process as `sys.exit(status)` would, less the interpreter's teardown: freeing every
    module and object one by one takes a process that has imported Dagster about 1 s (1.4 s after a
    load, measured), and nothing of ours needs it. What comes before the teardown still happens, in
    CPython's order: idle pool threads are told to stop and the threads that are not daemons are
    waited for (the old snapshot's freeing), the atexit handlers run (the Great Expectations
    helper's stop, multiprocessing's and logging's own), and the standard streams are flushed; a
    failed flush ends the process with 120, as CPython's does."""
    threading._shutdown()  # what Py_Finalize does first; its own loop also joins threads started meanwhile
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None or stream.closed:
            continue
        try:
            stream.flush()
        except (OSError, ValueError) as exc:
            status = 120
            try:
                print(f"etl: could not flush {stream.name}: {exc}", file=sys.__stderr__, flush=True)
            except (OSError, ValueError, AttributeError):
                pass
    os._exit(status)


if __name__ == "__main__":
    run()

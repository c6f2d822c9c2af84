"""The `etl` command: `etl load`, `etl rebuild`, `etl securities import`, `etl sql`, `etl dictionary`;
one module per command."""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import select
import signal
import sys
import threading


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="etl", description="finews warehouse: load posts, query tables.")
    commands = parser.add_subparsers(dest="command", required=True)
    load_command = commands.add_parser(
        "load", help="load new, changed and deleted posts into the DuckDB warehouse (one Dagster run)")
    load_command.add_argument("--posts", help="posts folder (default: $ETL_POSTS_DIR or the bundled sample)")
    load_command.add_argument("--warehouse", help="DuckDB file (default: $ETL_WAREHOUSE or data/warehouse.duckdb)")
    load_command.add_argument("--full", action="store_true",
                      help="run over every date in the folder and read and hash every file, even when no "
                           "file's path, size and mtime changed since the last load")
    load_command.add_argument("--allow-mass-delete", action="store_true",
                      help="load even when more than ETL_MAX_DELETE_SHARE of the live articles would be deleted "
                           "or quarantined (the posts folder really lost them)")
    load_command.set_defaults(handler="load")
    sql = commands.add_parser("sql", help="query the published analyst snapshot, read-only")
    sql.add_argument("query", nargs="?", help='SQL to run, e.g. "SELECT * FROM top_stocks_7d LIMIT 10"')
    sql.add_argument("--file", help="run the SQL in this file instead (examples in sql/queries/)")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.add_argument("--db", help="DuckDB file to query, read-only (default: the analyst snapshot, $ETL_ANALYST_DB)")
    sql.set_defaults(handler="sql")
    rebuild = commands.add_parser(
        "rebuild", help="derive every article, tag, mention and security again from raw_post (no posts folder read)")
    rebuild.add_argument("--warehouse", help="DuckDB file (default: $ETL_WAREHOUSE or data/warehouse.duckdb)")
    rebuild.set_defaults(handler="rebuild")
    securities = commands.add_parser("securities", help="the security master that name matching uses")
    securities_commands = securities.add_subparsers(dest="securities_command", required=True)
    import_command = securities_commands.add_parser(
        "import", help="add or update security master entries from a UTF-8 CSV (header: secid, name, aliases)")
    import_command.add_argument("file", help="CSV file: secid (or market and code), name, optional aliases "
                                             "(separated by |) and full_name")
    import_command.add_argument("--warehouse", help="DuckDB file (default: $ETL_WAREHOUSE or data/warehouse.duckdb)")
    import_command.add_argument("--replace", action="store_true",
                                help="the file is the whole master: remove the entries it does not hold "
                                     "(all or nothing: a file with an unusable row imports nothing)")
    import_command.set_defaults(handler="securities")
    dictionary = commands.add_parser("dictionary", help="write docs/data-dictionary.md from the schema's comments")
    dictionary.add_argument("--out", help="file to write (default: docs/data-dictionary.md)")
    dictionary.add_argument("--check", action="store_true", help="only check: exit 1 when stale or a comment is missing")
    dictionary.set_defaults(handler="dictionary")
    args = parser.parse_args(argv)
    from etl.core.settings import SettingsError

    try:
        # Each command's module is imported only when it runs: `etl load` must fork before Dagster loads.
        status = importlib.import_module(f"etl.cli.{args.handler}").command(args)
        sys.stdout.flush()  # short output written into a pipe waits in the buffer until here
        return status
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
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
    module and object one by one is a noticeable share of a small load in a process that has
    imported Dagster (docs/benchmarks.md), and nothing of ours needs it. What comes before the teardown still happens, in
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

"""Materialize all in the Dagster UI against `etl load --full`, on the same synthetic corpus, in one
session: how much the UI costs over the command line for the same work.

For each size and round, each into a new warehouse:
- **cli**: `etl load --full` in a fresh process (an ephemeral Dagster instance, as a user runs it),
  from the start of the process to its exit;
- **ui**: a real `dagster dev` with its daemon over the same folder (tests/e2e's `Server`, the
  repository's dagster.yaml, the sensors stopped so the click is what loads), Chromium clicks
  Materialize all on the lineage page (the browser test's `click_materialize_all`), timed from the
  click to the run's end as the instance records it.
Both use `ETL_WORKERS` = 2 (the machine's cores). Run it under `flock /tmp/bench.lock`:

    flock /tmp/bench.lock .venv/bin/python -m bench.ui --sizes 10000 100000 --repeat 2
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dagster as dg
import duckdb

from bench.benchmark import corpus_for
from tests.e2e.test_dagster_instance import Server
from tests.e2e.test_ui_browser import chromium_or_skip, click_materialize_all, stop_sensors

WORKERS = "2"
RUN_TIMEOUT_SECONDS = 3600


def files_seen(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute("SELECT files_seen FROM load_run ORDER BY finished_at DESC LIMIT 1").fetchall()[0][0]


def cli_load(corpus: Path, scratch: Path) -> tuple[float, int]:
    warehouse = scratch / "cli" / "warehouse.duckdb"
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "ETL_ANALYST_DB")}
    env["ETL_WORKERS"] = WORKERS
    began = time.monotonic()
    subprocess.run([sys.executable, "-m", "etl.cli", "load", "--full", "--posts", str(corpus),
                    "--warehouse", str(warehouse)], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - began, files_seen(warehouse)


def ui_load(corpus: Path, scratch: Path, browser) -> tuple[float, int]:
    # The server starts on an empty folder: the folder sensor's first tick would load the corpus
    # itself and the click's run would queue behind it. Once the sensors are stopped, the corpus
    # (hard links: the same files, stamps and paths) is renamed into place.
    (scratch / "ui").mkdir()
    staged, posts = scratch / "ui" / "staged", scratch / "ui" / "posts"
    subprocess.run(["cp", "-al", str(corpus), str(staged)], check=True)
    posts.mkdir()
    server = Server(scratch / "ui", posts=posts, env={"ETL_WORKERS": WORKERS})
    try:
        server.start()
        stop_sensors(server)
        posts.rmdir()
        staged.rename(posts)
        run_id, clicked_at = click_materialize_all(browser, server)
        server.wait_for([run_id], timeout=RUN_TIMEOUT_SECONDS)
        with server.instance() as instance:
            record = instance.get_run_record_by_id(run_id)
            others = [r.dagster_run.run_id for r in instance.get_run_records() if r.dagster_run.run_id != run_id]
        if others:
            raise RuntimeError(f"runs other than the click's ran on the server: {others}")
        if record.dagster_run.status != dg.DagsterRunStatus.SUCCESS:
            raise RuntimeError(f"the UI's run {run_id} ended {record.dagster_run.status}; see {server.log}")
        return record.end_time - clicked_at, files_seen(server.warehouse)
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ui", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1, help="rounds of cli then ui per size (default 1)")
    parser.add_argument("--corpora", type=Path, default=Path("/tmp/bench"),
                        help="where corpora are generated once and reused (default: /tmp/bench)")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args(argv)
    manager, browser = chromium_or_skip()
    figures = {}
    try:
        for size in args.sizes:
            corpus = corpus_for(size, args.corpora)
            rounds = []
            for _ in range(args.repeat):
                with tempfile.TemporaryDirectory(prefix="bench-ui-") as scratch:
                    cli_seconds, cli_files = cli_load(corpus, Path(scratch))
                    ui_seconds, ui_files = ui_load(corpus, Path(scratch), browser)
                if cli_files != ui_files:
                    raise RuntimeError(f"the two loads saw {cli_files} and {ui_files} files: not the same work")
                rounds.append({"cli": cli_seconds, "ui": ui_seconds, "files": ui_files})
                print(f"{size}: etl load --full {cli_seconds:.1f} s, UI {ui_seconds:.1f} s "
                      f"({ui_seconds / cli_seconds:.2f}x), {ui_files} files", flush=True)
            figures[size] = rounds
    finally:
        browser.close()
        manager.stop()
    print("\n| posts | `etl load --full` | UI Materialize all, click to success | UI / CLI |\n|---:|---:|---:|---:|")
    for size, rounds in figures.items():
        cli = statistics.median(r["cli"] for r in rounds)
        ui = statistics.median(r["ui"] for r in rounds)
        print(f"| {size:,} | {cli:.1f} s | {ui:.1f} s | {ui / cli:.2f}x |")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

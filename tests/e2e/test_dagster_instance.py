"""End to end on a real Dagster instance: `dagster dev` (webserver + daemon + code server) on a free
loopback port, a temporary DAGSTER_HOME holding the repository's dagster.yaml, posts and warehouse
in temporary folders. Loads are launched through the GraphQL API like the UI does; the daemon's
run queue and the posts-folder sensor do the rest. Every process is stopped at the end."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.instance.ref import InstanceRef
from dagster_graphql import DagsterGraphQLClient

from tests.e2e.posts_factory import (
    FIRST_DAY,
    LAST_DAY,
    emnews_post,
    sample_folder,
    write,
)

REPO = Path(__file__).resolve().parents[2]
START, END = "etl/dates_start", "etl/dates_end"
LOCK_ERRORS = ("WarehouseLockedError", "Could not set lock", "Conflicting lock")
STARTUP_SECONDS, RUN_SECONDS = 180, 300
DONE = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


LOCATIONS = "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"


class Server:
    """`dagster dev` over a posts folder: by default `root/posts` filled with the sample posts;
    `posts` names a folder to use as it is (the browser test's, a benchmark corpus); `env` adds to
    or overrides the settings (ETL_*) the server runs with."""

    def __init__(self, root: Path, *, posts: Path | None = None, env: dict[str, str] | None = None):
        self.home, self.warehouse = root / "dagster_home", root / "wh" / "warehouse.duckdb"
        self.posts, self.fill = (posts, False) if posts else (root / "posts", True)
        self.snapshot = self.warehouse.with_name("warehouse.analyst.duckdb")
        self.log = root / "dagster_dev.log"
        self.port = free_port()
        self.env = env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.home.mkdir()
        shutil.copy(REPO / "dagster.yaml", self.home / "dagster.yaml")
        if self.fill:
            sample_folder(self.posts)
        env = {**os.environ, "DAGSTER_HOME": str(self.home), "ETL_POSTS_DIR": str(self.posts),
               "ETL_WAREHOUSE": str(self.warehouse), "ETL_WORKERS": "1", "ETL_SENSOR_INTERVAL_SECONDS": "5",
               **self.env}
        env.pop("ETL_ANALYST_DB", None)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "dagster", "dev", "-w", "workspace.yaml", "-h", "127.0.0.1",
                 "-p", str(self.port)],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text(errors="replace")[-3000:]
            try:
                entries = graphql(self.port, LOCATIONS)["data"]["workspaceOrError"]["locationEntries"]
                if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                    return
            except (OSError, KeyError, TypeError, ValueError):
                pass
            time.sleep(1)
        raise AssertionError("dagster dev did not start:\n" + self.log.read_text(errors="replace")[-3000:])

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGINT)  # dagster dev stops its webserver, daemon and code server
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
        try:  # whatever is left of the process group we started
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)

    def client(self) -> DagsterGraphQLClient:
        return DagsterGraphQLClient("127.0.0.1", port_number=self.port)

    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(self.home)))

    def wait_for(self, run_ids: list[str], timeout: float = RUN_SECONDS) -> None:
        client, deadline = self.client(), time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(client.get_run_status(run_id) in DONE for run_id in run_ids):
                return
            assert self.process.poll() is None, "dagster dev died"
            time.sleep(1)
        raise AssertionError(f"runs {run_ids} still not done after {timeout}s")

    def query_snapshot(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.snapshot), read_only=True) as conn:
            return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("e2e"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


def launch(server: Server, start: str, end: str) -> str:
    return server.client().submit_job_execution("load_warehouse", tags={START: start, END: end})


def run_events(instance: dg.DagsterInstance, run_id: str, event_type: dg.DagsterEventType) -> list:
    return [e.get_dagster_event() for e in instance.all_logs(run_id, of_type=event_type)]


def test_a_ui_load_runs_the_checks_and_publishes_the_snapshot(server):
    run_id = launch(server, FIRST_DAY, LAST_DAY)
    server.wait_for([run_id])
    with server.instance() as instance:
        run = instance.get_run_by_id(run_id)
        assert run.status == dg.DagsterRunStatus.SUCCESS, server.log.read_text(errors="replace")[-3000:]
        assert "etl/trigger" not in run.tags  # a UI/GraphQL launch carries no trigger tag...
        checks = [e.asset_check_evaluation_data for e in
                  run_events(instance, run_id, dg.DagsterEventType.ASSET_CHECK_EVALUATION)]
        materialized = {e.asset_key.to_user_string() for e in
                        run_events(instance, run_id, dg.DagsterEventType.ASSET_MATERIALIZATION)}
    from etl.defs.definitions import WAREHOUSE_CHECKS

    if WAREHOUSE_CHECKS:  # the Great Expectations checks ran, and the sample corpus passes them all
        expected = sum(len(list(c.check_keys)) for c in WAREHOUSE_CHECKS)
        assert len(checks) == expected and all(c.passed for c in checks), \
            [(c.check_name, c.passed) for c in checks if not c.passed]
    assert {"raw_posts", "articles", "securities", "analyst_snapshot"} <= materialized
    assert server.query_snapshot("SELECT count(*) FROM article") == [(4,)]
    row = server.query_snapshot(f"SELECT trigger, status, checks_passed, checks_failed FROM load_run "
                                f"WHERE run_id = '{run_id}'")
    assert row == [("ui", "success", len(checks), 0)]  # ...and is recorded as ui


def test_two_runs_launched_together_run_one_after_the_other(server):
    run_ids = [launch(server, FIRST_DAY, LAST_DAY), launch(server, "2022-01-01", "2022-01-01")]
    server.wait_for(run_ids)
    with server.instance() as instance:
        records = instance.get_run_records(dg.RunsFilter(run_ids=run_ids))
        assert {r.dagster_run.status for r in records} == {dg.DagsterRunStatus.SUCCESS}
        every_run = [r for r in instance.get_run_records() if r.start_time]
        failures = [e for r in records for e in run_events(instance, r.dagster_run.run_id,
                                                             dg.DagsterEventType.STEP_FAILURE)]
        messages = [e.message or "" for r in records for e in instance.all_logs(r.dagster_run.run_id)]
    assert failures == []
    assert not [m for m in messages if any(err in m for err in LOCK_ERRORS)]
    spans = sorted((r.start_time, r.end_time) for r in every_run)
    for (_, earlier_end), (later_start, _) in zip(spans, spans[1:]):  # the queue ran one run at a time
        assert earlier_end <= later_start


def test_the_sensor_loads_a_new_post(server):
    rel, text = emnews_post(date(2022, 1, 5), 42, title="传感器测试：新公司发布公告", code="600777", name="新样股份")
    before = time.time()
    write(server.posts, (rel, text))
    deadline, found = time.monotonic() + RUN_SECONDS, None
    with server.instance() as instance:
        while time.monotonic() < deadline and found is None:
            for record in instance.get_run_records(dg.RunsFilter(tags={"etl/trigger": "sensor"})):
                run = record.dagster_run
                if record.create_timestamp.timestamp() >= before and run.tags.get(START) == "2022-01-05":
                    found = run
            time.sleep(1)
    assert found is not None, "the sensor did not ask for a run of 2022-01-05"
    assert found.tags[END] == "2022-01-05" and found.tags["dagster/sensor_name"] == "posts_folder_sensor"
    server.wait_for([found.run_id])
    assert server.client().get_run_status(found.run_id) == dg.DagsterRunStatus.SUCCESS
    assert server.query_snapshot("SELECT count(*) FROM article") == [(5,)]
    assert server.query_snapshot("SELECT name FROM security WHERE secid = '1.600777'") == [("新样股份",)]
    assert server.query_snapshot(f"SELECT trigger, files_new FROM load_run WHERE run_id = '{found.run_id}'") \
        == [("sensor", 1)]
    time.sleep(12)  # two more sensor ticks over a quiet folder: no new run
    with server.instance() as instance:
        later = [r for r in instance.get_run_records(dg.RunsFilter(tags={"etl/trigger": "sensor"}))
                 if r.create_timestamp > found_created(instance, found.run_id)]
    assert later == []


def found_created(instance: dg.DagsterInstance, run_id: str):
    return instance.get_run_record_by_id(run_id).create_timestamp

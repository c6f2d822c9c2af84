"""Two loads started together on one real Dagster instance (the repository's dagster.yaml in a temp
DAGSTER_HOME) both succeed, with no lock error: the `duckdb` pool (one slot) and, behind it, DuckDB's
file lock that `open_warehouse` waits for keep their writes one at a time.
(The run queue, which the daemon enforces for UI, schedule and sensor runs, is proven in
test_dagster_instance.py.)"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
from dagster._core.instance.ref import InstanceRef

from tests.e2e.posts_factory import sample_folder
from tests.integration.test_analyst_snapshot import read

REPO = Path(__file__).resolve().parents[2]
LOCK_ERRORS = ("WarehouseLockedError", "Could not set lock", "Conflicting lock")
STEP_END = {dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.STEP_SKIPPED}


def step_windows(instance: dg.DagsterInstance, run_id: str) -> list[tuple[float, float, str, str]]:
    """(start, end, run_id, step) of every step that ran."""
    starts, windows = {}, []
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or not event.step_key:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            starts[event.step_key] = entry.timestamp
        elif event.event_type in STEP_END and event.step_key in starts:
            windows.append((starts[event.step_key], entry.timestamp, run_id, event.step_key))
    return windows


LOAD = """
import os
import sys
import time
import dagster as dg
from etl.defs.definitions import WAREHOUSE_ASSETS
from etl.defs.resources import PostsFolder, Warehouse

by_name = {k.to_user_string(): a for a in WAREHOUSE_ASSETS for k in a.keys}
instance = dg.DagsterInstance.get()
open(sys.argv[3] + ".ready", "w").close()
while not os.path.exists(sys.argv[3]):  # both runs start at the same moment, whatever the import times
    time.sleep(0.05)
result = dg.materialize(
    [by_name["raw_posts"], by_name["articles"], by_name["analyst_snapshot"]],
    instance=instance,
    tags={"etl/dates_start": "2021-12-31", "etl/dates_end": "2022-01-03", "etl/trigger": "cli"},
    resources={"posts": PostsFolder(path=sys.argv[1], max_post_bytes=1 << 20, workers=1),
               "duckdb": Warehouse(database=sys.argv[2])},
    raise_on_error=False,
)
sys.exit(0 if result.success else 1)
"""


def test_two_runs_together_take_turns_on_the_warehouse(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    posts, warehouse = sample_folder(tmp_path / "posts"), tmp_path / "warehouse.duckdb"
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        # Create the instance's storage once, and the pool's slot as dagster.yaml says: two processes
        # doing either at once race (each can allocate the pool's default slot on first use).
        assert instance.event_log_storage.initialize_concurrency_limit_to_default("duckdb")
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    env.pop("ETL_ANALYST_DB", None)
    go = tmp_path / "go"
    logs = [tmp_path / f"load{i}.log" for i in range(2)]
    loads = []
    try:
        for i, log in enumerate(logs):
            with open(log, "wb") as out:  # a file, not a pipe: a full pipe would stall a run holding the slot
                loads.append(subprocess.Popen([sys.executable, "-c", LOAD, str(posts), str(warehouse), f"{go}{i}"],
                                              env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 120
        while not all(Path(f"{go}{i}.ready").exists() for i in range(2)):
            assert time.monotonic() < deadline and all(l.poll() is None for l in loads), \
                "\n".join(log.read_text(errors="replace")[-2000:] for log in logs)
            time.sleep(0.05)
        for i in range(2):
            Path(f"{go}{i}").touch()
        for load in loads:
            load.wait(timeout=300)
    finally:
        for load in loads:
            load.kill()
            load.wait()
    outputs = [log.read_text(errors="replace") for log in logs]
    for load, output in zip(loads, outputs):
        assert load.returncode == 0, output
        assert not any(m in output for m in LOCK_ERRORS), output

    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        runs = instance.get_runs()
        assert len(runs) == 2 and {r.status for r in runs} == {dg.DagsterRunStatus.SUCCESS}
        windows = sorted(w for run in runs for w in step_windows(instance, run.run_id))
        slots = instance.event_log_storage.get_concurrency_info("duckdb").slot_count
    assert slots == 1
    assert len(windows) == 2 * 3
    run_spans = [(min(w[0] for w in windows if w[2] == r.run_id), max(w[1] for w in windows if w[2] == r.run_id))
                 for r in runs]
    assert min(end for _, end in run_spans) > max(start for start, _ in run_spans)  # really concurrent
    # Usually the pool makes one run's step wait ("blocked by limit for pool duckdb"), but not
    # always: on a SQLite instance Dagster claims a slot with SELECT ... FOR UPDATE, which SQLite
    # ignores, so two processes can take the one slot in the same instant (seen in about 1 of 5
    # runs). What keeps the writes one at a time then is DuckDB's file lock, which open_warehouse
    # waits for: both runs succeed, no lock error reaches them, and the warehouse is exactly right.
    assert read(warehouse, "SELECT count(*), count(DISTINCT run_id) FROM load_run WHERE status = 'success'") == [(2, 2)]
    assert read(warehouse, "SELECT count(*) FROM article") == [(4,)]

"""SIGKILL of `etl load` (the process alone, as the OOM killer or a crash would) in each phase: no
worker, helper or planning child outlives it, analysts keep the last published snapshot, and the
next load reaches exactly what a clean load of the folder holds."""

import shutil
import time

import dagster as dg
from dagster._core.instance.ref import InstanceRef

from etl.core.settings import analyst_db_for
from tests.conftest import query
from tests.reliability.conftest import (
    SCRATCH,
    dagster_home,
    descendants,
    environment,
    etl,
    kill_and_check_nothing_is_left,
    load,
)
from tests.reliability.state import warehouse_state

PHASES = ("plan", "raw_posts", "articles", "articles_quality", "analyst_views", "analyst_snapshot")
"""Where each load of the chain is killed: before its run starts, then in these steps."""


def steps(instance: dg.DagsterInstance, run_id: str, event: dg.DagsterEventType) -> set[str]:
    return {entry.step_key for entry in instance.all_logs(run_id, of_type=event)}


def run_of(instance: dg.DagsterInstance, known: set[str], process) -> str | None:
    while process.poll() is None:
        runs = [run.run_id for run in instance.get_runs(limit=1) if run.run_id not in known]
        if runs:
            return runs[0]
        time.sleep(0.01)
    return None


def kill_in(phase: str, posts, warehouse, home, instance: dg.DagsterInstance) -> None:
    known = {run.run_id for run in instance.get_runs()}
    process = etl("load", "--posts", str(posts), "--warehouse", str(warehouse),
                  env=environment(DAGSTER_HOME=str(home)))
    assert process.stdout.readline().startswith("Loading ")
    if phase != "plan":
        run_id = run_of(instance, known, process)
        assert run_id, f"the load ended before its run started: {process.communicate()}"
        while phase not in steps(instance, run_id, dg.DagsterEventType.STEP_START):
            assert process.poll() is None, f"the load ended before {phase}: {process.communicate()}"
            time.sleep(0.01)
        if phase == "articles":  # once the parse runs on its workers
            while len(descendants(process.pid)) < 3 \
                    and phase not in steps(instance, run_id, dg.DagsterEventType.STEP_SUCCESS):
                time.sleep(0.01)
    assert process.poll() is None, "the load finished before it could be killed"
    kill_and_check_nothing_is_left(process)


def test_a_load_killed_in_each_phase_leaves_nothing_and_the_next_reaches_the_clean_state(
        posts, reference, tmp_path):
    home = dagster_home(tmp_path / "dagster_home")
    warehouse = tmp_path / "w.duckdb"
    first = tmp_path / "first"
    for path in sorted(posts.rglob("*.md"))[:100]:
        (first / path.relative_to(posts)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, first / path.relative_to(posts))
    status, out, err = load(first, warehouse, DAGSTER_HOME=str(home))
    assert status == 0, out + err
    published = query(analyst_db_for(warehouse), "SELECT count(*) FROM article")
    instance = dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home)))

    for phase in PHASES:
        kill_in(phase, posts, warehouse, home, instance)
        assert query(analyst_db_for(warehouse), "SELECT count(*) FROM article") == published
        query(warehouse, "SELECT count(*) FROM article")  # the warehouse opens, its WAL replayed

    status, out, err = load(posts, warehouse, DAGSTER_HOME=str(home))
    assert status == 0, out + err
    assert warehouse_state(warehouse) == reference
    assert warehouse_state(analyst_db_for(warehouse)) == reference
    assert not list(SCRATCH.glob("etl-load-*")), "scratch folders of the killed loads are left"

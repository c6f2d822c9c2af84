"""A failed step says why in its first line: in the step's `dagster.Failure` (what the UI shows first),
in `etl load`'s report and in `load_run.error`."""

import dagster as dg

from etl.cli.load import LoadOutcome
from etl.cli.report import print_load_report
from etl.defs.assets.raw_posts import raw_posts
from etl.defs.resources import GreatExpectations, PostsFolder, Warehouse
from etl.warehouse.plan import LoadPlan
from tests.e2e.posts_factory import sample_folder
from tests.integration.test_warehouse_lock import hold_lock


def failures(result) -> list:
    return [event.step_failure_data for event in result.all_events if event.is_step_failure]


def test_a_locked_warehouse_fails_the_step_naming_the_holder_first(tmp_path, capsys):
    posts, warehouse = sample_folder(tmp_path / "posts"), tmp_path / "w.duckdb"
    holder = hold_lock(warehouse, 60)
    try:
        result = dg.materialize([raw_posts], instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
                                resources={"posts": PostsFolder(path=str(posts), max_post_bytes=1 << 20, workers=1),
                                           "duckdb": Warehouse(database=str(warehouse), lock_wait_seconds=1),
                                           "great_expectations": GreatExpectations(helper_process=False)})
    finally:
        holder.kill()
        holder.wait()
    [failure] = failures(result)
    cause = failure.user_failure_data
    assert cause.description.startswith(f"warehouse {warehouse} is locked by PID {holder.pid} (")
    assert cause.metadata["lock_holder_pid"].value == holder.pid
    assert "Conflicting lock" in cause.metadata["error"].value  # DuckDB's own words, beside
    print_load_report(LoadOutcome(LoadPlan(4, 4, None, None, "a new warehouse"), result), warehouse)
    out = capsys.readouterr().out
    assert f"Step raw_posts failed: warehouse {warehouse} is locked by PID {holder.pid} (" in out
    assert "DagsterExecutionStepExecutionError" not in out


def test_a_missing_posts_folder_is_the_cause_not_a_traceback(tmp_path):
    result = dg.materialize([raw_posts], instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
                            resources={"posts": PostsFolder(path=str(tmp_path / "gone"), max_post_bytes=1, workers=1),
                                       "duckdb": Warehouse(database=str(tmp_path / "w.duckdb"))})
    [failure] = failures(result)
    assert failure.user_failure_data.description == f"posts folder {tmp_path / 'gone'} does not exist (ETL_POSTS_DIR)"

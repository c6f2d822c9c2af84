"""`dagster definitions validate -w workspace.yaml` passes, and Dagster's own CLI lists the
schedule and sensors (temporary DAGSTER_HOME with the repository's dagster.yaml, no daemon)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def dagster(args: list[str], home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "dagster", *args, "-w", "workspace.yaml"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_definitions_validate_and_automation_is_listed(tmp_path):
    shutil.copy(REPO / "dagster.yaml", tmp_path / "dagster.yaml")
    validate = dagster(["definitions", "validate"], tmp_path)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "Validation successful" in validate.stdout + validate.stderr
    sensors = dagster(["sensor", "list"], tmp_path)
    assert sensors.returncode == 0 and "posts_folder_sensor" in sensors.stdout and "load_run_failures" in sensors.stdout
    schedules = dagster(["schedule", "list"], tmp_path)
    assert schedules.returncode == 0 and "daily_newest_posts" in schedules.stdout


def test_instance_config_allows_one_duckdb_writer(tmp_path):
    import dagster as dg
    from dagster._core.instance.ref import InstanceRef

    shutil.copy(REPO / "dagster.yaml", tmp_path / "dagster.yaml")
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(tmp_path))) as instance:
        config = instance.get_concurrency_config()
        assert config.pool_config.default_pool_limit == 1
        assert config.pool_config.pool_granularity.value == "op"
        assert config.run_queue_config.max_concurrent_runs == 1
        assert instance.run_coordinator.__class__.__name__ == "QueuedRunCoordinator"

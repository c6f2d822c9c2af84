"""The analysts' snapshot and the load_run audit row, through `etl.defs.materialize.run_load` (dagster.materialize)."""

import os
import struct
import subprocess
import sys
import textwrap
import threading
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from etl.core.settings import analyst_db_for
from etl.defs.assets.snapshot import build_analyst_snapshot
from etl.defs.materialize import run_load
from tests.e2e.posts_factory import emnews_post, sample_folder, write

DUCKDB_15_READS = range(64, 69)
"""Storage version numbers the duckdb 1.5 CLI opens ("we can only read 64 to 68", facts.md)."""


def storage_version(path: Path) -> int:
    header = path.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    return struct.unpack("<Q", header[12:20])[0]


def read(path: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


@pytest.fixture
def loaded(tmp_path, monkeypatch):
    monkeypatch.setenv("ETL_WORKERS", "1")
    monkeypatch.delenv("ETL_ANALYST_DB", raising=False)
    posts, warehouse = sample_folder(tmp_path / "posts"), tmp_path / "wh" / "warehouse.duckdb"
    result = run_load(posts, warehouse)
    assert result.success
    return posts, warehouse, result


def test_snapshot_is_a_whole_copy_of_the_warehouse(loaded):
    _, warehouse, _ = loaded
    snapshot = analyst_db_for(warehouse)
    assert snapshot == warehouse.with_name("warehouse.analyst.duckdb")
    assert storage_version(snapshot) == storage_version(warehouse)  # a copy of the file
    assert not snapshot.with_name(snapshot.name + ".tmp").exists()
    tables = "SELECT table_name FROM duckdb_tables() ORDER BY 1"
    views = "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1"
    assert read(snapshot, tables) == read(warehouse, tables)
    assert read(snapshot, views) == read(warehouse, views)
    for table in ("article", "stock_mention", "security", "raw_post"):
        assert read(snapshot, f"SELECT count(*) FROM {table}") == read(warehouse, f"SELECT count(*) FROM {table}")
    assert read(snapshot, "SELECT comment FROM duckdb_tables() WHERE table_name = 'load_run'")[0][0]
    with pytest.raises(duckdb.Error):  # analysts cannot write by accident
        with duckdb.connect(str(snapshot), read_only=True) as conn:
            conn.execute("DELETE FROM article")


def test_load_run_records_the_cli_load(loaded):
    _, warehouse, result = loaded
    rows = read(warehouse, "SELECT run_id, trigger, status, recorded_by, files_seen, files_new, files_changed, "
                           "files_unchanged, files_rejected, table_rows['article'], checks_passed, checks_failed, "
                           "partition_start::VARCHAR, partition_end::VARCHAR, started_at <= finished_at FROM load_run")
    assert rows == [(result.run_id, "cli", "success", "analyst_snapshot", 4, 4, 0, 0, 0, 4,
                     len([e for e in result.get_asset_check_evaluations() if e.passed]), 0,
                     "2021-12-31", "2022-01-03", True)]
    # the snapshot was published after its own run's row was written, so analysts see it too
    assert read(analyst_db_for(warehouse), "SELECT run_id FROM load_run") == [(result.run_id,)]
    missing = read(warehouse, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'load_run' AND comment IS NULL")
    assert missing == []


ANALYST = textwrap.dedent("""
    import sys, duckdb
    conn = duckdb.connect(sys.argv[1], read_only=True)
    query = "SELECT count(*), max(run_id) FROM article, (SELECT max(run_id) AS run_id FROM load_run)"
    for line in sys.stdin:
        print(*conn.execute(query).fetchone(), flush=True)
""")


def test_a_new_snapshot_frees_the_old_one_behind_it(tmp_path):
    from etl.warehouse.publish import publish_snapshot

    warehouse, snapshot = tmp_path / "w.duckdb", tmp_path / "w.analyst.duckdb"
    retired = snapshot.with_name(snapshot.name + ".retired")
    retired.write_bytes(b"left by a process that stopped before freeing it")
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("CREATE TABLE t AS SELECT 1 AS version")
        publish_snapshot(conn, snapshot)
        assert not retired.exists()  # the leftover is gone; there was no old snapshot to keep
        with duckdb.connect(str(snapshot), read_only=True) as analyst:  # holds the first snapshot open
            conn.execute("UPDATE t SET version = 2")
            publish_snapshot(conn, snapshot)
            assert analyst.execute("SELECT version FROM t").fetchall() == [(1,)]
    for thread in threading.enumerate():
        if thread.name == "etl free old snapshot":
            thread.join()
    assert read(snapshot, "SELECT version FROM t") == [(2,)]
    assert not retired.exists() and not snapshot.with_name(snapshot.name + ".tmp").exists()


def test_an_analyst_keeps_a_consistent_view_while_a_load_publishes(loaded, tmp_path):
    posts, warehouse, first = loaded
    snapshot = analyst_db_for(warehouse)
    analyst = subprocess.Popen([sys.executable, "-c", ANALYST, str(snapshot)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        analyst.stdin.write("?\n"); analyst.stdin.flush()
        assert analyst.stdout.readline().split() == ["4", first.run_id]
        write(posts, emnews_post(date(2022, 1, 2), 11, title="新公司上市首日表现"))
        second = run_load(posts, warehouse)  # the analyst's connection stays open throughout
        assert second.success
        analyst.stdin.write("?\n"); analyst.stdin.flush()
        assert analyst.stdout.readline().split() == ["4", first.run_id]  # old file, whole and unchanged
        assert read(snapshot, "SELECT count(*) FROM article") == [(5,)]  # a new connection sees the new one
        assert read(snapshot, "SELECT count(*) FROM load_run") == [(2,)]
    finally:
        analyst.stdin.close()
        analyst.wait(timeout=30)
    assert analyst.returncode == 0


def test_snapshot_goes_where_ETL_ANALYST_DB_says(tmp_path, monkeypatch):
    target = tmp_path / "elsewhere" / "for_analysts.duckdb"
    monkeypatch.setenv("ETL_ANALYST_DB", str(target))
    monkeypatch.setenv("ETL_WORKERS", "1")
    assert run_load(sample_folder(tmp_path / "posts"), tmp_path / "w.duckdb").success
    assert read(target, "SELECT count(*) FROM article") == [(4,)]


def test_failed_run_is_recorded_by_the_failure_sensor(tmp_path, monkeypatch):
    from etl.defs.definitions import WAREHOUSE_ASSETS
    from etl.defs.resources import PostsFolder, Warehouse
    from etl.defs.sensors import load_run_failures

    warehouse = tmp_path / "w.duckdb"
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        WAREHOUSE_ASSETS, instance=instance, raise_on_error=False,
        tags={"etl/trigger": "schedule"},
        resources={"posts": PostsFolder(path=str(tmp_path / "missing"), max_post_bytes=1, workers=1),
                   "duckdb": Warehouse(database=str(warehouse))},
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)
    context = dg.build_run_status_sensor_context(
        sensor_name="load_run_failures", dagster_event=failure, dagster_instance=instance,
        dagster_run=result.dagster_run, resources={"duckdb": Warehouse(database=str(warehouse))},
    ).for_run_failure()
    load_run_failures(context)
    rows = read(warehouse, "SELECT run_id, trigger, status, recorded_by, files_seen, partition_start, error FROM load_run")
    # The cause first: the step and what is wrong, not Dagster's wrapper around it.
    assert rows == [(result.run_id, "schedule", "failure", "load_run_failures", None, None,
                     f"raw_posts: posts folder {tmp_path / 'missing'} does not exist (ETL_POSTS_DIR)")]
    assert not analyst_db_for(warehouse).exists()  # nothing published from a failed load


def _names(asset: dg.AssetsDefinition) -> set[str]:
    return {key.to_user_string() for key in asset.dependency_keys}


def test_snapshot_hangs_off_the_assets_nothing_else_reads():
    from etl.defs.assets.articles import article_tags, articles
    from etl.defs.assets.mentions import securities, stock_mentions
    from etl.defs.assets.raw_posts import raw_posts

    core = [raw_posts, articles, article_tags, stock_mentions, securities]
    # Without views: the two branches' ends, one edge each (raw_posts and articles are upstream of them).
    assert _names(build_analyst_snapshot(core)) == {"article_tags", "securities"}

    @dg.asset(name="a_view", deps=[securities, article_tags])
    def a_view() -> None: ...

    with_view = build_analyst_snapshot([*core, a_view])
    assert _names(with_view) == {"a_view"}
    from etl.defs.resources import warehouse_resources

    dg.Definitions.validate_loadable(
        dg.Definitions(assets=[*core, a_view, with_view], resources=warehouse_resources()))


def test_definitions_put_the_snapshot_last_downstream_of_everything():
    from etl.defs.definitions import defs

    graph = defs.resolve_asset_graph()
    snapshot = dg.AssetKey("analyst_snapshot")
    assert graph.get(snapshot).child_keys == set()
    assert graph.get_ancestor_asset_keys(snapshot) == set(graph.get_all_asset_keys()) - {snapshot}
    # No fan: the snapshot's edges come only from assets nothing else reads.
    assert all(graph.get(parent).child_keys == {snapshot} for parent in graph.get(snapshot).parent_keys)


def duckdb_15_cli() -> str | None:
    """A DuckDB 1.5 command-line shell (`pip install duckdb-cli==1.5.6`), if one is installed."""
    import shutil

    beside_python = Path(sys.executable).with_name("duckdb")  # the dev install's duckdb-cli
    cli = os.environ.get("DUCKDB_CLI") or (str(beside_python) if beside_python.exists() else shutil.which("duckdb"))
    if not cli:
        return None
    version = subprocess.run([cli, "--version"], capture_output=True, text=True).stdout
    return cli if version.startswith("v1.5") else None


@pytest.fixture
def loaded_for_duckdb_15(tmp_path, monkeypatch):
    """A load whose snapshot is asked for in the duckdb 1.5 format: copied table by table."""
    monkeypatch.setenv("ETL_WORKERS", "1")
    monkeypatch.setenv("ETL_ANALYST_DB_STORAGE_VERSION", "v1.5.0")
    monkeypatch.delenv("ETL_ANALYST_DB", raising=False)
    warehouse = tmp_path / "w.duckdb"
    assert run_load(sample_folder(tmp_path / "posts"), warehouse).success
    return warehouse


def test_a_snapshot_in_the_duckdb_15_format_when_asked(loaded_for_duckdb_15):
    warehouse = loaded_for_duckdb_15
    snapshot = analyst_db_for(warehouse)
    assert storage_version(warehouse) not in DUCKDB_15_READS
    assert storage_version(snapshot) in DUCKDB_15_READS
    views = "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1"
    assert read(snapshot, views) == read(warehouse, views)
    assert read(snapshot, "SELECT count(*) FROM article") == read(warehouse, "SELECT count(*) FROM article") == [(4,)]


@pytest.mark.skipif(duckdb_15_cli() is None, reason="no duckdb 1.5 CLI installed (pip install duckdb-cli==1.5.6)")
def test_the_duckdb_15_cli_reads_that_snapshot_but_not_the_warehouse(loaded_for_duckdb_15):
    warehouse = loaded_for_duckdb_15
    cli = duckdb_15_cli()
    answer = subprocess.run([cli, "-readonly", "-csv", str(analyst_db_for(warehouse)), "-c",
                             "SELECT count(*) FROM article"], capture_output=True, text=True)
    assert answer.returncode == 0 and answer.stdout.split() == ["count_star()", "4"], answer.stderr
    refused = subprocess.run([cli, "-readonly", str(warehouse), "-c", "SELECT 1"], capture_output=True, text=True)
    assert refused.returncode != 0

"""A failed load says its cause first, in one line, and is recorded in load_run, even when the cause
is that another process holds the warehouse (the row waits beside it for the next writer)."""

from etl.cli import main
from etl.warehouse.audit import pending_file
from tests.conftest import query
from tests.e2e.posts_factory import sample_folder
from tests.integration.test_warehouse_lock import hold_lock


def test_a_load_blocked_by_another_writer_names_it_first_and_is_recorded_later(tmp_path, monkeypatch, capsys):
    posts, warehouse = sample_folder(tmp_path / "posts"), tmp_path / "w.duckdb"
    monkeypatch.setenv("ETL_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("ETL_POSTS_DIR", str(posts))
    assert main(["load"]) == 0
    monkeypatch.setenv("ETL_LOCK_WAIT_SECONDS", "1")
    capsys.readouterr()
    holder = hold_lock(warehouse, 120)
    try:
        assert main(["load", "--full"]) == 1
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith(
        f"error: step raw_posts failed: warehouse {warehouse} is locked by PID {holder.pid} ")
    assert pending_file(warehouse).exists()

    assert main(["load"]) == 0
    assert not pending_file(warehouse).exists()
    (status, error), = query(warehouse, "SELECT status, error FROM load_run WHERE status <> 'success'")
    assert status == "failure" and error.startswith(f"raw_posts: warehouse {warehouse} is locked by PID {holder.pid} ")

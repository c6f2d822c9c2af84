"""One writer at a time: `open_warehouse` waits for another process's lock, then names it."""

import subprocess
import sys
import textwrap
import time

import pytest

from etl.warehouse.connection import WarehouseLockedError, open_warehouse

HOLDER = textwrap.dedent("""
    import sys, time, duckdb
    conn = duckdb.connect(sys.argv[1])
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.close()
""")


def hold_lock(path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_held_lock_fails_after_the_wait_naming_file_and_holder(tmp_path):
    path = tmp_path / "w.duckdb"
    holder = hold_lock(path, 60)
    try:
        began = time.monotonic()
        with pytest.raises(WarehouseLockedError) as caught:
            with open_warehouse(path, wait_seconds=1.5):
                pass
        waited = time.monotonic() - began
    finally:
        holder.kill()
        holder.wait()
    message = str(caught.value)
    assert waited >= 1.5
    assert f"warehouse {path} is locked by another process after waiting 2s" in message
    assert f"PID {holder.pid}" in message  # DuckDB names the process holding the lock


def test_the_writer_waits_with_backoff_until_the_lock_is_free(tmp_path):
    path = tmp_path / "w.duckdb"
    holder = hold_lock(path, 1.0)
    try:
        with open_warehouse(path, wait_seconds=30) as conn:
            assert conn.execute("SELECT count(*) FROM load_run").fetchone() == (0,)
    finally:
        holder.wait(timeout=30)

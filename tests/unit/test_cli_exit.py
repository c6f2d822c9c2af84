"""How the `etl` command ends: as `sys.exit` would, less the interpreter's teardown."""

import os
import subprocess
import sys
import tomllib

from etl.core.settings import REPO_ROOT

ENDING = """
import atexit, sys, threading, time
from pathlib import Path
from etl.cli import exit_skipping_teardown
out = Path(sys.argv[1])
atexit.register(lambda: (out / "atexit").write_text("ran"))
def finish_late():
    time.sleep(0.3)
    (out / "thread").write_text("done")
threading.Thread(target=finish_late).start()
from concurrent.futures import ThreadPoolExecutor
idle_pool = ThreadPoolExecutor(1)  # never shut down: its worker waits for work until told to stop
idle_pool.submit(print, end="")
sys.stdout.write("no newline: still in the buffer")
exit_skipping_teardown(3)
(out / "after").write_text("never")
"""


def test_the_ending_waits_for_threads_runs_atexit_and_flushes_before_the_status(tmp_path):
    # Unbuffered output would hide output left in Python's buffer.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    done = subprocess.run([sys.executable, "-c", ENDING, str(tmp_path)], capture_output=True, text=True,
                          env=environment, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (3, "no newline: still in the buffer", "")
    assert (tmp_path / "thread").read_text() == "done"
    assert (tmp_path / "atexit").read_text() == "ran"
    assert not (tmp_path / "after").exists()


def test_a_failed_flush_ends_with_cpythons_status(tmp_path):
    full = """
import sys
from etl.cli import exit_skipping_teardown
sys.stdout = open("/dev/full", "w")
sys.stdout.write("lost: the device is full")
exit_skipping_teardown(0)
"""
    done = subprocess.run([sys.executable, "-c", full], capture_output=True, text=True, timeout=60)
    assert done.returncode == 120
    assert "could not flush /dev/full" in done.stderr


def test_the_etl_command_ends_that_way():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["etl"] == "etl.cli:run"

"""The reliability suite: `etl load` run as a user runs it (a process of its own, its workers and its
Great Expectations helper), then killed, run three at once, read during its run, starved of disk,
or fed files that change under it. Each ends by comparing the warehouse with a clean load of the
final folder (`state.warehouse_state`)."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from bench.synthetic import generate_corpus
from etl.core.settings import REPO_ROOT
from tests.conftest import age_files
from tests.reliability.state import warehouse_state

SCRATCH = Path(tempfile.mkdtemp(prefix="etl-reliability-"))
POSTS = 600
"""Enough articles for the parse to run on worker processes (etl.parallel.PARALLEL_THRESHOLD)."""


def environment(**settings: str) -> dict[str, str]:
    """The environment of an `etl load` run here: no ETL_* or DAGSTER_HOME from outside, two workers,
    a temporary folder of its own (what a killed load leaves there is the next load's to clear)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("ETL_") and k != "DAGSTER_HOME"}
    return base | {"ETL_WORKERS": "2", "TMPDIR": str(SCRATCH)} | settings


def etl(*arguments: str, env: dict[str, str], **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl.cli", *arguments], env=env, cwd=REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def load(posts: Path, warehouse: Path, *options: str, timeout: float = 600, **settings: str):
    """`etl load` to its end: (exit status, stdout, stderr)."""
    process = etl("load", "--posts", str(posts), "--warehouse", str(warehouse), *options,
                  env=environment(**settings))
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def descendants(pid: int) -> set[int]:
    """Every living process below `pid`."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """The processes of `pids` still running (a zombie has ended: its parent just has not reaped it)."""
    running = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                state = stat.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state != b"Z":
            running.add(pid)
    return running


def kill_and_check_nothing_is_left(process: subprocess.Popen) -> set[int]:
    """SIGKILL the process alone (not its group, as a crash or the OOM killer would); returns the
    children it had, after checking every one of them ended too."""
    children = descendants(process.pid)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    deadline = time.monotonic() + 20
    while alive(children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(children), f"processes left after the load was killed: {sorted(alive(children))}"
    return children


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    posts = tmp_path_factory.mktemp("reliability") / "posts"
    generate_corpus(posts, POSTS, seed=11)
    age_files(posts)
    return posts


@pytest.fixture(scope="session")
def reference(corpus, tmp_path_factory) -> dict:
    """What a clean load of the corpus holds."""
    return clean_state(corpus, tmp_path_factory.mktemp("reference"))


def clean_state(posts: Path, scratch: Path) -> dict:
    warehouse = scratch / "clean.duckdb"
    status, out, err = load(posts, warehouse)
    assert status == 0, out + err
    return warehouse_state(warehouse)


@pytest.fixture
def posts(corpus, tmp_path) -> Path:
    """A copy of the corpus a test may change."""
    copy = tmp_path / "posts"
    shutil.copytree(corpus, copy, copy_function=shutil.copy2)
    return copy


def dagster_home(path: Path) -> Path:
    """A new DAGSTER_HOME with the repository's dagster.yaml."""
    path.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "dagster.yaml", path / "dagster.yaml")
    return path

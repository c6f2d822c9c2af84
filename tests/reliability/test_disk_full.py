"""A full disk: the load fails with the cause (and the file) in its first line, analysts keep the
last published snapshot, the failed run is recorded, and once there is room the next load reaches
the clean state. The warehouse lives on a small tmpfs where this test may mount one; elsewhere a
file-size limit (RLIMIT_FSIZE) stands in for it."""

import resource
import shutil
import signal
import subprocess
from pathlib import Path

from etl.core.settings import analyst_db_for
from tests.conftest import query
from tests.reliability.conftest import environment, etl, load
from tests.reliability.state import warehouse_state

MiB = 2**20


def mount_tmpfs(folder: Path, size: int) -> bool:
    folder.mkdir(exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def test_a_full_disk_fails_the_load_with_its_cause_and_the_next_load_recovers(posts, reference, tmp_path):
    first = tmp_path / "first"
    for path in sorted(posts.rglob("*.md"))[:100]:
        (first / path.relative_to(posts)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, first / path.relative_to(posts))
    staged = tmp_path / "staged.duckdb"
    status, out, err = load(first, staged)
    assert status == 0, out + err
    used = staged.stat().st_size + analyst_db_for(staged).stat().st_size

    disk = tmp_path / "disk"
    mounted = mount_tmpfs(disk, used + MiB)
    try:
        warehouse = disk / "w.duckdb"
        for source in (staged, analyst_db_for(staged)):
            shutil.copy2(source, disk / source.name.replace("staged", "w"))
        published = query(analyst_db_for(warehouse), "SELECT count(*) FROM article")
        if mounted:
            status, out, err = load(posts, warehouse)
            cause = "No space left on device"
        else:
            status, out, err = _load_with_file_size_limit(posts, warehouse, used + MiB)
            cause = "File too large"
        assert status == 1, out + err
        first_line = err.splitlines()[0]
        assert first_line.startswith("error: step ") and cause in first_line and str(disk) in first_line, err
        assert query(analyst_db_for(warehouse), "SELECT count(*) FROM article") == published

        if mounted:
            subprocess.run(["mount", "-o", "remount,size=1g", str(disk)], check=True)
        status, out, err = load(posts, warehouse)
        assert status == 0, out + err
        assert warehouse_state(warehouse) == reference
        # The failed run's row, kept beside the warehouse unless the disk had no room even for that.
        failures = query(warehouse, "SELECT count(*) FROM load_run WHERE status = 'failure'")
        assert failures == [(1,)] or "nor kept aside" in err, err
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(disk)], check=True)


def _load_with_file_size_limit(posts: Path, warehouse: Path, limit: int):
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    process = etl("load", "--posts", str(posts), "--warehouse", str(warehouse), env=environment(),
                  preexec_fn=limited)
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


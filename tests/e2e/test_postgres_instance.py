"""Dagster's instance storage on a real PostgreSQL server, as the README describes for teams: the
test starts a server of its own (Debian's `postgresql`, which `.ci/run` installs), points a new
DAGSTER_HOME at it, and starts three `etl load` at once. All succeed, and their runs are in
PostgreSQL."""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from etl.core.settings import REPO_ROOT
from tests.conftest import query
from tests.e2e.posts_factory import sample_folder


def server_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def postgres_port():
    """A PostgreSQL server in a scratch folder, run by an unprivileged user (the server refuses root)."""
    binaries = server_binaries()
    if binaries is None:
        pytest.skip("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin): apt-get install postgresql")
    pytest.importorskip("dagster_postgres", reason="dagster-postgres is not installed (pip install '.[postgres]')")
    scratch = Path(tempfile.mkdtemp(prefix="etl-pg-", dir="/tmp"))
    os.chmod(scratch, 0o755)
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(scratch, "nobody")
        as_user = ["runuser", "-u", "nobody", "--"]
    data, port = scratch / "data", free_port()
    started = False
    try:
        initdb = subprocess.run([*as_user, str(binaries / "initdb"), "-D", str(data), "-U", "postgres",
                                 "--auth=trust", "--no-sync"], capture_output=True, text=True)
        if initdb.returncode != 0:
            pytest.skip(f"initdb could not run here: {initdb.stderr.strip()[:300]}")
        start = subprocess.run([*as_user, str(binaries / "pg_ctl"), "-D", str(data), "-l", str(scratch / "log"),
                                "-w", "-t", "60", "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {scratch}",
                                "start"], capture_output=True, text=True)
        if start.returncode != 0:
            log = (scratch / "log").read_text() if (scratch / "log").exists() else start.stderr
            pytest.skip(f"the PostgreSQL server could not start here: {log.strip()[-300:]}")
        started = True
        yield port
    finally:
        if started:
            subprocess.run([*as_user, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)


def test_three_loads_at_once_on_an_instance_stored_in_postgresql(postgres_port, tmp_path):
    """With the storage settings the README gives, credentials from the environment."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    settings = yaml.safe_load((REPO_ROOT / "dagster.yaml").read_text())
    settings["storage"] = {"postgres": {"postgres_db": {
        "scheme": "postgresql+psycopg2", "hostname": {"env": "DAGSTER_PG_HOST"},
        "username": {"env": "DAGSTER_PG_USER"}, "password": {"env": "DAGSTER_PG_PASSWORD"},
        "db_name": "postgres", "port": postgres_port}}}
    (home / "dagster.yaml").write_text(yaml.safe_dump(settings))
    posts = sample_folder(tmp_path / "posts")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ETL_")} | {
        "DAGSTER_HOME": str(home), "DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_USER": "postgres",
        "DAGSTER_PG_PASSWORD": "trust-auth-ignores-it"}
    warehouses = [tmp_path / f"w{n}.duckdb" for n in range(3)]
    loads = [subprocess.Popen([sys.executable, "-m", "etl.cli", "load", "--posts", str(posts),
                               "--warehouse", str(warehouse)], env=environment, cwd=REPO_ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for warehouse in warehouses]
    for load in loads:
        out, err = load.communicate(timeout=600)
        assert load.returncode == 0, out + err
    for warehouse in warehouses:
        assert query(warehouse, "SELECT count(*) FROM article") == [(4,)]

    listing = subprocess.run(
        [sys.executable, "-c", "import dagster as dg; i = dg.DagsterInstance.get(); "
         "print(type(i.run_storage).__name__, sorted(r.status.value for r in i.get_runs()))"],
        env=environment, capture_output=True, text=True, timeout=120)
    assert listing.stdout.strip() == "PostgresRunStorage ['SUCCESS', 'SUCCESS', 'SUCCESS']", listing.stderr

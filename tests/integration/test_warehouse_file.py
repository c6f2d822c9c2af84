"""The warehouse file: another application's DuckDB file is refused before anything is written to it,
the schema goes in whole or not at all, and a read-only file system is one clear line, not a traceback."""

import shutil
import subprocess
import uuid

import duckdb
import pytest

from etl.cli import main
from etl.core.settings import SAMPLE_POSTS_DIR
from etl.warehouse import sql
from etl.warehouse.connection import WarehouseError, check_warehouse, open_warehouse


def _tables(path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return [row[0] for row in conn.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]


@pytest.fixture
def foreign(tmp_path):
    path = tmp_path / "crm.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE TABLE customer AS SELECT 1 AS id")
        conn.execute("CREATE SCHEMA billing")
        conn.execute("CREATE TABLE billing.raw_post AS SELECT 1 AS id")
    return path


def test_a_file_of_another_schema_is_refused_and_left_as_it_was(foreign, capsys):
    before = foreign.read_bytes()
    expected = (f"{foreign} is not a finews warehouse (it holds tables this warehouse does not have: "
                "billing.raw_post, main.customer): nothing was written to it; set ETL_WAREHOUSE (or --warehouse) "
                "to a new file or to a warehouse of this loader")
    with pytest.raises(WarehouseError) as raised, open_warehouse(foreign):
        pass
    assert str(raised.value) == expected
    assert main(["load", "--posts", str(SAMPLE_POSTS_DIR), "--warehouse", str(foreign)]) == 2
    assert capsys.readouterr().err == f"error: {expected}\n"
    assert foreign.read_bytes() == before
    assert _tables(foreign) == ["customer", "raw_post"]


def test_a_file_that_is_not_duckdb_is_refused(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("not a database")
    for attempt in (lambda: check_warehouse(path), lambda: open_warehouse(path).__enter__()):
        with pytest.raises(WarehouseError, match=f"cannot open warehouse {path}.*not a valid DuckDB database file"):
            attempt()
    assert path.read_text() == "not a database"


def test_the_schema_is_applied_in_one_transaction(tmp_path, monkeypatch):
    texts, fingerprint = sql._schema()
    monkeypatch.setattr(sql, "_schema", lambda: ((*texts, "CREATE TABLE broken (x NO_SUCH_TYPE)"), fingerprint))
    warehouse = tmp_path / "w.duckdb"
    with pytest.raises(duckdb.Error), open_warehouse(warehouse):
        pass
    assert _tables(warehouse) == []  # not raw_post and the rest without the end
    monkeypatch.undo()
    with open_warehouse(warehouse):
        pass
    assert set(_tables(warehouse)) == sql.schema_tables()


@pytest.fixture
def read_only_mount(tmp_path):
    """A small tmpfs, remounted read-only by the test; skipped where mounting is not allowed."""
    mount = tmp_path / f"ro-{uuid.uuid4().hex[:8]}"
    mount.mkdir()
    if shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_read_only_file_system_is_one_clear_line(read_only_mount, capsys):
    warehouse = read_only_mount / "w.duckdb"
    with open_warehouse(warehouse):
        pass
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_mount)], check=True)
    for path in (warehouse, read_only_mount / "new" / "w.duckdb"):
        with pytest.raises(WarehouseError, match=f"^cannot write to warehouse {path}: the file system is read-only$"):
            check_warehouse(path)
        assert main(["load", "--posts", str(SAMPLE_POSTS_DIR), "--warehouse", str(path)]) == 2
        assert capsys.readouterr().err == f"error: cannot write to warehouse {path}: the file system is read-only\n"
    with pytest.raises(WarehouseError, match=f"^cannot open warehouse {warehouse} for writing: .*Read-only file system"):
        open_warehouse(warehouse).__enter__()

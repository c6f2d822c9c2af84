"""`etl sql` reads the published snapshot and nothing else: every way out of it a hostile query could
try (attach the live warehouse for writing, write or read another file, load an extension, change a
setting) is refused with a message that says so, and leaves every file as it was."""

import duckdb
import pytest

from etl.cli import main

REFUSAL = "error: not allowed: etl sql is read-only; it reads "


@pytest.fixture
def files(tmp_path, monkeypatch):
    """(snapshot, warehouse, another file): a published snapshot and the live warehouse beside it."""
    snapshot, warehouse, other = tmp_path / "w.analyst.duckdb", tmp_path / "w.duckdb", tmp_path / "other.txt"
    for path in (snapshot, warehouse):
        with duckdb.connect(str(path)) as conn:
            conn.execute("CREATE TABLE article AS SELECT range AS article_id FROM range(100)")
    other.write_text("private")
    monkeypatch.setenv("ETL_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("ETL_ANALYST_DB", str(snapshot))
    return snapshot, warehouse, other


def _sql(capsys, *args) -> tuple[int, str, str]:
    code = main(["sql", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_query_reads_the_snapshot(files, capsys):
    assert _sql(capsys, "--format", "csv", "SELECT count(*) AS n FROM article") == (0, "n\n100\n", "")


@pytest.mark.parametrize("statement", [
    "ATTACH '{warehouse}' AS wh (READ_WRITE); DELETE FROM wh.article",
    "ATTACH '{warehouse}' AS wh (READ_ONLY)",
    "ATTACH '{snapshot}' AS again (READ_WRITE)",
    "ATTACH ':memory:' AS scratch",
    "COPY (SELECT 'x') TO '{other}'",
    "COPY (SELECT 'x') TO '{warehouse}'",
    "COPY article TO '{snapshot}.tmp/rows.csv'",
    "EXPORT DATABASE '{tmp}/export'",
    "INSTALL fts",
    "LOAD fts",
    "LOAD '{tmp}/x.duckdb_extension'",
    "SELECT * FROM read_text('{other}')",
    "SELECT * FROM read_blob('{warehouse}')",
    "SELECT * FROM read_csv('{other}')",
    "SELECT * FROM glob('/**')",
    "SET enable_external_access = true",
    "SET memory_limit = '1GB'",
    "RESET lock_configuration",
    "PRAGMA threads = 1",
    "DELETE FROM article",
    "CREATE TABLE x AS SELECT 1",
    "SELECT 1; COPY (SELECT 'x') TO '{other}'",
])
def test_every_way_out_is_refused(files, capsys, tmp_path, statement):
    snapshot, warehouse, other = files
    (tmp_path / "w.analyst.duckdb.tmp").mkdir()
    before = {path: path.read_bytes() for path in (snapshot, warehouse, other)}
    code, out, err = _sql(capsys, statement.format(warehouse=warehouse, snapshot=snapshot, other=other, tmp=tmp_path))
    assert (code, out) == (1, "")
    assert err.startswith(REFUSAL + str(snapshot) + " and no other file, and its settings are locked ("), err
    assert err.count("\n") == 1
    assert {path: path.read_bytes() for path in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.txt", "w.analyst.duckdb", "w.analyst.duckdb.tmp",
                                                          "w.duckdb"]
    assert not any((tmp_path / "w.analyst.duckdb.tmp").iterdir())


def test_before_the_first_snapshot_it_says_so_and_leaves_the_warehouse_alone(files, capsys, monkeypatch):
    snapshot, warehouse, _ = files
    snapshot.unlink()
    code, out, err = _sql(capsys, "SELECT count(*) FROM article")
    assert (code, out) == (1, "")
    assert err == (f"error: no snapshot published yet: {snapshot} is written when a load succeeds; run etl load "
                   "(or etl load --warehouse FILE), or query another database file with --db FILE\n")
    # Asked for by name, the warehouse is read as any other file: read-only, locked down.
    assert _sql(capsys, "--db", str(warehouse), "--format", "csv", "SELECT count(*) AS n FROM article")[:2] == (0, "n\n100\n")
    code, _, err = _sql(capsys, "--db", str(warehouse), "DELETE FROM article")
    assert code == 1 and "read-only" in err

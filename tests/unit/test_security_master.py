"""Reading a security master CSV (etl/warehouse/securities.py): what is imported, what is skipped
with its line, and what refuses the whole file."""

from datetime import datetime, timezone

import duckdb
import pytest

from etl.warehouse.securities import MasterFileError, import_master, read_master
from etl.warehouse.sql import apply_schema

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


def write(tmp_path, text: str, encoding="utf-8"):
    path = tmp_path / "master.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_secid_or_market_and_code_names_aliases_and_full_name(tmp_path):
    path = write(tmp_path, "\ufeffSecID,Name,Aliases,full_name,sector\n"
                           "1.600519, 贵州茅台 ,茅台| Moutai |茅台|贵州茅台,贵州茅台酒股份有限公司,酒\n"
                           "116.700,腾讯控股,,,互联网\n")
    entries, problems = read_master(path)
    assert problems == []
    assert [(e.secid, e.market_id, e.code, e.name, e.full_name, e.aliases, e.source_line) for e in entries] == [
        ("1.600519", 1, "600519", "贵州茅台", "贵州茅台酒股份有限公司", ["茅台", "Moutai"], 2),
        ("116.00700", 116, "00700", "腾讯控股", None, [], 3),
    ]
    entries, _ = read_master(write(tmp_path, "market,code,name\nHK,9988,远航巴巴\n1,600999,红星酒业\nsz,2999,红星电器\n"))
    assert [e.secid for e in entries] == ["116.09988", "1.600999", "0.2999"]


def test_bad_rows_are_named_by_line_and_skipped(tmp_path):
    path = write(tmp_path, 'secid,name,market,code\n1.600519,贵州茅台,,\nbad,坏,,\n\n1.601600,,,\n'
                           '"1.600000","多行\n名称",,\n1.600519,重复,,\n0.000001,平安银行,1,000001\n9.X,未知,XX,1\n')
    entries, problems = read_master(path)
    assert [e.secid for e in entries] == ["1.600519", "1.600000"]
    assert entries[1].name == "多行\n名称" and entries[1].source_line == 6
    assert problems == [
        f"{path}:3: secid 'bad' is not MARKET.CODE (e.g. 1.600519, 116.00700)",
        f"{path}:5: the name is empty",
        f"{path}:8: 1.600519 was already given on line 2",
        f"{path}:9: secid 0.000001 disagrees with market and code (1.000001)",
        f"{path}:10: market 'XX' is not an EastMoney market id nor one of SH, SS, SZ, BJ, HK",
    ]


@pytest.mark.parametrize("text, problem", [
    ("code,name\n600519,贵州茅台\n", r"the header must name the columns secid \(or market and code\) and name"),
    ("secid,aliases\n1.600519,茅台\n", "the header must name the columns"),
    ("", "the header must name the columns"),
    ("secid,name,Name\n", "the header names name twice"),
])
def test_a_header_without_the_columns_refuses_the_file(tmp_path, text, problem):
    with pytest.raises(MasterFileError, match=problem):
        read_master(write(tmp_path, text))


def test_a_file_that_is_not_utf8_or_not_there_is_refused(tmp_path):
    with pytest.raises(MasterFileError, match="not UTF-8"):
        read_master(write(tmp_path, "secid,name\n1.600519,贵州茅台\n", encoding="gbk"))
    with pytest.raises(MasterFileError, match="cannot read it"):
        read_master(tmp_path / "missing.csv")


def test_import_adds_updates_and_leaves_the_same_entries_alone(tmp_path):
    conn = duckdb.connect(":memory:")
    apply_schema(conn)
    path = write(tmp_path, "secid,name,aliases\n1.600519,贵州茅台,茅台\n116.00700,腾讯控股,\n")
    first = import_master(conn, path, now=NOW)
    assert (first.rows, first.new, first.changed, first.unchanged) == (2, 2, 0, 0)
    again = import_master(conn, path, now=datetime(2026, 12, 2, tzinfo=timezone.utc))
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    assert conn.execute("SELECT DISTINCT imported_at FROM security_master").fetchall() == [(NOW,)]
    path.write_text("secid,name,aliases\n1.600519,贵州茅台,茅台|茅子\n", encoding="utf-8")
    later = datetime(2026, 12, 3, tzinfo=timezone.utc)
    changed = import_master(conn, path, now=later)
    assert (changed.new, changed.changed, changed.unchanged) == (0, 1, 0)
    assert conn.execute("SELECT secid, aliases, imported_at = ? FROM security_master ORDER BY 1", [later]).fetchall() \
        == [("1.600519", ["茅台", "茅子"], True), ("116.00700", [], False)]


def test_a_replacing_import_removes_what_the_file_does_not_hold_and_is_all_or_nothing(tmp_path):
    conn = duckdb.connect(":memory:")
    apply_schema(conn)
    import_master(conn, write(tmp_path, "secid,name\n1.600519,贵州茅台\n116.00700,腾讯控股\n"), now=NOW)
    kept = write(tmp_path, "secid,name\n1.600519,贵州茅台\n")
    added = import_master(conn, kept, now=NOW)
    assert (added.unchanged, added.removed) == (1, 0)  # without replace, nothing goes
    assert conn.execute("SELECT count(*) FROM security_master").fetchall() == [(2,)]
    broken = write(tmp_path, "secid,name\n1.600519,贵州茅台\nnot-a-secid,坏行\n")
    with pytest.raises(MasterFileError, match="all or nothing"):
        import_master(conn, broken, now=NOW, replace=True)
    assert conn.execute("SELECT count(*) FROM security_master").fetchall() == [(2,)]
    kept = write(tmp_path, "secid,name\n1.600519,贵州茅台\n")
    replaced = import_master(conn, kept, now=NOW, replace=True)
    assert (replaced.unchanged, replaced.removed) == (1, 1)
    assert conn.execute("SELECT secid FROM security_master").fetchall() == [("1.600519",)]
    again = import_master(conn, kept, now=NOW, replace=True)
    assert (again.new, again.changed, again.removed) == (0, 0, 0)
    with pytest.raises(MasterFileError, match="no entries"):
        import_master(conn, write(tmp_path, "secid,name\n"), now=NOW, replace=True)
    assert conn.execute("SELECT count(*) FROM security_master").fetchall() == [(1,)]

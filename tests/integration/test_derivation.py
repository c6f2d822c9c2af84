"""Derived tables as a function of raw_post, and name mentions, on a small corpus of our own posts:
what a load re-derives when the extraction rules or the security dictionary change, `etl rebuild`,
and the repair of a warehouse whose rows were deleted by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl.cli import main
from etl.cli.load import load
from etl.defs.materialize import run_load
from etl.posts import version
from tests.conftest import age_files, query, write_posts
from tests.unit.html_samples import PLAIN_FRONT, post

TAIL = "\n\n<http://finance.eastmoney.com/news/1344,{id}.html>\n\n[返回东财滚动新闻](../emnews/)\n[返回首页](../)"
FILLER = "市场人士表示，后市仍需观察成交量能否持续放大。" * 12  # pushes what follows out of the lead


def _plain(article_id: str, day: str, title: str, body: str) -> tuple[str, str]:
    front = PLAIN_FRONT | {"title": f'"{title}"', "date": f"{day} 10:00:00"}
    return f"_posts/{day}-{article_id}.md", post(front, body + TAIL.format(id=article_id))


CODED, TITLED, LEAD, PLAIN = "202203019990000001", "202203029990000002", "202203039990000003", "202203049990000004"
LATER = "202203059990000005"
CORPUS = dict([
    # Gives the dictionary its names: 晨光电气 is 1.600901, 远海物流 0.002901.
    _plain(CODED, "2022-03-01", "晨光电气一季度预增", "晨光电气(600901)公告一季度净利预增，远海物流(002901)同日公告中标。"),
    # Named in the title only, never with a code.
    _plain(TITLED, "2022-03-02", "晨光电气签下储能大单", "公司公告称，合同金额约三亿元。"),
    # 远海物流 in the lead, 晨光电气 in passing deep in the body.
    _plain(LEAD, "2022-03-03", "物流板块午后走强", "远海物流午后涨停，板块跟涨。" + FILLER + "另据消息，晨光电气也有异动。"),
    # A company only an imported master knows.
    _plain(PLAIN, "2022-03-04", "北辰重工拟定增", "北辰重工公告拟定增募资十亿元。"),
])
MASTER = "secid,name,aliases\n1.600902,北辰重工,北辰|北辰重工股份\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("derivation")
    posts = write_posts(root / "posts", CORPUS)
    age_files(posts)
    assert load(posts, root / "w.duckdb").result.success
    return root


@pytest.fixture
def loaded(template: Path, tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(template, tmp_path / "copy")
    return tmp_path / "copy" / "posts", tmp_path / "copy" / "w.duckdb"


def _mentions(warehouse: Path, article_id: str) -> dict[str, tuple]:
    rows = query(warehouse, "SELECT secid, sources, in_title, first_offset, name_count, relevance FROM stock_mention "
                            "WHERE article_id = ?", [article_id])
    return {secid: tuple(rest) for secid, *rest in rows}


DERIVED = {
    "article": "* EXCLUDE (loaded_at)",
    "article_tag": "*",
    "tag": "*",
    "stock_mention": "*",
    "security": "*",
    "learned_security_name": "*",
    "rejected_post": "* EXCLUDE (rejected_at)",
    "pending_article": "article_id",
    "pending_name_match": "*",
}


def fingerprint(warehouse: Path) -> dict[str, list[tuple]]:
    """Every derived table's rows, sorted (load times left out)."""
    return {table: query(warehouse, f"SELECT {columns} FROM {table} ORDER BY ALL") for table, columns in DERIVED.items()}


def test_a_name_without_a_code_is_a_mention_found_by_name(loaded):
    _, warehouse = loaded
    titled = _mentions(warehouse, TITLED)
    assert list(titled) == ["1.600901"]
    sources, in_title, first_offset, name_count, relevance = titled["1.600901"]
    assert (sources, in_title, first_offset, name_count) == (["name"], True, None, 0)
    assert relevance == pytest.approx(4 / 7)
    assert query(warehouse, "SELECT mention_count, name, market_id, code, security_type FROM stock_mention "
                            "WHERE article_id = ?", [TITLED]) == [(1, "晨光电气", 1, "600901", "stock")]
    # The coded mentions keep what the code parser found, and gain their place and relevance.
    coded = _mentions(warehouse, CODED)
    assert {secid: row[0] for secid, row in coded.items()} == {"1.600901": ["text"], "0.002901": ["text"]}
    assert coded["1.600901"][1:4] == (True, 0, 1)
    assert query(warehouse, "SELECT secid, name, article_count FROM learned_security_name ORDER BY 1") \
        == [("0.002901", "远海物流", 1), ("1.600901", "晨光电气", 1)]
    assert query(warehouse, "SELECT article_count FROM security WHERE secid = '1.600901'") == [(3,)]


def test_relevance_ranks_title_then_lead_then_a_passing_mention(loaded):
    _, warehouse = loaded
    lead = _mentions(warehouse, LEAD)
    assert lead["0.002901"][1:3] == (False, 0)
    assert lead["1.600901"][2] > 200
    ranked = query(warehouse, "SELECT article_id, secid FROM stock_mention WHERE sources = ['name'] "
                              "ORDER BY relevance DESC, article_id")
    assert ranked == [(TITLED, "1.600901"), (LEAD, "0.002901"), (LEAD, "1.600901")]
    daily = query(warehouse, "SELECT articles, coded_articles FROM stock_daily_mentions WHERE secid = '1.600901' "
                             "ORDER BY published_date")
    assert daily == [(1, 1), (1, 0), (1, 0)]


def test_a_security_master_import_rematches_only_the_articles_holding_its_names(loaded, tmp_path, capsys):
    posts, warehouse = loaded
    stamps = dict(query(warehouse, "SELECT article_id, loaded_at FROM article"))
    before = {a: _mentions(warehouse, a) for a in (CODED, TITLED, LEAD)}
    master = tmp_path / "master.csv"
    master.write_text(MASTER, encoding="utf-8")
    assert main(["securities", "import", str(master), "--warehouse", str(warehouse)]) == 0
    assert "1 new" in capsys.readouterr().out
    outcome = load(posts, warehouse)
    assert outcome.result.success
    names = {e.asset_key.to_user_string(): e.materialization.metadata
             for e in outcome.result.get_asset_materialization_events()}["stock_mentions"]
    assert names["articles_rematched"].value == 1 and names["articles_name_matched"].value == 1
    assert names["dictionary_changed_names"].value == 3  # 北辰重工, 北辰, 北辰重工股份
    assert _mentions(warehouse, PLAIN)["1.600902"][0:2] == (["name"], True)
    assert {a: _mentions(warehouse, a) for a in (CODED, TITLED, LEAD)} == before
    assert dict(query(warehouse, "SELECT article_id, loaded_at FROM article")) == stamps  # nothing re-parsed
    assert query(warehouse, "SELECT dictionary_changed_names, articles_name_matched, articles_rederived "
                            "FROM load_run ORDER BY finished_at DESC LIMIT 1") == [(3, 1, 0)]
    assert query(warehouse, "SELECT origin, kind, name FROM security_dictionary WHERE secid = '1.600902' "
                            "ORDER BY ALL") == [("imported", "alias", "北辰"), ("imported", "alias", "北辰重工股份"),
                                                ("imported", "name", "北辰重工")]
    # The same file again changes nothing, and the next load has nothing to do.
    assert main(["securities", "import", str(master), "--warehouse", str(warehouse)]) == 0
    assert "0 new, 0 changed, 1 unchanged" in capsys.readouterr().out
    assert load(posts, warehouse).plan.up_to_date
    # The master replaced by a file without the entry: its names leave the articles that held them.
    master.write_text("secid,name\n", encoding="utf-8")
    assert main(["securities", "import", str(master), "--replace", "--warehouse", str(warehouse)]) == 2
    assert "no entries" in capsys.readouterr().err  # an empty file would remove everything
    master.write_text("secid,name\n1.600907,青砚测绘仪器\n", encoding="utf-8")
    assert main(["securities", "import", str(master), "--replace", "--warehouse", str(warehouse)]) == 0
    assert "1 new, 0 changed, 0 unchanged, 0 skipped, 1 removed" in capsys.readouterr().out
    assert load(posts, warehouse).result.success
    assert "1.600902" not in _mentions(warehouse, PLAIN)
    assert {a: _mentions(warehouse, a) for a in (CODED, TITLED, LEAD)} == before


def test_new_extraction_rules_rederive_every_article(loaded, monkeypatch):
    posts, warehouse = loaded
    before = fingerprint(warehouse)
    stamps = dict(query(warehouse, "SELECT article_id, loaded_at FROM article"))
    monkeypatch.setattr(version, "RULES_EPOCH", version.RULES_EPOCH + 1)
    outcome = load(posts, warehouse)
    assert outcome.plan.full_reason.startswith("the extraction rules changed")
    assert outcome.result.success
    after = dict(query(warehouse, "SELECT article_id, loaded_at FROM article"))
    assert all(after[a] > stamps[a] for a in stamps)
    assert fingerprint(warehouse) == before
    reason, rederived = query(warehouse, "SELECT rederive_reason, articles_rederived FROM load_run "
                                         "ORDER BY finished_at DESC LIMIT 1")[0]
    assert reason.startswith("the extraction rules changed") and rederived == len(CORPUS)
    assert query(warehouse, "SELECT rules_version FROM extraction_state") == [(version.rules_version(),)]
    assert load(posts, warehouse).plan.up_to_date  # derived once, not on every load


def _damage(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("DELETE FROM article WHERE article_id IN (?, ?)", [TITLED, LEAD])


def test_rebuild_after_rows_were_deleted_restores_a_clean_load(loaded, template, monkeypatch, tmp_path):
    posts, warehouse = loaded
    clean = fingerprint(template / "w.duckdb")
    _damage(warehouse)
    monkeypatch.setenv("ETL_POSTS_DIR", str(tmp_path / "no such folder"))  # a rebuild never reads the posts
    assert main(["rebuild", "--warehouse", str(warehouse)]) == 0
    assert fingerprint(warehouse) == clean
    assert query(warehouse, "SELECT trigger, status, articles_rederived, partition_start FROM load_run "
                            "ORDER BY finished_at DESC LIMIT 1") == [("rebuild", "success", len(CORPUS), None)]


def test_a_load_repairs_deleted_rows_too(loaded, template):
    posts, warehouse = loaded
    _damage(warehouse)
    outcome = load(posts, warehouse)
    assert outcome.result.success
    assert fingerprint(warehouse) == fingerprint(template / "w.duckdb")
    assert query(warehouse, "SELECT articles_rederived, rederive_reason FROM load_run "
                            "ORDER BY finished_at DESC LIMIT 1") == [(2, "2 articles had files in raw_post but no row: repaired")]


def test_rebuild_drops_rows_that_raw_post_does_not_feed(loaded):
    posts, warehouse = loaded
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("INSERT INTO stock_mention (article_id, secid, market_id, code, security_type, mention_count, "
                     "sources) VALUES ('999999999999999999', '1.600519', 1, '600519', 'stock', 1, ['text'])")
    assert run_load(posts, warehouse, rebuild=True).success
    assert query(warehouse, "SELECT count(*) FROM stock_mention WHERE article_id = '999999999999999999'") == [(0,)]

"""The analyst views and the example queries over a small hand-written corpus, loaded with
`etl.defs.materialize.run_load` (dagster.materialize): exact rows for every view, `etl sql` over every query in
sql/queries/, and the metadata and lineage the assets show in the Dagster UI.

The corpus (all text written here, in the formats of ../shared/docs/corpus.md), 2022-03-02..15:

| article | date  | layout / feed          | media      | mentions (count)                          |
|---------|-------|------------------------|------------|-------------------------------------------|
| A1      | 03-02 | plain emnews           | -          | 600519 (2), 000858 (1)                    |
| A2      | 03-05 | NW media HTML          | 证券时报   | 600519 (keytip + repeat = 2), BK0477 (1)  |
| A3      | 03-10 | emnews digest + HTML   | 上海证券报 | BK0493 (keytip + repeat = 2), 300750 (1)  |
| A4      | 03-12 | emnews + NW twin       | 证券时报   | 600519, 000858, BK0477 (1 each)           |
| A5      | 03-14 | plain emnews           | -          | 00700.HK (1)                              |
| A6      | 03-15 | emnews digest + HTML   | 上海证券报 | BK0493, 300750, 600519 (1 each)           |
| A7      | 03-15 | plain emnews           | 上海证券报 | 510300 fund (1)                           |
| A8      | 03-11 | plain emnews, deleted  | -          | 000858 (1): must not show in any view     |
| A9      | 03-15 | plain emnews           | 证券时报   | none                                      |
"""

import json
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from etl.cli import main
from etl.core.settings import SQL_DIR
from etl.defs.materialize import run_load

MAOTAI, WULIANGYE, CATL, TENCENT, ETF300 = "1.600519", "0.000858", "0.300750", "116.00700", "1.510300"
LIQUOR, NEW_ENERGY = "90.BK0477", "90.BK0493"
NAMES = {MAOTAI: "贵州茅台", WULIANGYE: "五粮液", CATL: "宁德时代", TENCENT: "腾讯控股", ETF300: "沪深300ETF",
         LIQUOR: "酿酒行业", NEW_ENERGY: "新能源"}


def keytip(secid: str) -> str:
    market, code = secid.split(".")
    span, quote = ("bk", "bkquote") if market == "90" else ("stock", "quote")
    return (f'<span id="{span}_{secid}"><a href="http://quote.eastmoney.com/unify/r/{secid}" class="keytip" '
            f'data-code="{market},{code}">{NAMES[secid]}</a></span><span id="{quote}_{secid}"></span>')


def repeat(secid: str) -> str:
    market, code = secid.split(".")
    return (f'<span web="1" href="http://quote.eastmoney.com/unify/r/{secid}" class="em_stock_key_common" '
            f'data-code="{market},{code}">{NAMES[secid]}</span>')


def post(title: str, when: str, category: str, tag: str, body: str) -> str:
    return (f'---\nlayout: post\ntitle: "{title}"\ndate: {when}\ncategories: {category}\ntags: {tag}\n---\n'
            + body)


def emnews_plain(article_id: str, when: str, title: str, text: str) -> str:
    return post(title, when, "emnews", "东财滚动新闻",
                f"\n{text}\n\n<http://finance.eastmoney.com/news/1344,{article_id}.html>\n\n"
                "[返回东财滚动新闻](../emnews/)\n[返回首页](../)")


def emnews_html(article_id: str, when: str, title: str, digest: str, paragraphs: list[str], media: str) -> str:
    html = "".join(f"<p>{p}</p>" for p in paragraphs) + f'<p class="em_media">（文章来源：{media}）</p>'
    return post(title, when, "emnews", "东财滚动新闻",
                f"> {digest}\n\n{html}\n\n<http://finance.eastmoney.com/news/1354,{article_id}.html>\n\n"
                "[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)")


def media_html(article_id: str, when: str, title: str, paragraphs: list[str]) -> str:
    html = "".join(f"<p>{p}</p>" for p in paragraphs) + '<p class="em_media">（文章来源：证券时报）</p>'
    return post(title, when, "zhengquanshibao", "证券时报新闻",
                f"{html}\n\n<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW{article_id}>\n\n"
                "[返回证券时报新闻](//finews.withounder.com/category/zhengquanshibao.html)｜"
                "[返回首页](//finews.withounder.com/)")


A1, A2, A3, A4, A5, A6, A7, A8, A9 = (
    "202203029990000001", "202203059990000002", "202203109990000003", "202203129990000004",
    "202203149990000005", "202203159990000006", "202203159990000007", "202203119990000008",
    "202203159990000009",
)
A4_PARAGRAPHS = [f"{keytip(MAOTAI)}与{keytip(WULIANGYE)}同日发布公告，{keytip(LIQUOR)}成交放大。"]
DELETED = f"_posts/2022-03-11-{A8}.md"

CORPUS = {
    f"old_post/2022-03-02-{A1}.md": emnews_plain(
        A1, "2022-03-02 09:30:00", "白酒板块早盘走强",
        "白酒板块早盘走强，贵州茅台(600519)涨2%，五粮液(000858)跟涨，贵州茅台(600519)成交额居前。"),
    f"old_post/2022-03-05-NW{A2}.md": media_html(
        A2, "2022-03-05 20:00:00 +0800", "贵州茅台发布年报",
        [f"{keytip(MAOTAI)}发布年报，{keytip(LIQUOR)}整体回暖。", f"{repeat(MAOTAI)}表示经营稳健。"]),
    f"_posts/2022-03-10-{A3}.md": emnews_html(
        A3, "2022-03-10 14:00:00 +0800", "新能源板块午后拉升", "新能源板块午后拉升。",
        [f"{keytip(NEW_ENERGY)}午后拉升，{keytip(CATL)}涨超5%。", f"{repeat(NEW_ENERGY)}资金净流入居前。"],
        "上海证券报"),
    f"_posts/2022-03-12-{A4}.md": emnews_html(
        A4, "2022-03-12 11:00:00 +0800", "白酒股同日公告", "白酒股同日公告。", A4_PARAGRAPHS, "证券时报"),
    f"_posts/2022-03-12-NW{A4}.md": media_html(A4, "2022-03-12 11:00:00 +0800", "白酒股同日公告", A4_PARAGRAPHS),
    f"_posts/2022-03-14-{A5}.md": emnews_plain(A5, "2022-03-14 16:20:00", "腾讯控股回购股份",
                                               "腾讯控股(00700)今日回购股份。"),
    f"_posts/2022-03-15-{A6}.md": emnews_html(
        A6, "2022-03-15 14:00:00 +0800", "新能源持续活跃", "新能源持续活跃。",
        [f"{keytip(NEW_ENERGY)}持续活跃，{keytip(CATL)}再创新高，{keytip(MAOTAI)}小幅回落。"], "上海证券报"),
    f"_posts/2022-03-15-{A7}.md": emnews_plain(A7, "2022-03-15 10:00:00", "沪深300ETF份额增加",
                                               "沪深300ETF(510300)份额增加。（文章来源：上海证券报）"),
    DELETED: emnews_plain(A8, "2022-03-11 09:00:00", "五粮液公告分红", "五粮液(000858)公告分红。"),
    f"_posts/2022-03-15-{A9}.md": emnews_plain(A9, "2022-03-15 09:00:00", "央行开展逆回购操作",
                                               "央行今日开展逆回购操作。（文章来源：证券时报）"),
}

D = date.fromisoformat


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The corpus loaded, then A8's file deleted and loaded again: (warehouse, second run's result)."""
    root = tmp_path_factory.mktemp("views")
    posts, warehouse = root / "posts", root / "warehouse.duckdb"
    for rel, text in CORPUS.items():
        (posts / rel).parent.mkdir(parents=True, exist_ok=True)
        (posts / rel).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ETL_WORKERS", "1")
        env.delenv("ETL_ANALYST_DB", raising=False)
        assert run_load(posts, warehouse).success
        (posts / DELETED).unlink()
        result = run_load(posts, warehouse)
    assert result.success
    return warehouse, result


def rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_fixture_loaded_as_designed(loaded):
    warehouse, _ = loaded
    assert dict(rows(warehouse, "SELECT article_id, deleted_from_source FROM article")) == {
        A1: False, A2: False, A3: False, A4: False, A5: False, A6: False, A7: False, A8: True, A9: False,
    }
    assert rows(warehouse, "SELECT count(*) FROM rejected_post") == [(0,)]


def test_stock_daily_mentions(loaded):
    warehouse, _ = loaded
    board, szse, sse, hkex = "EastMoney board", "SZSE", "SSE", "HKEX"
    # Every mention of these posts has a code or markup: the coded counts are the counts.
    assert rows(warehouse, "SELECT count(*) FROM stock_daily_mentions WHERE coded_articles <> articles "
                           "OR coded_mentions <> mentions") == [(0,)]
    assert rows(warehouse, "SELECT * EXCLUDE (coded_articles, coded_mentions, top_relevance) "
                           "FROM stock_daily_mentions") == [
        (D("2022-03-02"), WULIANGYE, "五粮液", szse, "stock", 1, 1),
        (D("2022-03-02"), MAOTAI, "贵州茅台", sse, "stock", 1, 2),
        (D("2022-03-05"), MAOTAI, "贵州茅台", sse, "stock", 1, 2),
        (D("2022-03-05"), LIQUOR, "酿酒行业", board, "board", 1, 1),
        (D("2022-03-10"), CATL, "宁德时代", szse, "stock", 1, 1),
        (D("2022-03-10"), NEW_ENERGY, "新能源", board, "board", 1, 2),
        # 03-11: A8 (000858) was deleted from the source: not counted
        (D("2022-03-12"), WULIANGYE, "五粮液", szse, "stock", 1, 1),
        (D("2022-03-12"), MAOTAI, "贵州茅台", sse, "stock", 1, 1),
        (D("2022-03-12"), LIQUOR, "酿酒行业", board, "board", 1, 1),
        (D("2022-03-14"), TENCENT, "腾讯控股", hkex, "stock", 1, 1),
        (D("2022-03-15"), CATL, "宁德时代", szse, "stock", 1, 1),
        (D("2022-03-15"), ETF300, "沪深300ETF", sse, "fund", 1, 1),
        (D("2022-03-15"), MAOTAI, "贵州茅台", sse, "stock", 1, 1),
        (D("2022-03-15"), NEW_ENERGY, "新能源", board, "board", 1, 1),
    ]


def test_top_stocks_and_boards_7d(loaded):
    warehouse, _ = loaded
    columns = "rank, start_date, secid, security_type, articles_7d, mentions_7d, articles_prev_7d, articles_change"
    # Window 03-09..03-15; the week before is 03-02..03-08.
    assert rows(warehouse, f"SELECT {columns} FROM top_stocks_7d WHERE end_date = '2022-03-15'") == [
        (1, D("2022-03-09"), CATL, "stock", 2, 2, 0, 2),
        (1, D("2022-03-09"), MAOTAI, "stock", 2, 2, 2, 0),
        (3, D("2022-03-09"), WULIANGYE, "stock", 1, 1, 1, 0),
        (3, D("2022-03-09"), ETF300, "fund", 1, 1, 0, 1),
        (3, D("2022-03-09"), TENCENT, "stock", 1, 1, 0, 1),
    ]
    assert rows(warehouse, f"SELECT {columns} FROM top_boards_7d WHERE end_date = '2022-03-15'") == [
        (1, D("2022-03-09"), NEW_ENERGY, "board", 2, 3, 0, 2),
        (2, D("2022-03-09"), LIQUOR, "board", 1, 1, 1, 0),
    ]
    # An end date with no article that day still has its window (03-02..03-08).
    assert rows(warehouse, f"SELECT {columns} FROM top_stocks_7d WHERE end_date = '2022-03-08'") == [
        (1, D("2022-03-02"), MAOTAI, "stock", 2, 4, 0, 2),
        (2, D("2022-03-02"), WULIANGYE, "stock", 1, 1, 0, 1),
    ]
    # End dates span the first to the last publication day; the deleted A8 (03-11) counts nowhere.
    assert rows(warehouse, "SELECT min(end_date), max(end_date), count(DISTINCT end_date) FROM security_mentions_7d") \
        == [(D("2022-03-02"), D("2022-03-15"), 14)]
    # 000858 in 03-05..03-11 only through the deleted A8: no row (03-02 is the week before).
    assert rows(warehouse, f"SELECT articles_7d FROM top_stocks_7d WHERE secid = '{WULIANGYE}' "
                           "AND end_date = '2022-03-11'") == []
    assert rows(warehouse, "SELECT count(*) FROM top_stocks_7d WHERE security_type = 'board'") == [(0,)]
    assert rows(warehouse, "SELECT count(*) FROM top_boards_7d WHERE security_type <> 'board'") == [(0,)]


def test_stock_co_mentions(loaded):
    warehouse, _ = loaded
    assert rows(warehouse, "SELECT secid_a, secid_b, articles, first_date, last_date FROM stock_co_mentions") == [
        (WULIANGYE, MAOTAI, 2, D("2022-03-02"), D("2022-03-12")),
        (CATL, NEW_ENERGY, 2, D("2022-03-10"), D("2022-03-15")),
        (MAOTAI, LIQUOR, 2, D("2022-03-05"), D("2022-03-12")),
        (WULIANGYE, LIQUOR, 1, D("2022-03-12"), D("2022-03-12")),
        (CATL, MAOTAI, 1, D("2022-03-15"), D("2022-03-15")),
        (MAOTAI, NEW_ENERGY, 1, D("2022-03-15"), D("2022-03-15")),
    ]
    assert rows(warehouse, f"SELECT name_a, security_type_a, name_b, security_type_b FROM stock_co_mentions "
                           f"WHERE secid_a = '{MAOTAI}' AND secid_b = '{LIQUOR}'") == [("贵州茅台", "stock", "酿酒行业", "board")]


def test_media_daily(loaded):
    warehouse, _ = loaded
    assert rows(warehouse, "SELECT * FROM media_daily") == [
        (D("2022-03-02"), None, 1, 1, 1, 1.0, 1.0),
        (D("2022-03-05"), "证券时报", 1, 1, 1, 1.0, 1.0),
        (D("2022-03-10"), "上海证券报", 1, 1, 1, 1.0, 1.0),
        (D("2022-03-12"), "证券时报", 1, 1, 1, 1.0, 1.0),
        (D("2022-03-14"), None, 1, 1, 1, 1.0, 1.0),
        (D("2022-03-15"), "上海证券报", 2, 2, 1, 1.0, 0.5),  # A7 mentions only a fund
        (D("2022-03-15"), "证券时报", 1, 0, 0, 0.0, 0.0),
    ]


def test_tag_daily(loaded):
    warehouse, _ = loaded
    emnews, feed = ("category:emnews", "emnews", "category"), ("tag:东财滚动新闻", "东财滚动新闻", "tag")
    stcn, stcn_tag = ("category:zhengquanshibao", "zhengquanshibao", "category"), ("tag:证券时报新闻", "证券时报新闻", "tag")
    assert rows(warehouse, "SELECT * FROM tag_daily") == [
        (D("2022-03-02"), *emnews, 1), (D("2022-03-02"), *feed, 1),
        (D("2022-03-05"), *stcn, 1), (D("2022-03-05"), *stcn_tag, 1),
        (D("2022-03-10"), *emnews, 1), (D("2022-03-10"), *feed, 1),
        (D("2022-03-12"), *emnews, 1), (D("2022-03-12"), *stcn, 1), (D("2022-03-12"), *feed, 1),
        (D("2022-03-12"), *stcn_tag, 1),
        (D("2022-03-14"), *emnews, 1), (D("2022-03-14"), *feed, 1),
        (D("2022-03-15"), *emnews, 3), (D("2022-03-15"), *feed, 3),
    ]


def test_article_search(loaded):
    warehouse, _ = loaded
    got = rows(warehouse, "SELECT article_id, published_date, media, tags, categories, secids, names, "
                          "security_types, mentions FROM article_search")
    assert got == [
        (A6, D("2022-03-15"), "上海证券报", ["东财滚动新闻"], ["emnews"], [CATL, MAOTAI, NEW_ENERGY],
         ["宁德时代", "贵州茅台", "新能源"], ["stock", "stock", "board"], 3),
        (A7, D("2022-03-15"), "上海证券报", ["东财滚动新闻"], ["emnews"], [ETF300], ["沪深300ETF"], ["fund"], 1),
        (A9, D("2022-03-15"), "证券时报", ["东财滚动新闻"], ["emnews"], [], [], [], 0),
        (A5, D("2022-03-14"), None, ["东财滚动新闻"], ["emnews"], [TENCENT], ["腾讯控股"], ["stock"], 1),
        (A4, D("2022-03-12"), "证券时报", ["东财滚动新闻", "证券时报新闻"], ["emnews", "zhengquanshibao"],
         [WULIANGYE, MAOTAI, LIQUOR], ["五粮液", "贵州茅台", "酿酒行业"], ["stock", "stock", "board"], 3),
        (A3, D("2022-03-10"), "上海证券报", ["东财滚动新闻"], ["emnews"], [CATL, NEW_ENERGY], ["宁德时代", "新能源"],
         ["stock", "board"], 3),
        (A2, D("2022-03-05"), "证券时报", ["证券时报新闻"], ["zhengquanshibao"], [MAOTAI, LIQUOR], ["贵州茅台", "酿酒行业"],
         ["stock", "board"], 3),
        (A1, D("2022-03-02"), None, ["东财滚动新闻"], ["emnews"], [WULIANGYE, MAOTAI], ["五粮液", "贵州茅台"],
         ["stock", "stock"], 3),
    ]
    assert rows(warehouse, "SELECT article_id FROM article_search WHERE list_contains(names, '五粮液') "
                           "AND body_text LIKE '%公告%'") == [(A4,)]


def sql_cli(capsys, warehouse: Path, *args: str) -> tuple[int, str, str]:
    code = main(["sql", "--db", str(warehouse), *args])
    out, err = capsys.readouterr()
    return code, out, err


def query_rows(capsys, warehouse: Path, name: str) -> list[dict]:
    code, out, err = sql_cli(capsys, warehouse, "--format", "json", "--file", str(SQL_DIR / "queries" / name))
    assert code == 0, err
    return json.loads(out)


def test_example_queries(loaded, capsys):
    warehouse, _ = loaded
    assert sorted(p.name for p in (SQL_DIR / "queries").glob("*.sql")) == [
        "co_mentioned_with_600519.sql", "media_on_600519.sql", "media_stock_coverage_last_week.sql",
        "rising_boards.sql", "top_stocks_last_week.sql",
    ]
    top = query_rows(capsys, warehouse, "top_stocks_last_week.sql")
    assert [(r["rank"], r["secid"], r["name"], r["articles"], r["mentions"]) for r in top] == [
        (1, CATL, "宁德时代", 2, 2), (1, MAOTAI, "贵州茅台", 2, 2), (3, WULIANGYE, "五粮液", 1, 1),
        (3, ETF300, "沪深300ETF", 1, 1), (3, TENCENT, "腾讯控股", 1, 1),
    ]
    assert {(r["start_date"], r["end_date"]) for r in top} == {("2022-03-09", "2022-03-15")}
    assert query_rows(capsys, warehouse, "rising_boards.sql") == [{
        "secid": NEW_ENERGY, "name": "新能源", "articles_last_week": 2, "articles_week_before": 0,
        "articles_change": 2, "mentions_last_week": 3, "start_date": "2022-03-09", "end_date": "2022-03-15",
    }]
    assert [tuple(r.values()) for r in query_rows(capsys, warehouse, "media_on_600519.sql")] == [
        ("证券时报", 2, "2022-03-05", "2022-03-12"),
        ("(no source named)", 1, "2022-03-02", "2022-03-02"),
        ("上海证券报", 1, "2022-03-15", "2022-03-15"),
    ]
    assert [tuple(r.values()) for r in query_rows(capsys, warehouse, "co_mentioned_with_600519.sql")] == [
        (WULIANGYE, "五粮液", "stock", 2, "2022-03-02", "2022-03-12"),
        (LIQUOR, "酿酒行业", "board", 2, "2022-03-05", "2022-03-12"),
        (CATL, "宁德时代", "stock", 1, "2022-03-15", "2022-03-15"),
        (NEW_ENERGY, "新能源", "board", 1, "2022-03-15", "2022-03-15"),
    ]
    assert [tuple(r.values()) for r in query_rows(capsys, warehouse, "media_stock_coverage_last_week.sql")] == [
        ("上海证券报", 3, 2, 0.6667), ("证券时报", 2, 1, 0.5), ("(no source named)", 1, 1, 1.0),
    ]


def test_sql_command_formats_and_errors(loaded, capsys, tmp_path, monkeypatch):
    warehouse, _ = loaded
    code, out, _ = sql_cli(capsys, warehouse, "SELECT secid, name, articles FROM stock_daily_mentions "
                                              "WHERE published_date = '2022-03-12' ORDER BY secid")
    assert code == 0
    assert out.splitlines() == [
        "secid      name      articles",
        "---------  --------  --------",
        "0.000858   五粮液           1",
        "1.600519   贵州茅台         1",
        "90.BK0477  酿酒行业         1",
        "(3 rows)",
    ]
    code, out, _ = sql_cli(capsys, warehouse, "--format", "csv",
                           f"SELECT article_id, secids, media FROM article_search WHERE article_id IN ('{A5}', '{A9}')")
    assert out.splitlines() == ["article_id,secids,media", f'{A9},[],证券时报', f'{A5},"[""116.00700""]",']
    code, _, err = sql_cli(capsys, warehouse, "SELECT * FROM no_such_view")
    assert code == 1 and "no_such_view" in err
    # Without --db: the published analyst snapshot; never the warehouse, which may hold half a load.
    monkeypatch.setenv("ETL_WAREHOUSE", str(warehouse))
    monkeypatch.delenv("ETL_ANALYST_DB", raising=False)
    assert main(["sql", "--format", "json", "SELECT count(*) AS n FROM article_search"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 8}]
    monkeypatch.setenv("ETL_ANALYST_DB", str(tmp_path / "no-snapshot.duckdb"))
    assert main(["sql", "SELECT 1"]) == 1
    assert "no snapshot published yet" in capsys.readouterr().err


def _materialization(result, key: str) -> dict:
    event = next(e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == key)
    return dict(event.materialization.metadata)


def _definition_metadata(key: str) -> dict:
    from etl.defs.definitions import defs

    return dict(defs.resolve_asset_graph().get(dg.AssetKey(key)).metadata)


def test_view_assets_show_schema_rows_and_preview(loaded):
    warehouse, result = loaded
    for (view,) in rows(warehouse, "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1"):
        schema = _definition_metadata(view)["dagster/column_schema"]
        assert [c.name for c in schema.columns] == [r[0] for r in rows(
            warehouse, f"SELECT column_name FROM duckdb_columns() WHERE table_name = '{view}' ORDER BY column_index")]
        assert all(c.description for c in schema.columns)
        meta = _materialization(result, view)
        assert meta["dagster/row_count"].value == rows(warehouse, f"SELECT count(*) FROM {view}")[0][0]
        assert meta["preview"].value
    # BK0477: end dates 03-05..03-15 (11), BK0493: 03-10..03-15 (6)
    assert _materialization(result, "top_boards_7d")["dagster/row_count"].value == 17
    assert _definition_metadata("top_boards_7d")["reads"] == "security_mentions_7d"


def test_table_assets_show_column_schema_from_comments(loaded):
    warehouse, _ = loaded
    for asset, table in [("raw_posts", "raw_post"), ("articles", "article"), ("article_tags", "article_tag"),
                         ("stock_mentions", "stock_mention"), ("securities", "security")]:
        meta = _definition_metadata(asset)
        assert meta["dagster/table_name"] == f"main.{table}"
        columns = {c.name: c for c in meta["dagster/column_schema"].columns}
        # The schema Dagster shows is the one the load created.
        assert list(columns) == [r[0] for r in rows(
            warehouse, f"SELECT column_name FROM duckdb_columns() WHERE table_name = '{table}' ORDER BY column_index")]
        assert all(c.description for c in columns.values()), asset
    article = {c.name: c for c in _definition_metadata("articles")["dagster/column_schema"].columns}
    assert article["article_id"].constraints.unique and not article["article_id"].constraints.nullable
    assert article["deleted_from_source"].description.startswith("True when every source file")
    rejected = _definition_metadata("articles")["rejected_post_columns"].value
    assert "reason" in [c.name for c in rejected.columns]
    mention = {c.name: c for c in _definition_metadata("stock_mentions")["dagster/column_schema"].columns}
    assert mention["secid"].constraints.other == ["part of primary key (article_id, secid)"]


def test_view_lineage_in_the_asset_graph():
    from etl.defs.definitions import defs

    graph = defs.resolve_asset_graph()

    def parents(key: str) -> set[str]:
        return {k.to_user_string() for k in graph.get(dg.AssetKey(key)).parent_keys}

    # Each view hangs off the nearest assets it reads: the others are upstream of those.
    assert parents("stock_daily_mentions") == {"securities"}  # reads article, stock_mention, security
    assert parents("security_mentions_7d") == {"stock_daily_mentions"}  # and article
    assert parents("top_stocks_7d") == parents("top_boards_7d") == {"security_mentions_7d"}
    assert parents("stock_co_mentions") == {"securities"}
    assert parents("media_daily") == {"stock_mentions"}
    assert parents("tag_daily") == {"article_tags"}
    assert parents("article_search") == {"article_tags", "securities"}
    # One step makes them all; it is not an asset downstream of the views.
    assert dg.AssetKey("analyst_views") not in graph.get_all_asset_keys()
    views = {graph.get(dg.AssetKey(name)).assets_def.node_def.name for name in ("tag_daily", "article_search")}
    assert views == {"analyst_views"}
    for name in ("tag_daily", "article_search"):
        references = _definition_metadata(name)["dagster/code_references"].code_references
        assert f"sql/views/" in references[0].file_path and references[0].file_path.endswith(f"_{name}.sql")

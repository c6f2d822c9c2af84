"""Data-quality checks: clean loads pass, bad batches fail the right checks with the right severity,
every result lands in dq_result, a failing blocking check stops the downstream assets, and a check
step validates only what its asset wrote since its last clean check (without Great Expectations
when that is nothing).

The fixture posts are written here, in the corpus formats (plain digest, `> ` digest + HTML with
EastMoney markup, NW media copy, old_post copy, empty title and date); their text is made up.
"""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from etl.defs.assets.articles import article_tags, articles
from etl.defs.assets.mentions import securities, stock_mentions
from etl.defs.assets.raw_posts import raw_posts
from etl.defs.checks import QUALITY_CHECKS
from etl.defs.resources import GreatExpectations, PostsFolder, Warehouse
from etl.quality.suites import ERROR, SUITES, WARN, checks_for, suites_for
from etl.quality.validate import run_asset_checks, validate_frames
from etl.warehouse.connection import open_warehouse

PLAIN_ID = "202112099990000001"
EMNEWS_ID = "202201109990000002"
TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 4, 0, tzinfo=timezone.utc)

PLAIN = """---
layout: post
title: "示例白酒公司发布年度分红预案"
date: 2021-12-09 10:15:00
categories: emnews
tags: 东财滚动新闻
---

贵州茅台(600519)晚间公告，拟每10股派发现金红利若干元，另有港交所(00388.HK)相关消息。

<http://finance.eastmoney.com/news/11060,202112099990000001.html>"""

EMNEWS = """---
layout: post
title: "示例：新能源板块午后走强"
date: 2022-01-10 13:30:00 +0800
categories: emnews
tags: 东财滚动新闻
---
> 新能源板块午后拉升，多只个股涨幅居前。

<p>午后<span id="bk_90.BK0493"><a href="http://quote.eastmoney.com/unify/r/90.BK0493" class="keytip" data-code="90,BK0493">新能源</a></span><span id="bkquote_90.BK0493"></span>板块走强，<span id="stock_1.600160"><a href="http://quote.eastmoney.com/unify/r/1.600160" class="keytip" data-code="1,600160">示例股份</a></span><span id="quote_1.600160"></span>领涨。</p><!-- EM_StockImg_Start --><p style="text-align:center"><a href="http://quote.eastmoney.com/unify/r/1.600160" data-code="600160|1|1" data-code2="600160|1|2|" class="EmImageRemark"><img src="http://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.600160&imageType=k" data-code="K 600160|1|1" alt="K图 600160_0"></a></p><!-- EM_StockImg_End --><p>分析人士称，<span web="1" href="http://quote.eastmoney.com/unify/r/1.600160" class="em_stock_key_common" data-code="1,600160">示例股份</span>的<span id="Info.3321"><a href="http://data.eastmoney.com/bbsj/" class="infokey">业绩</a></span>增长较快。</p><p style="display:none"> </p><p class="em_media">（文章来源：示例证券报）</p>

<http://finance.eastmoney.com/a/202201109990000002.html>
[返回东财滚动新闻](//finews.example.com/emnews/)｜[返回首页](//finews.example.com/)"""

MEDIA = """---
layout: post
title: "示例：新能源板块午后走强"
date: 2022-01-10 13:30:00 +0800
categories: shilizhengquanbao
tags: 示例证券报新闻
---
<p>午后新能源板块走强，<span id="stock_1.600160"><a href="http://quote.eastmoney.com/unify/r/1.600160" class="keytip" data-code="1,600160">示例股份</a></span><span id="quote_1.600160"></span>领涨。</p><p class="em_media">（文章来源：示例证券报）</p>

<http://finews.example.com/html_News/NewsShare.html?infoCode=NW202201109990000002>"""

CLEAN_CORPUS = {
    f"_posts/2021-12-09-{PLAIN_ID}.md": PLAIN,
    f"old_post/2021-12-09-{PLAIN_ID}.md": "\n" + PLAIN.replace("\n", "\r\n"),
    f"_posts/2022-01-10-{EMNEWS_ID}.md": EMNEWS,
    f"old_post/2022-01-10-NW{EMNEWS_ID}.md": MEDIA,
}

# A post with an empty title and date, as the scraper sometimes wrote them: worth a warning only.
UNDATED = """---
layout: post
title: ""
date:  +0800
categories: emnews
tags: 东财滚动新闻
---

示例快讯：某公司(000651)公告完成回购。"""

# A digest and an HTML body that holds nothing but a hidden spacer and the attribution: the article
# keeps no text although its layout is not digest_only.
TEXTLESS = """---
layout: post
title: "示例：无正文的快讯"
date: 2022-01-11 09:00:00 +0800
categories: emnews
tags: 东财滚动新闻
---
> 一句话摘要。

<p style="display:none"> </p><p class="em_media">（文章来源：示例证券报）</p>

<http://finance.eastmoney.com/a/202201119990000004.html>"""

CODED_COLUMNS = "(article_id, secid, market_id, code, name, security_type, mention_count, sources)"
"""The columns of a code or markup mention (name matching fills the others)."""
CORE_ASSETS = [raw_posts, articles, article_tags, stock_mentions, securities]
DOWNSTREAM_OF_ARTICLES = {"article_tags", "stock_mentions", "securities"}


def write_posts(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def materialize(posts: Path, warehouse: Path) -> dg.ExecuteInProcessResult:
    """One run over every file, as `etl load --full` and the UI's Materialize all run it."""
    return dg.materialize(
        [*CORE_ASSETS, *QUALITY_CHECKS],
        instance=dg.DagsterInstance.ephemeral(),
        resources={
            "posts": PostsFolder(path=str(posts), max_post_bytes=2 * 1024 * 1024, workers=1),
            "duckdb": Warehouse(database=str(warehouse)),
            # In this process, so that the test below can see whether Great Expectations was imported.
            "great_expectations": GreatExpectations(helper_process=False),
        },
        raise_on_error=False,
    )


def evaluations(result) -> dict[tuple[str, str], dg.AssetCheckEvaluation]:
    return {(e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()}


def materialized(result) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


def all_check_keys() -> set[tuple[str, str]]:
    return {(suite.asset, rule.name) for suite in SUITES for rule in suite.checks}


def dq_rows(warehouse: Path, run_id: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute("SELECT * FROM dq_result WHERE run_id = ? ORDER BY asset, check_name", [run_id]).df()


@pytest.fixture
def clean_posts(tmp_path: Path) -> Path:
    return write_posts(tmp_path / "posts", CLEAN_CORPUS)


@pytest.fixture(scope="module")
def clean_warehouse(tmp_path_factory) -> Path:
    """A clean load of the fixture corpus, made once per module."""
    root = tmp_path_factory.mktemp("clean")
    warehouse = root / "warehouse.duckdb"
    assert materialize(write_posts(root / "posts", CLEAN_CORPUS), warehouse).success
    return warehouse


@pytest.fixture
def loaded(clean_warehouse: Path, clean_posts: Path, tmp_path: Path) -> Path:
    """A copy of the clean warehouse that a test may spoil (its posts are in `clean_posts`)."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(clean_warehouse, warehouse)
    return warehouse


@pytest.fixture
def unchecked(loaded: Path) -> Path:
    """`loaded` without its check history: with no clean check yet, every row is still to be
    validated, as on a first load, so the bad rows a test writes straight into it are seen."""
    with duckdb.connect(str(loaded)) as conn:
        conn.execute("DELETE FROM dq_result")
    return loaded


def rows_checked(result) -> dict[tuple[str, str], int]:
    return {key: e.metadata["rows_checked"].value for key, e in evaluations(result).items()}


def failures(outcomes) -> dict[str, str]:
    """Failed check name → severity."""
    return {o.check_name: o.severity for o in outcomes if not o.passed}


# --- the suites as data ------------------------------------------------------------------------

def test_every_checked_asset_has_its_suites_and_errors_are_blocking():
    assert {s.asset for s in SUITES} == {"articles", "article_tags", "stock_mentions", "securities"}
    assert {s.table for s in SUITES} == {"article", "article_tag", "tag", "stock_mention", "security"}
    specs = {(spec.asset_key.to_user_string(), spec.name): spec
             for checks in QUALITY_CHECKS for spec in checks.check_specs}
    assert set(specs) == all_check_keys()
    for suite in SUITES:
        for rule in suite.checks:
            assert rule.severity in (ERROR, WARN)
            assert specs[(suite.asset, rule.name)].blocking == (rule.severity == ERROR)


def test_definitions_carry_the_checks_without_importing_great_expectations():
    import subprocess

    code = ("import sys, etl.defs.definitions as d; "
            "from etl.defs.checks import QUALITY_CHECKS; "
            "assert all(c in d.WAREHOUSE_CHECKS for c in QUALITY_CHECKS); "
            "assert len(list(d.defs.resolve_asset_graph().asset_check_keys)) >= %d; "
            "print('great_expectations' in sys.modules)" % len(all_check_keys()))
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- dagster.materialize: the real path --------------------------------------------------------

def test_clean_load_passes_every_check_and_records_it(clean_posts: Path, tmp_path: Path):
    warehouse = tmp_path / "warehouse.duckdb"
    result = materialize(clean_posts, warehouse)

    assert result.success
    found = evaluations(result)
    assert set(found) == all_check_keys()
    assert [key for key, e in found.items() if not e.passed] == []
    rows = dq_rows(warehouse, result.run_id)
    assert len(rows) == len(all_check_keys())
    assert rows["passed"].all()
    assert (rows["unexpected_count"] == 0).all()
    severities = dict(zip(zip(rows["asset"], rows["check_name"]), rows["severity"]))
    assert severities[("stock_mentions", "market_id_known")] == WARN
    assert severities[("stock_mentions", "article_exists")] == ERROR


def test_warnings_are_reported_but_do_not_stop_the_load(tmp_path: Path):
    posts = write_posts(tmp_path / "posts", CLEAN_CORPUS | {"_posts/-202205269990000009.md": UNDATED})
    warehouse = tmp_path / "warehouse.duckdb"
    result = materialize(posts, warehouse)

    assert result.success
    assert {"raw_posts", "articles"} | DOWNSTREAM_OF_ARTICLES <= materialized(result)
    failed = {key: e.severity for key, e in evaluations(result).items() if not e.passed}
    assert failed == {("articles", "published_at_present"): dg.AssetCheckSeverity.WARN,
                      ("articles", "title_not_empty"): dg.AssetCheckSeverity.WARN}
    sample = evaluations(result)[("articles", "title_not_empty")].metadata["failing_sample"].value
    assert "202205269990000009" in sample


def test_failing_blocking_check_on_mentions_stops_securities(loaded: Path, clean_posts: Path):
    # A mention whose article does not exist: the stock_mentions suite must refuse to go on.
    with duckdb.connect(str(loaded)) as conn:
        conn.execute(f"INSERT INTO stock_mention {CODED_COLUMNS} VALUES ('999999999999999999', '1.600519', 1, "
                     "'600519', NULL, 'stock', 1, ['text'])")
    write_posts(clean_posts, {"_posts/2022-01-11-202201119990000005.md": EMNEWS.replace("13:30", "14:30")})
    result = materialize(clean_posts, loaded)

    assert not result.success
    done = materialized(result)
    assert {"raw_posts", "articles", "article_tags", "stock_mentions"} <= done
    assert "securities" not in done
    check = evaluations(result)[("stock_mentions", "article_exists")]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    assert "999999999999999999" in check.metadata["failing_sample"].value
    assert check.metadata["unexpected_count"].value == 1
    failed_steps = {e.step_key for e in result.all_events if e.is_step_failure}
    assert failed_steps == {"stock_mentions_quality"}
    rows = dq_rows(loaded, result.run_id).set_index(["asset", "check_name"])
    assert not rows.loc[("stock_mentions", "article_exists"), "passed"]
    assert ("securities", "secid_format") not in rows.index  # its checks never ran


def test_failing_blocking_check_on_articles_stops_everything_downstream(tmp_path: Path):
    posts = write_posts(tmp_path / "posts", CLEAN_CORPUS | {"_posts/2022-01-11-202201119990000004.md": TEXTLESS})
    warehouse = tmp_path / "warehouse.duckdb"
    result = materialize(posts, warehouse)

    assert not result.success
    assert materialized(result) == {"raw_posts", "articles"}
    check = evaluations(result)[("articles", "body_text_not_empty")]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    assert "202201119990000004" in check.description
    assert {key[0] for key in evaluations(result)} == {"articles"}


# --- what a check step validates: what its asset wrote since its last clean check ---------------

NEW_ID = "202201129990000006"


def test_a_load_checks_only_the_articles_it_wrote_and_their_rows(loaded: Path, clean_posts: Path):
    write_posts(clean_posts, {f"_posts/2022-01-12-{NEW_ID}.md": EMNEWS.replace(EMNEWS_ID, NEW_ID)})
    result = materialize(clean_posts, loaded)

    assert result.success
    checked = rows_checked(result)
    with duckdb.connect(str(loaded), read_only=True) as conn:
        def count(sql: str, *params) -> int:
            return conn.execute(sql, list(params)).fetchone()[0]

        assert count("SELECT count(*) FROM article") == 3
        assert checked[("articles", "article_id_unique")] == 1
        assert checked[("article_tags", "article_tag_unique")] == count(
            "SELECT count(*) FROM article_tag WHERE article_id = ?", NEW_ID)
        assert checked[("stock_mentions", "mention_unique")] == count(
            "SELECT count(*) FROM stock_mention WHERE article_id = ?", NEW_ID) > 0
        # The dimensions are small and derived from the articles: checked whole when any article changed.
        assert checked[("article_tags", "tag_table_id_unique")] == count("SELECT count(*) FROM tag")
        assert checked[("securities", "secid_unique")] == count("SELECT count(*) FROM security")


def test_a_failed_blocking_check_fails_again_until_fixed_then_an_unchanged_load_checks_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    textless = "_posts/2022-01-11-202201119990000004.md"
    posts = write_posts(tmp_path / "posts", CLEAN_CORPUS | {textless: TEXTLESS})
    warehouse = tmp_path / "warehouse.duckdb"

    def body_check(result) -> dg.AssetCheckEvaluation:
        return evaluations(result)[("articles", "body_text_not_empty")]

    assert not body_check(materialize(posts, warehouse)).passed

    # Nothing rebuilt, but no clean check since the failure: the bad article is checked again.
    unchanged = materialize(posts, warehouse)
    assert not unchanged.success
    assert materialized(unchanged) == {"raw_posts", "articles"}
    assert not body_check(unchanged).passed
    assert "202201119990000004" in body_check(unchanged).description

    write_posts(posts, {textless: TEXTLESS.replace('<p style="display:none"> </p>', "<p>示例公司发布公告。</p>")})
    fixed = materialize(posts, warehouse)
    assert fixed.success
    assert [key for key, e in evaluations(fixed).items() if not e.passed] == []
    assert rows_checked(fixed)[("articles", "article_id_unique")] == 3  # all of them: none had passed yet

    # After a clean check an unchanged load has nothing to validate: Great Expectations must not even
    # be imported (with None in sys.modules, any import of it raises and fails the check step).
    monkeypatch.setitem(sys.modules, "great_expectations", None)
    again = materialize(posts, warehouse)
    assert again.success
    found = evaluations(again)
    assert set(found) == all_check_keys()
    assert all(e.passed for e in found.values())
    assert set(rows_checked(again).values()) == {0}
    assert "Nothing new to check since the last clean check." in body_check(again).description
    rows = dq_rows(warehouse, again.run_id)
    assert len(rows) == len(all_check_keys())
    assert rows["passed"].all()
    assert (rows["unexpected_count"] == 0).all()
    assert {json.loads(details)["rows_checked"] for details in rows["details"]} == {0}


# --- the plain check function on deliberately bad batches --------------------------------------

def test_bad_mentions_fail_the_right_checks(unchecked: Path):
    with open_warehouse(unchecked) as conn:
        conn.execute(f"""
            INSERT INTO stock_mention {CODED_COLUMNS} VALUES
                (?, '155.ABC', 155, 'ABC', 'unknown market', 'stock', 2, ['keytip']),
                (?, 'nw-600000', 1, '600000', NULL, 'stock', 1, ['text']),
                (?, '0.000651', 0, '000651', NULL, 'stock', 0, ['text']),
                (?, '1.601988', 1, '601988', NULL, 'share', 1, ['text']),
                ('no-such-article', '1.600036', 1, '600036', NULL, 'stock', 1, ['text'])
        """, [EMNEWS_ID, EMNEWS_ID, PLAIN_ID, PLAIN_ID])
        outcomes = run_asset_checks(conn, "stock_mentions", run_id="bad-mentions", today=TODAY, now=NOW)

    assert failures(outcomes) == {
        "market_id_known": WARN,
        "secid_format": ERROR,
        "secid_matches_market_and_code": ERROR,
        "mention_count_at_least_1": ERROR,
        "security_type_known": ERROR,
        "article_exists": ERROR,
    }
    by_name = {o.check_name: o for o in outcomes}
    assert by_name["market_id_known"].unexpected_count == 1
    assert by_name["market_id_known"].sample[0] == {"article_id": EMNEWS_ID, "secid": "155.ABC", "market_id": 155}
    assert by_name["article_exists"].sample[0]["article_id"] == "no-such-article"
    rows = dq_rows(unchecked, "bad-mentions")
    assert len(rows) == len(checks_for("stock_mentions"))
    assert set(rows.loc[~rows["passed"], "check_name"]) == set(failures(outcomes))


def test_bad_articles_fail_the_right_checks(unchecked: Path):
    with open_warehouse(unchecked) as conn:
        # Whitespace is no text: the body must fail like an empty one.
        conn.execute("UPDATE article SET body_text = ' \n ', title_variants = ['标题甲', '标题乙'] "
                     "WHERE article_id = ?", [EMNEWS_ID])
        conn.execute("UPDATE article SET published_at = TIMESTAMPTZ '2019-05-01 08:00:00+08', title = '  ' "
                     "WHERE article_id = ?", [PLAIN_ID])
        outcomes = run_asset_checks(conn, "articles", run_id="bad-articles", today=TODAY, now=NOW)

    assert failures(outcomes) == {
        "body_text_not_empty": ERROR,
        "titles_agree": WARN,
        "published_at_in_corpus_era": WARN,
        "title_not_empty": WARN,
    }
    by_name = {o.check_name: o for o in outcomes}
    assert by_name["titles_agree"].sample[0]["disagreeing_titles"] == "标题甲 ｜ 标题乙"


def test_digest_only_articles_may_have_no_body(unchecked: Path):
    with open_warehouse(unchecked) as conn:
        conn.execute("UPDATE article SET body_text = '', layout = 'digest_only' WHERE article_id = ?", [EMNEWS_ID])
        outcomes = run_asset_checks(conn, "articles", run_id="digest-only", today=TODAY, now=NOW)
    assert failures(outcomes) == {}


def test_bad_tags_and_securities_fail_the_right_checks(unchecked: Path):
    with open_warehouse(unchecked) as conn:
        conn.execute("INSERT INTO article_tag VALUES (?, 'tag:没有这个标签')", [PLAIN_ID])
        conn.execute("INSERT INTO tag VALUES ('label:示例', '示例', 'label')")
        conn.execute("UPDATE security SET security_type = 'warrant', first_seen_date = DATE '2030-01-01' "
                     "WHERE secid = '1.600160'")
        conn.execute("INSERT INTO security VALUES ('107.abc', 107, 'abc', 'NYSE American', 'stock', NULL, "
                     "NULL, NULL, 0)")
        tag_outcomes = run_asset_checks(conn, "article_tags", run_id="bad-dims", today=TODAY, now=NOW)
        security_outcomes = run_asset_checks(conn, "securities", run_id="bad-dims", today=TODAY, now=NOW)

    assert failures(tag_outcomes) == {"tag_exists": ERROR, "tag_kind_known": ERROR}
    assert failures(security_outcomes) == {
        "security_type_known": ERROR,
        "seen_dates_ordered": ERROR,
        "secid_format": ERROR,
        "article_count_at_least_1": ERROR,
    }
    assert len(dq_rows(unchecked, "bad-dims")) == len(checks_for("article_tags")) + len(checks_for("securities"))


def duplicate_and_keyless_mentions() -> pd.DataFrame:
    """A stock_mention batch with a duplicate key and a missing article id: the tables' primary keys
    stop these rows at the door; the suites must still catch them in a batch."""
    return pd.DataFrame({
        "article_id": [EMNEWS_ID, EMNEWS_ID, None],
        "secid": ["1.600160", "1.600160", "90.BK0493"],
        "market_id": [1, 1, 90],
        "code": ["600160", "600160", "BK0493"],
        "secid_from_parts": ["1.600160", "1.600160", "90.BK0493"],
        "security_type": ["stock", "stock", "board"],
        "mention_count": [3, 3, 1],
        "orphan_article_id": [None, None, None],
    })


def test_duplicate_and_missing_keys_fail_key_checks():
    mentions = duplicate_and_keyless_mentions()
    articles_frame = pd.DataFrame({
        "article_id": [PLAIN_ID, PLAIN_ID], "best_post_path": ["a.md", "b.md"], "title": ["甲", "乙"],
        "published_at": pd.to_datetime(["2021-12-09 02:15:00+00:00"] * 2, utc=True),
        "layout": ["plain", "plain"], "body_length": [2, 2], "disagreeing_titles": [None, None],
    })
    outcomes = validate_frames({"stock_mention": mentions, "article": articles_frame},
                               suites_for("stock_mentions") + suites_for("articles"), today=TODAY)
    assert failures(outcomes) == {"mention_unique": ERROR, "article_id_not_null": ERROR, "article_id_unique": ERROR}
    unique = next(o for o in outcomes if o.check_name == "mention_unique")
    assert unique.unexpected_count == 2


def test_rerunning_a_check_step_in_the_same_run_replaces_its_rows(loaded: Path):
    with open_warehouse(loaded) as conn:
        run_asset_checks(conn, "securities", run_id="again", today=TODAY, now=NOW)
        run_asset_checks(conn, "securities", run_id="again", today=TODAY, now=NOW)
    assert len(dq_rows(loaded, "again")) == len(checks_for("securities"))

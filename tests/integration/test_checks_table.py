"""Checks that tell the state of the whole current table, not only of what a run loaded: the
quarantine (`rejected_posts`), WARN checks that stay failed while their rows are in the table, and
checks run on their own, without materializing their assets.
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from etl.defs.checks import WAREHOUSE_CHECKS, rejected_posts
from etl.defs.definitions import defs
from etl.defs.resources import GreatExpectations, PostsFolder, Warehouse
from etl.quality.suites import CHECKED_ASSETS, SUITES, WARN
from etl.quality.validate import run_asset_checks
from etl.warehouse.connection import open_warehouse
from tests.integration.test_checks import (
    CLEAN_CORPUS,
    CORE_ASSETS,
    NOW,
    PLAIN_ID,
    TEXTLESS,
    TODAY,
    UNDATED,
    dq_rows,
    evaluations,
    materialize,
    materialized,
    write_posts,
)

BROKEN = "_posts/2022-01-12-202201129990000007.md"
UNDATED_PATH = "_posts/-202205269990000009.md"


def resources(posts: Path, warehouse: Path) -> dict:
    return {
        "posts": PostsFolder(path=str(posts), max_post_bytes=2 * 1024 * 1024, workers=1),
        "duckdb": Warehouse(database=str(warehouse)),
        "great_expectations": GreatExpectations(helper_process=False),
    }


def load_with_quarantine_check(posts: Path, warehouse: Path) -> dg.ExecuteInProcessResult:
    """A load as `materialize` runs it, with the quarantine check beside the suites."""
    return dg.materialize([*CORE_ASSETS, *WAREHOUSE_CHECKS], instance=dg.DagsterInstance.ephemeral(),
                          resources=resources(posts, warehouse), raise_on_error=False)


def run_checks_only(posts: Path, warehouse: Path, selection) -> dg.ExecuteInProcessResult:
    """A run of checks alone, as the UI's "Execute" on a check or the check_warehouse job launches it."""
    job = dg.define_asset_job("checks_only", selection=selection)
    only = dg.Definitions(assets=defs.assets, asset_checks=WAREHOUSE_CHECKS, jobs=[job],
                          resources=resources(posts, warehouse))
    return only.resolve_job_def("checks_only").execute_in_process(instance=dg.DagsterInstance.ephemeral(),
                                                                  raise_on_error=False)


def test_a_broken_post_fails_rejected_posts_as_a_warning_listing_it_until_fixed(tmp_path: Path):
    posts = write_posts(tmp_path / "posts", CLEAN_CORPUS | {BROKEN: "---\ntitle: 没有结尾的头部\n"})
    warehouse = tmp_path / "warehouse.duckdb"
    result = load_with_quarantine_check(posts, warehouse)

    assert result.success  # a warning: the load goes on
    check = evaluations(result)[("articles", "rejected_posts")]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert check.metadata["violations_in_table"].value == 1
    listing = check.metadata["failing_sample"].value
    assert BROKEN in listing and "unterminated front matter" in listing
    assert BROKEN in check.description
    row = dq_rows(warehouse, result.run_id).set_index("check_name").loc["rejected_posts"]
    assert (row["asset"], row["severity"], bool(row["passed"]), row["unexpected_count"]) == ("articles", WARN, False, 1)
    assert json.loads(row["details"])["sample"][0]["post_path"] == BROKEN

    # Nothing changed: the file is still in quarantine, and the check still says so.
    again = evaluations(load_with_quarantine_check(posts, warehouse))[("articles", "rejected_posts")]
    assert not again.passed and BROKEN in again.metadata["failing_sample"].value

    write_posts(posts, {BROKEN: CLEAN_CORPUS[next(iter(CLEAN_CORPUS))].replace("202112099990000001",
                                                                               "202201129990000007")})
    fixed = evaluations(load_with_quarantine_check(posts, warehouse))[("articles", "rejected_posts")]
    assert fixed.passed and fixed.metadata["violations_in_table"].value == 0


def test_a_warning_stays_reported_while_its_row_is_in_the_table(tmp_path: Path):
    posts = write_posts(tmp_path / "posts", CLEAN_CORPUS | {UNDATED_PATH: UNDATED})
    warehouse = tmp_path / "warehouse.duckdb"
    first = materialize(posts, warehouse)
    assert first.success and not evaluations(first)[("articles", "title_not_empty")].passed

    unchanged = materialize(posts, warehouse)
    assert unchanged.success
    assert materialized(unchanged) == {"raw_posts", "articles", "article_tags", "stock_mentions", "securities"}
    check = evaluations(unchanged)[("articles", "title_not_empty")]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert check.metadata["rows_checked"].value == 0  # the suite had nothing new to validate...
    assert check.metadata["violations_in_table"].value == 1  # ...the table still holds the row
    assert "202205269990000009" in check.metadata["failing_sample"].value
    assert "Nothing new to check" in check.description and "1 rows that break it" in check.description
    quiet = evaluations(unchanged)[("articles", "titles_agree")]
    assert quiet.passed and quiet.metadata["violations_in_table"].value == 0
    row = dq_rows(warehouse, unchanged.run_id).set_index("check_name").loc["title_not_empty"]
    assert not row["passed"] and json.loads(row["details"])["violations_in_table"] == 1

    # The post is fixed: the warning clears.
    write_posts(posts, {UNDATED_PATH: UNDATED.replace('title: ""', 'title: "示例：回购完成"')})
    assert evaluations(materialize(posts, warehouse))[("articles", "title_not_empty")].passed


def test_the_whole_table_counts_agree_with_great_expectations(tmp_path: Path):
    # Each WARN check is written twice, as an expectation and as a SQL condition: with every row new
    # (no check history) both must find the same rows.
    posts = write_posts(tmp_path / "posts", CLEAN_CORPUS | {UNDATED_PATH: UNDATED})
    warehouse = tmp_path / "warehouse.duckdb"
    assert materialize(posts, warehouse).success
    with open_warehouse(warehouse) as conn:
        conn.execute("UPDATE article SET title_variants = ['标题甲', '标题乙'], "
                     "published_at = TIMESTAMPTZ '2019-05-01 08:00:00+08' WHERE article_id = ?", [PLAIN_ID])
        conn.execute("UPDATE stock_mention SET market_id = 155")
        conn.execute("UPDATE security SET market_id = 155")
        conn.execute("DELETE FROM dq_result")
        outcomes = [o for asset in CHECKED_ASSETS
                    for o in run_asset_checks(conn, asset, run_id="agree", today=TODAY, now=NOW)]
    warnings = [o for o in outcomes if o.severity == WARN]
    assert len(warnings) == sum(check.severity == WARN for suite in SUITES for check in suite.checks)
    for outcome in warnings:
        assert outcome.in_table == outcome.unexpected_count > 0, outcome.check_name


def test_checks_run_on_their_own_without_materializing(tmp_path: Path):
    posts = write_posts(tmp_path / "posts", CLEAN_CORPUS | {UNDATED_PATH: UNDATED, BROKEN: "---\ntitle: x\n"})
    warehouse = tmp_path / "warehouse.duckdb"
    assert load_with_quarantine_check(posts, warehouse).success

    everything = run_checks_only(posts, warehouse, dg.AssetSelection.checks(*WAREHOUSE_CHECKS))
    assert everything.success
    assert materialized(everything) == set()
    found = evaluations(everything)
    assert set(found) == {(key.asset_key.to_user_string(), key.name) for c in WAREHOUSE_CHECKS for key in c.check_keys}
    assert {key for key, e in found.items() if not e.passed} == {
        ("articles", "rejected_posts"), ("articles", "published_at_present"), ("articles", "title_not_empty")}

    # One check alone, as the UI's "Execute" on it: only that check runs and is recorded.
    one = run_checks_only(posts, warehouse, dg.AssetSelection.checks(
        dg.AssetCheckKey(dg.AssetKey("articles"), "title_not_empty")))
    assert one.success
    assert list(evaluations(one)) == [("articles", "title_not_empty")]
    assert list(dq_rows(warehouse, one.run_id)["check_name"]) == ["title_not_empty"]
    alone = run_checks_only(posts, warehouse, dg.AssetSelection.checks(rejected_posts))
    assert [(key, e.passed) for key, e in evaluations(alone).items()] == [(("articles", "rejected_posts"), False)]


def test_a_step_that_ran_only_some_checks_does_not_count_as_clean(tmp_path: Path):
    # A bad article fails a blocking check; running a WARN check alone afterwards must not let the
    # next load skip the bad article as if it had been checked clean.
    textless = "_posts/2022-01-11-202201119990000004.md"
    posts = write_posts(tmp_path / "posts", CLEAN_CORPUS | {textless: TEXTLESS})
    warehouse = tmp_path / "warehouse.duckdb"
    assert not materialize(posts, warehouse).success
    assert run_checks_only(posts, warehouse, dg.AssetSelection.checks(
        dg.AssetCheckKey(dg.AssetKey("articles"), "title_not_empty"))).success
    again = materialize(posts, warehouse)
    assert not evaluations(again)[("articles", "body_text_not_empty")].passed


def test_every_check_can_be_executed_individually_from_the_ui():
    # The UI offers "Execute" on a check only when its execution set is the check alone (otherwise:
    # "This check cannot execute without materializing the asset").
    graph = defs.resolve_asset_graph()
    assert {key: len(graph.get_execution_set_asset_and_check_keys(key)) for key in graph.asset_check_keys} == {
        key: 1 for key in graph.asset_check_keys}

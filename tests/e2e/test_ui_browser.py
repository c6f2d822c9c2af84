"""The Dagster UI as a user meets it: a real `dagster dev` on loopback (tests/e2e/test_dagster_instance.py's
`Server`, with its daemon), a headless Chromium driven by Playwright, and the GraphQL API the UI
itself talks to.

The posts span 2021-12-31 to 2022-01-03 (2022-01-02 holds none) and a month later, plus one file
that cannot be parsed. The test clicks Materialize all on the lineage page and waits for the run it
launched; it saves screenshots of the lineage and of `articles` in the test's folder, and with
`--update-screenshots` the lineage one as docs/lineage.png (the README shows it)."""

from __future__ import annotations

import re
import shutil
import time
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from tests.e2e.posts_factory import emnews_post, sample_folder, write
from tests.e2e.test_dagster_instance import REPO, RUN_SECONDS, Server, graphql

CHROMIUM = Path("/usr/bin/chromium")
LATE_DAY = date(2022, 2, 14)
BROKEN = "_posts/2022-01-03-202201030000000099.md"
VIEWPORT = {"width": 1600, "height": 1000}
EXPANDED_GROUPS = "asset-graph-open-graph-nodes-global-__GLOBAL__"
"""The UI's localStorage entry of the lineage groups drawn open: both, so every asset shows."""

SENSORS = """{ repositoriesOrError { ... on RepositoryConnection { nodes { sensors { id name } } } } }"""
STOP_SENSOR = """mutation { stopSensor(id: "%s") { __typename } }"""
ASSET_NODES = """{ assetNodes { assetKey { path } isPartitioned
    assetChecksOrError { ... on AssetChecks { checks { name canExecuteIndividually } } } } }"""


def chromium_or_skip():
    """Playwright driving Debian's chromium, or a skip saying why it cannot run here."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra: pip install -e '.[dev]'")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    manager = sync_api.sync_playwright().start()
    try:
        browser = manager.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
    except Exception as exc:  # the browser exists but cannot start here (no kernel support, no libraries)
        manager.stop()
        pytest.skip(f"chromium cannot start: {str(exc).splitlines()[0]}")
    return manager, browser


@pytest.fixture(scope="module")
def browser():
    manager, browser = chromium_or_skip()
    try:
        yield browser
    finally:
        browser.close()
        manager.stop()


def stop_sensors(server: Server) -> None:
    """The folder sensor would load the posts first; here the click is to load them."""
    for repository in graphql(server.port, SENSORS)["data"]["repositoriesOrError"]["nodes"]:
        for sensor in repository["sensors"]:
            assert graphql(server.port, STOP_SENSOR % sensor["id"])["data"]["stopSensor"]["__typename"] \
                == "StopSensorMutationResult"


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    root = tmp_path_factory.mktemp("ui")
    posts = root / "posts"
    posts.mkdir()  # empty until the sensors are stopped: their first tick finds nothing to load
    server = Server(root, posts=posts)
    try:
        server.start()
        stop_sensors(server)
        sample_folder(posts)
        write(posts, emnews_post(LATE_DAY, 5, title="二月样本公司发布公告", code="601999", name="二月股份"),
              (BROKEN, "---\ntitle: 没有结尾的头部\n"))  # unterminated front matter
        yield server
    finally:
        server.stop()


def open_page(browser, server: Server, path: str):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(
        f"localStorage.setItem('{EXPANDED_GROUPS}', "
        "JSON.stringify({expanded: 'global@global:warehouse,global@global:analyst'}));"
        # The first visit's newsletter prompt, as dismissed: it would cover the page.
        "localStorage.setItem('communityNux', '1');")
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{server.port}{path}", wait_until="networkidle")
    return page


def click_materialize_all(browser, server: Server) -> tuple[str, float]:
    """Click Materialize all on the lineage page: the id of the run the UI says it launched, and
    when the click was (epoch seconds; bench/ui.py times from it)."""
    page = open_page(browser, server, "/asset-groups")
    clicked_at = time.time()
    page.get_by_role("button", name="Materialize all").click()
    run_id = launched_run(page, server)
    page.context.close()
    return run_id, clicked_at


def launched_run(page, server: Server) -> str:
    """The id of the run the UI's toast says it just launched."""
    toast = page.get_by_text(re.compile(r"Launched run [0-9a-f]{8}"))
    toast.wait_for(timeout=60_000)
    prefix = re.search(r"Launched run ([0-9a-f]{8})", toast.inner_text()).group(1)
    with server.instance() as instance:
        [record] = [r for r in instance.get_run_records() if r.dagster_run.run_id.startswith(prefix)]
    return record.dagster_run.run_id


@pytest.fixture(scope="module")
def clicked(ui, browser):
    run_id, _ = click_materialize_all(browser, ui)
    ui.wait_for([run_id], timeout=RUN_SECONDS)
    return run_id


def test_materialize_all_is_one_run_of_the_whole_graph_over_every_file(ui, clicked):
    with ui.instance() as instance:
        run = instance.get_run_by_id(clicked)
        assert run.status == dg.DagsterRunStatus.SUCCESS, ui.log.read_text(errors="replace")[-3000:]
        assert [r.dagster_run.run_id for r in instance.get_run_records()] == [clicked]  # no backfill, no second run
        assert "etl/dates_start" not in run.tags  # no dates: every file, as etl load on a new warehouse
        materialized = {e.asset_key.to_user_string() for e in instance.all_logs(
            clicked, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION) for e in [e.get_dagster_event()]}
        checks = [e.get_dagster_event().asset_check_evaluation_data for e in instance.all_logs(
            clicked, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)]
    from etl.defs.definitions import WAREHOUSE_ASSETS, WAREHOUSE_CHECKS

    assert materialized == {key.to_user_string() for asset in WAREHOUSE_ASSETS for key in asset.keys}
    assert len(checks) == sum(len(list(c.check_keys)) for c in WAREHOUSE_CHECKS)
    assert ui.query_snapshot(f"SELECT trigger, status, partition_start, partition_end, files_seen, files_rejected "
                             f"FROM load_run WHERE run_id = '{clicked}'") \
        == [("ui", "success", date(2021, 12, 31), LATE_DAY, 6, 1)]


def test_no_date_is_shown_missing_and_every_date_with_posts_is_there(ui, clicked):
    nodes = graphql(ui.port, ASSET_NODES)["data"]["assetNodes"]
    assert nodes and not [n["assetKey"]["path"] for n in nodes if n["isPartitioned"]]  # nothing to be "missing"
    with ui.instance() as instance:
        [raw] = [m for e in instance.all_logs(clicked, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
                 for m in [e.get_dagster_event().step_materialization_data.materialization]
                 if m.asset_key == dg.AssetKey("raw_posts")]
    by_date = raw.metadata["files_by_date"].value
    # Posts on four dates, over more than a month: one line per month that holds files.
    assert by_date.splitlines()[0].startswith("| month |")
    assert "| 2021-12 | 1 | 1 | 0 | 0 |" in by_date and "| 2022-01 | 4 | 4 | 0 | 0 |" in by_date  # 01-02 has none
    assert "| 2022-02 | 1 | 1 | 0 | 0 |" in by_date and len(by_date.splitlines()) == 2 + 3


def test_rejected_posts_is_a_warning_naming_the_broken_file(ui, clicked, browser, tmp_path_factory):
    with ui.instance() as instance:
        checks = {e.get_dagster_event().asset_check_evaluation_data.check_name: e.get_dagster_event()
                  .asset_check_evaluation_data for e in instance.all_logs(
                      clicked, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)}
    rejected = checks["rejected_posts"]
    assert not rejected.passed and rejected.severity == dg.AssetCheckSeverity.WARN
    assert BROKEN in rejected.description
    assert [name for name, c in checks.items() if not c.passed] == ["rejected_posts"]
    page = open_page(browser, ui, "/assets/articles?view=checks")
    page.get_by_text("rejected_posts", exact=True).first.click()
    page.get_by_text(re.compile("1 files in quarantine")).first.wait_for(timeout=30_000)
    text = page.locator("body").inner_text()
    assert BROKEN in text and "unterminated front matter" in text and "(WARN: rejected_post)" in text
    page.screenshot(path=str(tmp_path_factory.getbasetemp() / "articles_checks.png"))
    # Executed alone from the UI: a run of the check, nothing materialized, the same warning.
    page.get_by_role("button").filter(has_text=re.compile(r"^Execute$")).click()
    alone = launched_run(page, ui)
    page.context.close()
    ui.wait_for([alone])
    with ui.instance() as instance:
        assert instance.get_run_by_id(alone).status == dg.DagsterRunStatus.SUCCESS
        assert not instance.all_logs(alone, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
        [again] = [e.get_dagster_event().asset_check_evaluation_data for e in instance.all_logs(
            alone, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)]
    assert again.check_name == "rejected_posts" and not again.passed and BROKEN in again.description


def test_every_check_can_be_executed_on_its_own(ui):
    checks = [check for node in graphql(ui.port, ASSET_NODES)["data"]["assetNodes"]
              for check in node["assetChecksOrError"].get("checks", [])]
    assert {c["name"] for c in checks} >= {"rejected_posts"}
    assert {c["canExecuteIndividually"] for c in checks} == {"CAN_EXECUTE"}


def test_screenshots_of_the_lineage_and_of_articles(ui, clicked, browser, tmp_path_factory, request):
    folder = tmp_path_factory.getbasetemp()
    page = open_page(browser, ui, "/asset-groups")
    for name in ("raw_posts", "articles", "article_tags", "stock_mentions", "securities", "article_search",
                 "analyst_snapshot"):  # every asset is drawn inside the window at the default zoom
        node = page.get_by_text(name, exact=True).first
        node.wait_for(state="visible", timeout=60_000)  # the graph is laid out after the page loads
        box = node.bounding_box()
        assert box and 0 <= box["x"] and box["x"] + box["width"] <= VIEWPORT["width"], name
        assert 0 <= box["y"] and box["y"] + box["height"] <= VIEWPORT["height"], name
    time.sleep(1)  # the edges' transitions
    lineage = folder / "lineage.png"
    page.screenshot(path=str(lineage))
    page.context.close()
    page = open_page(browser, ui, "/assets/articles")
    page.get_by_text("rejected_by_date").first.wait_for(timeout=30_000)
    text = page.locator("body").inner_text()
    assert "二月样本公司发布公告"[:10] in text  # the preview shows the table as it is now
    page.screenshot(path=str(folder / "articles.png"), full_page=True)
    page.context.close()
    if request.config.getoption("--update-screenshots"):
        shutil.copy(lineage, REPO / "docs" / "lineage.png")


def test_dagster_dev_ends_without_a_helper_traceback(ui, clicked):
    """Last: stop `dagster dev` as Ctrl-C does; the runs' Great Expectations helpers end quietly."""
    ui.stop()
    log = ui.log.read_text(errors="replace")
    assert "Shutting down Dagster services" in log or "Dagster services shut down" in log
    assert "Traceback" not in log and "DagsterExecutionInterruptedError" not in log

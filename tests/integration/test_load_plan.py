"""`etl load` plans its run from the files' stamps: only the dates that changed, or no run at all."""

import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from etl.cli.load import load
from etl.core.settings import DEFAULT_MAX_POST_BYTES, analyst_db_for
from etl.defs.dates import date_bounds
from etl.warehouse.connection import open_warehouse
from etl.warehouse.plan import compare_folder
from etl.warehouse.sources import discover
from tests.conftest import (
    HOUR_AGO_NS,
    PLAIN_ID,
    SMALL_CORPUS,
    TWIN_ID,
    age_files,
    query,
    write_posts,
)


def _plan(posts, warehouse, **options):
    return compare_folder(posts, warehouse, analyst_db_for(warehouse), max_bytes=DEFAULT_MAX_POST_BYTES,
                          **options).plan(date_bounds())


@pytest.fixture(scope="module")
def loaded_template(tmp_path_factory):
    """The small corpus, aged, loaded once: posts, warehouse and snapshot in one folder."""
    root = tmp_path_factory.mktemp("loaded")
    posts = write_posts(root / "posts", SMALL_CORPUS)
    age_files(posts)
    first = load(posts, root / "w.duckdb")
    assert first.plan.full_reason == "a new warehouse" and first.result.success
    return root, first


@pytest.fixture
def loaded(loaded_template, tmp_path):
    """A copy of the loaded template (mtimes kept, so the stamps and the snapshot stay current)."""
    template, _ = loaded_template
    shutil.copytree(template, tmp_path / "loaded")
    return tmp_path / "loaded" / "posts", tmp_path / "loaded" / "w.duckdb"


def _edit(path, old: str, new: str) -> None:
    path.write_bytes(path.read_bytes().replace(old.encode(), new.encode()))
    os.utime(path, ns=(HOUR_AGO_NS + 10**9, HOUR_AGO_NS + 10**9))


def test_a_new_warehouse_loads_every_date(loaded_template):
    _, first = loaded_template
    assert (first.plan.first, first.plan.last) == (date(2021, 12, 1), date(2022, 5, 26))
    assert first.plan.files_seen == first.plan.files_to_scan == len(SMALL_CORPUS)


def test_an_unchanged_folder_starts_no_run_and_changes_nothing(loaded):
    small_corpus, warehouse = loaded
    stamps = warehouse.stat().st_mtime_ns, analyst_db_for(warehouse).stat().st_mtime_ns
    second = load(small_corpus, warehouse)
    assert second.result is None and second.plan.up_to_date
    assert second.plan.files_seen == len(SMALL_CORPUS)
    assert (warehouse.stat().st_mtime_ns, analyst_db_for(warehouse).stat().st_mtime_ns) == stamps


def test_an_edit_loads_exactly_its_date(loaded):
    small_corpus, warehouse = loaded
    _edit(small_corpus / f"_posts/2022-01-21-{TWIN_ID}.md", "储能业务增长", "储能业务翻番")
    outcome = load(small_corpus, warehouse)
    assert (outcome.plan.first, outcome.plan.last, outcome.plan.files_to_scan) == (date(2022, 1, 21),) * 2 + (1,)
    assert outcome.result.success
    assert query(warehouse, "SELECT title FROM article WHERE article_id = ?", [TWIN_ID]) == [("远航科技：储能业务翻番",)]
    assert load(small_corpus, warehouse).result is None


def test_the_run_scans_with_the_listing_the_plan_took(loaded, monkeypatch):
    from etl.warehouse import ingest
    from etl.warehouse import plan as plan_module

    small_corpus, warehouse = loaded
    listings = []
    for module in (plan_module, ingest):
        monkeypatch.setattr(module, "discover", lambda folder: listings.append(folder) or discover(folder))
    _edit(small_corpus / f"_posts/2022-01-21-{TWIN_ID}.md", "储能业务增长", "储能业务翻番")
    outcome = load(small_corpus, warehouse)
    assert outcome.result.success and listings == [small_corpus]  # the plan's listing, once
    raw_posts = next(e.materialization.metadata for e in outcome.result.get_asset_materialization_events()
                     if e.asset_key.to_user_string() == "raw_posts")
    assert (raw_posts["files_changed"].value, raw_posts["files_unchanged"].value) == (1, 1)
    assert query(warehouse, "SELECT title FROM article WHERE article_id = ?", [TWIN_ID]) == [("远航科技：储能业务翻番",)]


def test_a_deleted_file_plans_the_date_it_was_loaded_under(loaded):
    small_corpus, warehouse = loaded
    (small_corpus / f"_posts/2021-12-08-{PLAIN_ID}.md").unlink()
    plan = _plan(small_corpus, warehouse)
    assert (plan.first, plan.last, plan.files_to_scan) == (date(2021, 12, 8), date(2021, 12, 8), 1)
    assert load(small_corpus, warehouse).result.success
    assert query(warehouse, "SELECT count(*) FROM raw_post WHERE deleted_at IS NOT NULL") == [(1,)]


def test_a_new_file_without_a_date_in_its_name_is_read_for_its_date(loaded):
    small_corpus, warehouse = loaded
    (small_corpus / "_posts/-202203039999000011.md").write_text(
        '---\ntitle: "新品发布"\ndate: 2022-03-03 09:00:00 +0800\n---\n正文。\n', encoding="utf-8")
    plan = _plan(small_corpus, warehouse)
    assert (plan.first, plan.last, plan.files_to_scan) == (date(2022, 3, 3), date(2022, 3, 3), 1)


def test_a_touched_file_is_read_by_the_plan_and_starts_no_run(loaded):
    small_corpus, warehouse = loaded
    touched = small_corpus / f"_posts/2022-01-21-{TWIN_ID}.md"
    os.utime(touched, ns=(HOUR_AGO_NS + 10**9, HOUR_AGO_NS + 10**9))  # a new mtime, the same bytes
    outcome = load(small_corpus, warehouse)
    assert outcome.result is None and outcome.plan.up_to_date


def test_more_touched_files_than_the_plan_reads_are_left_to_the_run(loaded, monkeypatch):
    from etl.warehouse import plan as plan_module

    small_corpus, warehouse = loaded
    monkeypatch.setattr(plan_module, "SAME_BYTES_MAX_FILES", 0)
    os.utime(small_corpus / f"_posts/2022-01-21-{TWIN_ID}.md", ns=(HOUR_AGO_NS + 10**9, HOUR_AGO_NS + 10**9))
    outcome = load(small_corpus, warehouse)
    assert (outcome.plan.first, outcome.plan.last, outcome.plan.files_to_scan) == (date(2022, 1, 21),) * 2 + (1,)
    assert outcome.result.success  # it reads the file, finds it unchanged and keeps its new stamp
    assert load(small_corpus, warehouse).result is None


def test_a_file_too_fresh_to_stamp_is_read_by_every_plan(small_corpus, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    age_files(small_corpus, time.time_ns() + 60 * 10**9)  # as fresh as can be, whenever the scan runs
    load(small_corpus, warehouse)  # too fresh to trust: no stamps kept
    assert query(warehouse, "SELECT count(*) FROM raw_post WHERE mtime_ns IS NOT NULL") == [(0,)]
    assert _plan(small_corpus, warehouse).up_to_date  # read: the bytes are those loaded
    # An edit that keeps the size and the mtime, which a stamp would hide: without one, it is seen.
    post = small_corpus / f"_posts/2022-01-21-{TWIN_ID}.md"
    before = post.stat()
    _edit(post, "储能业务增长", "储能业务翻番")
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert post.stat().st_size == before.st_size
    plan = _plan(small_corpus, warehouse)
    assert (plan.first, plan.last, plan.files_to_scan) == (date(2022, 1, 21),) * 2 + (1,)
    age_files(small_corpus)
    assert load(small_corpus, warehouse).result.success  # loads the edit, and now stamps its date's files
    assert query(warehouse, "SELECT partition_date::VARCHAR, count(mtime_ns) FROM raw_post WHERE is_current "
                            "AND partition_date = '2022-01-21' GROUP BY ALL") == [("2022-01-21", 2)]
    assert _plan(small_corpus, warehouse).up_to_date  # the other dates' files: read, the same bytes


def test_a_load_that_did_not_finish_plans_every_date(loaded):
    small_corpus, warehouse = loaded
    with open_warehouse(warehouse) as conn:  # what a failed step or a stopping check leaves: a later write
        conn.execute("DELETE FROM security")
    plan = _plan(small_corpus, warehouse)
    assert plan.full_reason.startswith("the warehouse changed after the last published snapshot")
    assert (plan.first, plan.last) == (date(2021, 12, 1), date(2022, 5, 26))
    assert load(small_corpus, warehouse).result.success
    assert query(warehouse, "SELECT count(*) FROM security") != [(0,)]
    assert load(small_corpus, warehouse).result is None


def test_a_missing_snapshot_or_a_full_load_plans_every_date(loaded):
    small_corpus, warehouse = loaded
    assert _plan(small_corpus, warehouse, full_reason="asked").full_reason == "asked"
    assert load(small_corpus, warehouse, full=True).result.success
    analyst_db_for(warehouse).unlink()
    assert _plan(small_corpus, warehouse).full_reason is not None


def test_etl_load_reports_an_unchanged_folder(small_corpus, tmp_path, capsys):
    from etl.cli import main

    age_files(small_corpus)
    command = ["load", "--posts", str(small_corpus), "--warehouse", str(tmp_path / "w.duckdb")]
    assert main(command) == 0
    assert "every date: a new warehouse" in capsys.readouterr().out
    assert main(command) == 0
    out = capsys.readouterr().out
    assert f"Nothing to load: all {len(SMALL_CORPUS)} files as last loaded" in out
    assert (f"{len(SMALL_CORPUS)} seen, 0 new, 0 changed, {len(SMALL_CORPUS)} unchanged, 0 deleted, "
            "0 rejected in this load (0 in quarantine)") in out
    assert "Checks: none run, as nothing was loaded" in out
    assert "Rows: raw_post 6, article 4" in out


def test_a_warehouse_that_cannot_be_read_plans_every_date_from_one_listing(loaded, monkeypatch):
    import duckdb

    from etl.warehouse import plan as plan_module

    small_corpus, warehouse = loaded
    listings = []
    monkeypatch.setattr(plan_module, "discover", lambda folder: listings.append(folder) or discover(folder))
    with duckdb.connect(str(warehouse)):  # a writer holds the file: it cannot be opened read-only
        plan = _plan(small_corpus, warehouse)
    assert plan.full_reason.startswith("the warehouse could not be compared with the folder")
    assert (plan.first, plan.last) == (date(2021, 12, 1), date(2022, 5, 26))
    assert listings == [small_corpus]


FRESH_PROCESS_LOAD = """
import sys

from etl import cli
from etl.cli import load as load_command
from etl.parallel import Pending

forked, listings = [], []
fork = Pending.in_forked_child
Pending.in_forked_child = lambda function, arguments: forked.append(function.__name__) or fork(function, arguments)
run_load = load_command.run_load
load_command.run_load = lambda *args, listing_file, **options: (
    listings.append(listing_file is not None and listing_file.exists()) or run_load(*args, listing_file=listing_file, **options))
status = cli.main(["load", "--posts", sys.argv[1], "--warehouse", sys.argv[2]])
print("forked:", forked, "run given the child's listing:", listings, "exit:", status)
"""


def _etl_load_in_a_fresh_process(posts, warehouse) -> tuple[str, str]:
    """`etl load` as a shell runs it (through `etl.cli.main`), with the fork and the run's listing
    recorded: (the report, the record)."""
    done = subprocess.run([sys.executable, "-c", FRESH_PROCESS_LOAD, str(posts), str(warehouse)],
                          capture_output=True, text=True, timeout=300)
    report, _, record = done.stdout.strip().rpartition("\n")
    return report, record + (f" stderr: {done.stderr}" if "exit: 0" not in record else "")


def test_etl_load_compares_the_folder_in_a_forked_child_while_it_imports_dagster(loaded):
    small_corpus, warehouse = loaded
    _edit(small_corpus / f"_posts/2022-01-21-{TWIN_ID}.md", "储能业务增长", "储能业务翻番")
    report, record = _etl_load_in_a_fresh_process(small_corpus, warehouse)
    assert "Dates 2022-01-21..2022-01-21: 1 file new, changed or deleted since the last load." in report
    assert record == "forked: ['_compare_and_keep_listing'] run given the child's listing: [True] exit: 0"
    assert query(warehouse, "SELECT title FROM article WHERE article_id = ?", [TWIN_ID]) == [("远航科技：储能业务翻番",)]
    report, record = _etl_load_in_a_fresh_process(small_corpus, warehouse)
    assert f"Nothing to load: all {len(SMALL_CORPUS)} files as last loaded" in report
    assert record == "forked: ['_compare_and_keep_listing'] run given the child's listing: [] exit: 0"


def test_a_comparison_that_fails_in_the_child_fails_the_load_with_the_childs_error(tmp_path):
    # `etl load` checks the folder first; `etl.cli.load.load` called as a library does not.
    missing = tmp_path / "no-such-folder"
    scratch = tmp_path / "tmp"  # its own temporary folder: other loads on this machine use the shared one
    scratch.mkdir()
    script = "import sys; from pathlib import Path; from etl.cli.load import load; load(Path(sys.argv[1]), Path(sys.argv[2]))"
    done = subprocess.run([sys.executable, "-c", script, str(missing), str(tmp_path / "w.duckdb")],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "TMPDIR": str(scratch)})
    assert done.returncode == 1
    assert f"FileNotFoundError: posts folder {missing} does not exist" in done.stderr
    assert "in the forked process:" in done.stderr  # the child's traceback, attached
    assert not list(scratch.glob("etl-load-*/listing.arrow"))  # no scratch left behind

"""The Great Expectations helper process: it gives the outcomes validating in-process gives, a run
that uses it reports every check, and when it dies the batch is validated in-process instead."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from datetime import date

import pandas as pd
import pytest

from etl.defs.materialize import run_load
from etl.quality import helper
from etl.quality.suites import ERROR
from etl.quality.validate import validate_asset
from tests.conftest import age_files
from tests.integration.test_checks import duplicate_and_keyless_mentions

TODAY = date(2026, 11, 28)


def _mentions_batch() -> dict[str, pd.DataFrame]:
    return {"stock_mention": duplicate_and_keyless_mentions()}


@pytest.fixture
def running_helper():
    helper.start_helper()
    yield helper._helper
    helper.stop_helper()


def test_the_helper_gives_the_outcomes_of_validating_in_process(running_helper):
    batch = _mentions_batch()
    from_helper = running_helper.validate("stock_mentions", batch, TODAY)
    assert from_helper == validate_asset("stock_mentions", batch, today=TODAY)
    failed = {o.check_name: o.severity for o in from_helper if not o.passed}
    assert failed == {"mention_unique": ERROR, "article_id_not_null": ERROR}


def test_a_dead_helper_means_validating_in_process(running_helper, caplog):
    running_helper._service._process.kill()
    running_helper._service._process.join()
    batch = _mentions_batch()
    with caplog.at_level(logging.WARNING, logger="etl.quality.helper"):
        outcomes = helper.validate_batches("stock_mentions", batch, today=TODAY)
    assert outcomes == validate_asset("stock_mentions", batch, today=TODAY)
    assert "validating stock_mentions in-process" in caplog.text
    helper.start_helper()  # a run that starts after the death gets a new helper
    assert helper._helper is not running_helper and helper._helper.alive


def test_empty_batches_never_reach_the_helper(running_helper):
    running_helper._service._process.kill()  # any request to it would now be logged as a failure
    running_helper._service._process.join()
    empty = {"stock_mention": _mentions_batch()["stock_mention"].iloc[0:0]}
    outcomes = helper.validate_batches("stock_mentions", empty, today=TODAY)
    assert outcomes and all(o.passed and o.nothing_new for o in outcomes)


def test_a_load_validates_in_the_helper(small_corpus, tmp_path):
    age_files(small_corpus)
    result = run_load(small_corpus, tmp_path / "w.duckdb")
    assert result.success
    assert helper._helper is not None and helper._helper.alive  # started with the run, kept for the next
    evaluations = result.get_asset_check_evaluations()
    assert evaluations and all(e.passed or e.severity.value == "WARN" for e in evaluations)
    assert any(e.metadata["rows_checked"].value > 0 for e in evaluations)


def test_great_expectations_is_imported_at_the_lowest_priority_and_validated_at_the_normal_one(
        running_helper, monkeypatch):
    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    priority_at_import = {}
    monkeypatch.setattr(helper.importlib, "import_module", lambda name: priority_at_import.setdefault(
        name, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
    importer = threading.Thread(target=helper._import_great_expectations)
    importer.start()
    importer.join()
    assert priority_at_import == {"great_expectations": helper.HELPER_NICENESS} and helper.HELPER_NICENESS == 19
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == own  # only the importing thread's
    # The helper's main thread, which validates, keeps its parent's priority (on Linux a pid names
    # the process's main thread).
    running_helper.validate("stock_mentions", _mentions_batch(), TODAY)
    assert os.getpriority(os.PRIO_PROCESS, running_helper._service._process.pid) == own


def test_a_load_with_nothing_to_do_stops_the_helper_it_started_only(small_corpus, tmp_path):
    from etl.cli.load import load

    age_files(small_corpus)
    assert load(small_corpus, tmp_path / "w.duckdb").result.success
    kept = helper._helper
    assert kept is not None and kept.alive  # kept after a run, for the process's next
    assert load(small_corpus, tmp_path / "w.duckdb").result is None
    assert helper._helper is kept and kept.alive  # found running: left running
    helper.stop_helper()
    assert load(small_corpus, tmp_path / "w.duckdb").result is None
    assert helper._helper is None  # started by that load, which had nothing to check


def test_the_helper_does_not_outlive_a_killed_load(tmp_path):
    # The run's process dies without running its exit handlers (as with SIGKILL): the helper must
    # see its pipe end and exit, not wait on it forever. (Its pid comes back in a file: a pipe
    # would stay open as long as the helper, which inherits it.)
    pid_file = tmp_path / "helper.pid"
    script = ("import os, sys; from etl.quality import helper; helper.start_helper(); "
              "open(sys.argv[1], 'w').write(str(helper._helper._service._process.pid)); os._exit(0)")
    subprocess.run([sys.executable, "-c", script, str(pid_file)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    helper_pid = int(pid_file.read_text())
    deadline = time.monotonic() + HELPER_EXIT_WAIT_SECONDS  # its Great Expectations import finishes first
    while _running(helper_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(helper_pid)


HELPER_EXIT_WAIT_SECONDS = 120


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False

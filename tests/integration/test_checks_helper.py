"""The Great Expectations helper process: it gives the outcomes validating in-process gives, a run
that uses it reports every check, and when it dies the batch is validated in-process instead."""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd
import pytest

from etl.checks import helper
from etl.cli import run_load
from etl.checks.suites import ERROR
from etl.checks.validate import validate_asset
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
    running_helper._process.kill()
    running_helper._process.join()
    batch = _mentions_batch()
    with caplog.at_level(logging.WARNING, logger="etl.checks.helper"):
        outcomes = helper.validate_batches("stock_mentions", batch, today=TODAY)
    assert outcomes == validate_asset("stock_mentions", batch, today=TODAY)
    assert "validating stock_mentions in-process" in caplog.text
    helper.start_helper()  # a run that starts after the death gets a new helper
    assert helper._helper is not running_helper and helper._helper.alive


def test_empty_batches_never_reach_the_helper(running_helper):
    running_helper._process.kill()  # any request to it would now be logged as a failure
    running_helper._process.join()
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

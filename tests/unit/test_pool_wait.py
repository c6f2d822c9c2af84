"""A run waiting for the `duckdb` pool's slot sleeps until its claim's next retry (etl.defs.pool_wait)."""

from __future__ import annotations

from types import SimpleNamespace

from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext

import etl.defs.definitions  # noqa: F401  (what Dagster and etl load import)
from etl.defs import pool_wait


def _waiting(timeouts: dict[str, float]):
    return SimpleNamespace(_pending_claims=set(timeouts), _pending_timeouts=timeouts)


def test_the_definitions_install_the_fix():
    assert InstanceConcurrencyContext.interval_to_next_pending_claim_check is pool_wait.interval_to_next_pending_claim_check


def test_a_waiting_step_sleeps_until_the_earliest_retry(monkeypatch):
    monkeypatch.setattr(pool_wait.time, "time", lambda: 100.0)
    assert pool_wait.interval_to_next_pending_claim_check(_waiting({"articles": 104.0, "views": 101.5})) == 1.5


def test_a_retry_that_is_due_or_no_claim_at_all_does_not_sleep(monkeypatch):
    monkeypatch.setattr(pool_wait.time, "time", lambda: 100.0)
    assert pool_wait.interval_to_next_pending_claim_check(_waiting({"articles": 99.0})) == 0.0
    assert pool_wait.interval_to_next_pending_claim_check(_waiting({})) == 0.0

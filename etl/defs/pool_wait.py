"""A fix to how Dagster's in-process executor waits for a pool slot (dagster 1.13).

A step of a run that finds the `duckdb` pool's one slot taken is retried when its claim's timeout
(1 s, growing to 15 s) has passed, and the executor sleeps until then. But
`InstanceConcurrencyContext.interval_to_next_pending_claim_check` returns `min(0, ...)`, never a
positive interval, so the executor never sleeps: a run that waits for another (an `etl load` behind
a UI run, the sensor's run behind the schedule's) keeps a core busy for as long as it waits, and
slows the run it waits for. Replaced with the interval that was meant, the time to the earliest
pending claim's retry; the claims themselves are retried exactly when Dagster retries them."""

from __future__ import annotations

import time

from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext


def interval_to_next_pending_claim_check(self: InstanceConcurrencyContext) -> float:
    if not self._pending_claims or not self._pending_timeouts:
        return 0.0
    return max(0.0, min(self._pending_timeouts.values()) - time.time())


InstanceConcurrencyContext.interval_to_next_pending_claim_check = interval_to_next_pending_claim_check

"""Great Expectations in a helper process, so that its import is not on a load's critical path.

Importing Great Expectations pulls in scipy, altair and sqlalchemy: a large share of a small load's
time (docs/benchmarks.md).
`etl load` therefore starts the helper first thing, and a run when it starts if none is running:
the helper imports Great Expectations at the lowest CPU priority, on what the plan, the scan and
the parse leave of the two cores, so that it is ready by the time a check step has a batch to
validate and never slows a load that turns out to have nothing to do; it validates at the normal
priority. The check step sends the batch's DataFrames and gets the outcomes back.

One helper serves the whole process (every run of a test session, say), so the import is paid
once. Whatever goes wrong with it (it died, it could not start, the reply cannot be read), the
batch is validated in this process instead: the helper can only make checks faster, never skip them.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import os
import signal
import threading
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from etl.parallel import ForkedService, in_background

if TYPE_CHECKING:  # this module is imported before a load knows it will run: pandas is imported when needed
    import pandas as pd

    from etl.quality.validate import CheckOutcome

log = logging.getLogger(__name__)

HELPER_NICENESS = 19
"""The CPU priority of the helper's import of Great Expectations (the lowest): it takes what the
load leaves of the cores, and a load with nothing to check is not slowed by it."""


def _serve(requests) -> None:
    """The helper: import Great Expectations, then validate the batches `(asset, frames, today, names)`
    that come down the pipe and send back the outcomes, until the pipe closes."""
    # Forked from a Dagster run, the helper inherits the run's handler of SIGINT and SIGTERM, which
    # raises Dagster's interruption error: a 20-line traceback whenever the run's process ends
    # (multiprocessing terminates its daemon children with SIGTERM) or Ctrl-C reaches the process
    # group. The helper holds nothing to save: SIGTERM ends it quietly, and an interrupt is for the
    # run, which then closes the pipe.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # On a thread of its own: Linux keeps a nice value per thread, and only the import is to be slow.
    in_background(_import_great_expectations, name="etl import great_expectations").result()
    from etl.quality.validate import validate_asset

    while True:
        try:
            asset, frames, today, names = requests.recv()
        except EOFError:  # the load's process closed the pipe or went away
            return
        try:
            reply = ("outcomes", validate_asset(asset, frames, today=today, names=names))
        except Exception as exc:  # the caller validates again in its own process and sees it there
            reply = ("error", f"{type(exc).__name__}: {exc}")
        requests.send(reply)


def _import_great_expectations() -> None:
    """The reason the helper exists, at the lowest priority. Linux keeps a nice value per thread, so
    the validations, on the helper's main thread, keep the normal one."""
    os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HELPER_NICENESS)
    importlib.import_module("great_expectations")


class ValidationHelper:
    """A forked child running `_serve`. Forked, as the parse workers are, so that it starts at once
    and shares the pages its parent has loaded (in a long-lived process pandas, pyarrow and our
    code; at the start of `etl load`, little) instead of starting a fresh interpreter."""

    def __init__(self) -> None:
        self._service = ForkedService(_serve, name="etl-great-expectations")
        self._lock = threading.Lock()

    def validate(self, asset: str, frames: Mapping[str, pd.DataFrame], today: date,
                 names: frozenset[str] | None = None) -> list[CheckOutcome]:
        """The outcomes of `asset`'s suites over `frames` (the checks in `names`, default all); raises
        `HelperUnavailable` when the helper cannot give them."""
        with self._lock:
            try:
                kind, payload = self._service.request((asset, dict(frames), today, names))
            except (EOFError, OSError) as exc:
                raise HelperUnavailable(f"the helper process stopped ({exc or type(exc).__name__})") from exc
        if kind == "error":
            raise HelperUnavailable(payload)
        return payload

    @property
    def alive(self) -> bool:
        return self._service.alive

    def stop(self) -> None:
        """End the helper at once: it holds nothing to save, and may still be importing."""
        self._service.stop()


class HelperUnavailable(RuntimeError):
    """The helper could not validate a batch."""


_helper: ValidationHelper | None = None
_helper_lock = threading.Lock()


def start_helper() -> bool:
    """Start this process's helper, if it is not running: call it when a run (or a load) starts.
    True when this call started it."""
    global _helper
    with _helper_lock:
        if _helper is not None and _helper.alive:
            return False
        try:
            _helper = ValidationHelper()
        except OSError as exc:
            log.warning("Great Expectations helper process could not start (%s): checks run in-process", exc)
            _helper = None
        return _helper is not None


def validate_batches(asset: str, frames: Mapping[str, pd.DataFrame], *, today: date,
                     names: frozenset[str] | None = None) -> list[CheckOutcome]:
    """Validate `asset`'s batches: in the helper when one is running and there is something to
    validate, else (or if the helper fails) in this process."""
    from etl.quality.validate import validate_asset

    helper = _helper
    if helper is not None and any(not frame.empty for frame in frames.values()):
        try:
            return helper.validate(asset, frames, today, names)
        except HelperUnavailable as exc:
            log.warning("Great Expectations helper failed (%s): validating %s in-process", exc, asset)
    return validate_asset(asset, frames, today=today, names=names)


def stop_helper() -> None:
    global _helper
    with _helper_lock:
        if _helper is not None:
            _helper.stop()
            _helper = None


atexit.register(stop_helper)

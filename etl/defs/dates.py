"""The dates a run covers, carried in run tags: the warehouse has no Dagster partitions.

A partitioned asset costs a run one event per date it covers, and the UI shows every date of the
partitions definition, posts or not, as materialized or missing: a full load over five years of
daily partitions logged some 1,800 events, and dates without posts stayed "missing" for ever.
So the assets are not partitioned; the sensor, the schedule and `etl load` put the dates they want
scanned in the tags below, and a run without them (Materialize all in the UI) scans every file,
which is the run `etl load` makes for a new warehouse. What a run found per date (or month) is in
`raw_posts`' metadata and its range in `load_run` (README, "Running Dagster")."""

from __future__ import annotations

from datetime import date

from etl.core.calendar import ARCHIVE_START, shanghai_today
from etl.warehouse.ingest import DateWindow

DATES_START_TAG = "etl/dates_start"
DATES_END_TAG = "etl/dates_end"
"""First and last post date (ISO, Asia/Shanghai) whose files a run scans; without them, every file."""
FULL_TAG = "etl/full"
"""Set on runs that scan every file on purpose (`etl load --full`, a new warehouse): for the runs list."""


def date_bounds() -> tuple[date, date]:
    """The dates a post can have: from the archive's first day to today in Shanghai."""
    return date.fromisoformat(ARCHIVE_START), shanghai_today()


def dates_tags(start: date | str, end: date | str) -> dict[str, str]:
    return {DATES_START_TAG: str(start), DATES_END_TAG: str(end)}


def run_window(tags: dict) -> DateWindow | None:
    """The dates a run with these tags scans; None for every file (no tags, or unreadable ones)."""
    try:
        start, end = date.fromisoformat(tags[DATES_START_TAG]), date.fromisoformat(tags[DATES_END_TAG])
    except (KeyError, ValueError):
        return None
    first, last = date_bounds()
    return DateWindow(start=start, end=end, valid_start=first, valid_end=last)

from __future__ import annotations

from datetime import date

import dagster as dg

from etl.core.calendar import ARCHIVE_START

daily_posts = dg.DailyPartitionsDefinition(
    start_date=ARCHIVE_START,
    timezone="Asia/Shanghai",
    # Today's partition is open while today's posts arrive.
    end_offset=1,
)

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
"""Dagster's tags that make one run cover a range of `daily_posts` partitions (ISO dates): what
`etl load`, the schedule and the sensor set, and what a UI backfill sets itself."""


def partition_bounds() -> tuple[date, date]:
    """The first and the last daily partition that exist today."""
    return (date.fromisoformat(daily_posts.get_first_partition_key()),
            date.fromisoformat(daily_posts.get_last_partition_key()))

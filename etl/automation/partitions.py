from __future__ import annotations

import dagster as dg

ARCHIVE_START = "2021-12-01"
"""The finews site opened on 2021-12-01; nothing older exists."""

daily_posts = dg.DailyPartitionsDefinition(
    start_date=ARCHIVE_START,
    timezone="Asia/Shanghai",
    # Today's partition is open while today's posts arrive.
    end_offset=1,
)

from __future__ import annotations

import dagster as dg

from etl.posts.frontmatter import ARCHIVE_START

daily_posts = dg.DailyPartitionsDefinition(
    start_date=ARCHIVE_START,
    timezone="Asia/Shanghai",
    # Today's partition is open while today's posts arrive.
    end_offset=1,
)

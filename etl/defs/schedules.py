"""Schedules: the daily load of the newest dates, in case the sensor missed something."""


from datetime import date, datetime, timedelta

import dagster as dg

from etl.core.calendar import SHANGHAI
from etl.defs.jobs import LOAD_JOB_NAME
from etl.defs.partitions import RANGE_END_TAG, RANGE_START_TAG, daily_posts
from etl.defs.runs import TRIGGER_TAG

NEWEST_DAYS = 2
"""Yesterday and today: yesterday's late posts and rewrites, and today's so far."""


def newest_partitions(today: date, days: int = NEWEST_DAYS) -> tuple[str, str]:
    """The partition range (start, end) of the `days` newest dates up to `today`, within the archive."""
    first = date.fromisoformat(daily_posts.get_first_partition_key())
    end = max(today, first)
    start = max(end - timedelta(days=days - 1), first)
    return start.isoformat(), end.isoformat()


@dg.schedule(
    name="daily_newest_posts",
    job_name=LOAD_JOB_NAME,
    cron_schedule="30 0 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 00:30 Asia/Shanghai: load yesterday's and today's posts in one run.",
)
def daily_newest_posts(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    when = context.scheduled_execution_time or datetime.now(SHANGHAI)
    today = when.astimezone(SHANGHAI).date()
    start, end = newest_partitions(today)
    return dg.RunRequest(
        run_key=f"daily-{today.isoformat()}",
        tags={RANGE_START_TAG: start, RANGE_END_TAG: end, TRIGGER_TAG: "schedule"},
    )

"""Schedules: the daily load of the newest dates, in case the sensor missed something."""


from datetime import date, datetime, timedelta

import dagster as dg

from etl.core.calendar import SHANGHAI
from etl.defs.jobs import LOAD_JOB_NAME
from etl.defs.dates import date_bounds, dates_tags
from etl.defs.runs import TRIGGER_TAG

NEWEST_DAYS = 2
"""Yesterday and today: yesterday's late posts and rewrites, and today's so far."""


def newest_dates(today: date, days: int = NEWEST_DAYS) -> tuple[date, date]:
    """The `days` newest dates (start, end) up to `today`, within the archive."""
    first = date_bounds()[0]
    end = max(today, first)
    start = max(end - timedelta(days=days - 1), first)
    return start, end


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
    return dg.RunRequest(
        run_key=f"daily-{today.isoformat()}",
        tags={**dates_tags(*newest_dates(today)), TRIGGER_TAG: "schedule"},
    )

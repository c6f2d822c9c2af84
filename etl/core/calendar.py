"""Time facts of the archive: its time zone and the day it opened."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
"""EastMoney's clock: a post's date without an offset is this local time, and a post's day is its
day here."""

ARCHIVE_START = "2021-12-01"
"""The finews site opened on 2021-12-01; nothing older exists."""


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def shanghai_today() -> date:
    return datetime.now(SHANGHAI).date()

"""The schedule and the posts-folder sensor, evaluated directly (no daemon): which runs they ask for."""

import os
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from etl.core.settings import DEFAULT_MAX_POST_BYTES
from etl.defs.resources import PostsFolder
from etl.defs.schedules import daily_newest_posts, newest_dates
from etl.defs.sensors import (
    changed_ranges,
    decode_cursor,
    folder_digests,
    posts_folder_sensor,
)
from tests.e2e.posts_factory import emnews_post, plain_post, sample_folder, write

START, END = "etl/dates_start", "etl/dates_end"


def tick(posts: Path, cursor: str | None):
    context = dg.build_sensor_context(
        cursor=cursor, resources={"posts": PostsFolder(path=str(posts), max_post_bytes=1 << 20, workers=1)}
    )
    result = posts_folder_sensor(context)
    if isinstance(result, dg.SkipReason):
        return [], cursor
    assert isinstance(result, dg.SensorResult)
    return result.run_requests, result.cursor


def ranges(requests) -> list[tuple[str, str]]:
    return [(r.tags[START], r.tags[END]) for r in requests]


@pytest.fixture
def posts(tmp_path) -> Path:
    return sample_folder(tmp_path / "posts")  # 2021-12-31, 2022-01-01 (two posts), 2022-01-03


def test_first_tick_loads_every_date_in_one_run_then_a_quiet_folder_asks_for_nothing(posts):
    requests, cursor = tick(posts, None)
    assert ranges(requests) == [("2021-12-31", "2022-01-03")]  # the empty date between is bridged
    assert requests[0].tags["etl/trigger"] == "sensor"
    assert requests[0].run_key
    assert tick(posts, cursor) == ([], cursor)
    assert tick(posts, cursor) == ([], cursor)


def test_cursor_is_one_short_digest_per_date_never_a_file_list(posts):
    _, cursor = tick(posts, None)
    seq, days = decode_cursor(cursor)
    assert seq == 1 and sorted(days) == ["2021-12-31", "2022-01-01", "2022-01-03"]
    assert all(len(d) == 16 for d in days.values())
    assert "_posts" not in cursor and ".md" not in cursor
    for i in range(200):  # many more files on one date: the cursor does not grow
        write(posts, emnews_post(date(2022, 1, 1), 100 + i))
    _, bigger = tick(posts, cursor)
    assert len(bigger) == len(cursor)


def test_new_changed_and_deleted_posts_trigger_runs_for_exactly_their_dates(posts):
    _, cursor = tick(posts, None)
    write(posts, emnews_post(date(2022, 1, 2), 7))  # new, between two quiet dates
    requests, cursor = tick(posts, cursor)
    assert ranges(requests) == [("2022-01-02", "2022-01-02")]

    changed = posts / emnews_post(date(2022, 1, 1), 1)[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n更正：数据有误。", encoding="utf-8")
    (posts / emnews_post(date(2022, 1, 3), 4)[0]).unlink()  # the date's only post: the date vanishes
    requests, cursor = tick(posts, cursor)
    # 2022-01-02 holds a post that did not change, so the two dates are two runs, not one range.
    assert ranges(requests) == [("2022-01-01", "2022-01-01"), ("2022-01-03", "2022-01-03")]
    assert len({r.run_key for r in requests}) == 2

    stamp = changed.stat().st_mtime_ns + 5_000_000_000  # rewritten with the same bytes: a new mtime
    os.utime(changed, ns=(stamp, stamp))
    requests, cursor = tick(posts, cursor)
    assert ranges(requests) == [("2022-01-01", "2022-01-01")]
    assert tick(posts, cursor)[0] == []


def test_adjacent_changed_dates_share_one_run(posts):
    _, cursor = tick(posts, None)
    write(posts, emnews_post(date(2022, 1, 4), 8), plain_post(date(2022, 1, 5), 9))
    (posts / plain_post(date(2021, 12, 31), 3)[0]).unlink()
    requests, _ = tick(posts, cursor)
    assert ranges(requests) == [("2021-12-31", "2021-12-31"), ("2022-01-04", "2022-01-05")]


def test_a_file_moved_out_and_back_gets_a_new_run_key_each_time(posts, tmp_path):
    _, cursor = tick(posts, None)
    rel = emnews_post(date(2022, 1, 3), 4)[0]
    keys = []
    for _ in range(2):
        shutil.move(posts / rel, tmp_path / "aside.md")  # mv keeps the mtime: the state repeats
        requests, cursor = tick(posts, cursor)
        keys += [r.run_key for r in requests]
        shutil.move(tmp_path / "aside.md", posts / rel)
        requests, cursor = tick(posts, cursor)
        keys += [r.run_key for r in requests]
    assert len(keys) == 4 and len(set(keys)) == 4


def test_undated_and_out_of_range_files_map_to_today(posts):
    _, cursor = tick(posts, None)
    newest = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    write(posts, ("_posts/2019-01-01-201901010000000001.md", plain_post(date(2019, 1, 1), 1)[1]))
    requests, _ = tick(posts, cursor)
    assert ranges(requests) == [(newest, newest)]


def test_missing_folder_is_a_skip_not_an_error(tmp_path):
    context = dg.build_sensor_context(
        resources={"posts": PostsFolder(path=str(tmp_path / "nope"), max_post_bytes=1, workers=1)})
    assert isinstance(posts_folder_sensor(context), dg.SkipReason)


def test_changed_ranges_on_digests():
    before = {"2022-01-01": "a", "2022-01-03": "b", "2022-01-05": "c"}
    assert changed_ranges(before, dict(before)) == []
    assert changed_ranges({}, before) == [("2022-01-01", "2022-01-05")]
    assert changed_ranges(before, before | {"2022-01-01": "x", "2022-01-05": "y"}) == \
        [("2022-01-01", "2022-01-01"), ("2022-01-05", "2022-01-05")]
    assert changed_ranges(before, before | {"2022-01-02": "n", "2022-01-03": "z"}) == [("2022-01-02", "2022-01-03")]


def test_folder_digests_depend_on_path_mtime_and_size_only(posts):
    first = folder_digests(posts, max_bytes=DEFAULT_MAX_POST_BYTES)
    assert folder_digests(posts, max_bytes=DEFAULT_MAX_POST_BYTES) == first


def test_schedule_loads_yesterday_and_today_in_shanghai():
    shanghai = ZoneInfo("Asia/Shanghai")
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2022, 1, 8, 0, 30, tzinfo=shanghai))
    request = daily_newest_posts(context)
    assert (request.tags[START], request.tags[END]) == ("2022-01-07", "2022-01-08")
    assert request.tags["etl/trigger"] == "schedule"
    assert request.run_key == "daily-2022-01-08"
    assert newest_dates(date(2021, 12, 1)) == (date(2021, 12, 1), date(2021, 12, 1))  # never before the archive


def test_automation_is_registered_running_with_shanghai_time():
    from etl.defs.definitions import defs

    schedule = defs.get_schedule_def("daily_newest_posts")
    assert schedule.execution_timezone == "Asia/Shanghai"
    assert schedule.job_name == "load_warehouse"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    for name in ("posts_folder_sensor", "load_run_failures"):
        assert defs.get_sensor_def(name).default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.get_sensor_def("posts_folder_sensor").job_name == "load_warehouse"

"""Sensors: load the dates whose posts changed, and record failed loads in `load_run`.

`posts_folder_sensor` stats every `*.md` file under the posts folder (no reading, except the rare
file whose name has no date) and keeps, per post date, one short digest of the sorted
(path, mtime, size) of its files. The cursor is that map of date → 16 hex digits (a few KB for
the whole archive), never a list of files. A date whose digest differs from the cursor's, or that
appeared or vanished, has new, changed or deleted posts: the sensor asks for one run of
`load_warehouse` per stretch of such dates (a date range in the run's tags; dates in between that
hold no posts are bridged, so each run covers exactly the dates that changed). A quiet folder asks for nothing.
"""


import hashlib
import json
import os
from collections import defaultdict
from datetime import date

import dagster as dg

from etl.core.settings import load_settings
from etl.defs.jobs import LOAD_JOB_NAME
from etl.defs.dates import date_bounds, dates_tags
from etl.defs.resources import PostsFolder, Warehouse
from etl.defs.runs import TRIGGER_TAG, load_run_row
from etl.warehouse.ingest import source_partition
from etl.warehouse.publish import record_load_run
from etl.warehouse.sources import SourceFile, discover

OUT_OF_RANGE = "other"
"""Digest bucket of files with no date in the archive's range: every run covers them."""
CURSOR_VERSION = 1
SENSOR_INTERVAL_SECONDS = load_settings().sensor_interval_seconds


def _bucket(source: SourceFile, first: date, last: date, max_bytes: int) -> str:
    day = source_partition(source, max_bytes=max_bytes)
    return day.isoformat() if day and first <= day <= last else OUT_OF_RANGE


def folder_digests(posts_dir, *, max_bytes: int) -> dict[str, str]:
    """Per post date (ISO) a digest of the sorted (path, mtime_ns, size) of its post files."""
    first, last = date_bounds()
    hashes: dict[str, hashlib.blake2b] = defaultdict(lambda: hashlib.blake2b(digest_size=8))
    for source in discover(posts_dir):  # sorted by path: the digest does not depend on walk order
        try:
            stat = os.stat(source.abs_path)
            mark = f"{stat.st_mtime_ns}\0{stat.st_size}"
        except OSError as exc:
            mark = f"error\0{exc.errno}"
        hashes[_bucket(source, first, last, max_bytes)].update(f"{source.post_path}\0{mark}\n".encode())
    return {day: h.hexdigest() for day, h in sorted(hashes.items())}


def changed_ranges(previous: dict[str, str], current: dict[str, str]) -> list[tuple[str, str]]:
    """Inclusive (start, end) date ranges covering every date whose digest changed, appeared or
    vanished. Two changed dates share a range when no date between them holds posts that did not
    change; the out-of-range bucket maps to today (every run covers those files)."""
    _, last = date_bounds()
    touched = {day for day in previous.keys() | current.keys() if previous.get(day) != current.get(day)}
    if OUT_OF_RANGE in touched:
        touched.discard(OUT_OF_RANGE)
        touched.add(last.isoformat())
    quiet = sorted(day for day in (previous.keys() | current.keys()) - touched if day != OUT_OF_RANGE)
    ranges: list[list[str]] = []
    for day in sorted(touched):
        if ranges and not any(ranges[-1][1] < other < day for other in quiet):
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [(start, end) for start, end in ranges]


def encode_cursor(seq: int, digests: dict[str, str]) -> str:
    return json.dumps({"v": CURSOR_VERSION, "seq": seq, "days": digests}, separators=(",", ":"))


def decode_cursor(cursor: str | None) -> tuple[int, dict[str, str]]:
    if not cursor:
        return 0, {}
    try:
        state = json.loads(cursor)
        if state.get("v") == CURSOR_VERSION:
            return int(state["seq"]), dict(state["days"])
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    return 0, {}  # unreadable or older cursor: compare against nothing, i.e. load every date once


def _run_key(seq: int, start: str, end: str, digests: dict[str, str]) -> str:
    touched = hashlib.blake2b(digest_size=6)
    for day in sorted(digests):
        if start <= day <= end:
            touched.update(f"{day}={digests[day]};".encode())
    return f"posts-{seq}-{start}..{end}-{touched.hexdigest()}"


@dg.sensor(
    name="posts_folder_sensor",
    job_name=LOAD_JOB_NAME,
    minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Watches the posts folder (ETL_POSTS_DIR) and loads exactly the dates whose posts were added, "
        "changed or deleted: one run per stretch of changed dates. Cursor: one digest per date."
    ),
)
def posts_folder_sensor(context: dg.SensorEvaluationContext, posts: PostsFolder):
    if not posts.root.is_dir():
        return dg.SkipReason(f"posts folder {posts.root} does not exist")
    seq, previous = decode_cursor(context.cursor)
    current = folder_digests(posts.root, max_bytes=posts.max_post_bytes)
    ranges = changed_ranges(previous, current)
    if not ranges:
        return dg.SkipReason(f"no post changed in {len(current)} dates")
    seq += 1
    requests = [
        dg.RunRequest(
            run_key=_run_key(seq, start, end, current),
            tags={**dates_tags(start, end), TRIGGER_TAG: "sensor"},
        )
        for start, end in ranges
    ]
    context.log.info("changed dates: " + ", ".join(s if s == e else f"{s}..{e}" for s, e in ranges))
    return dg.SensorResult(run_requests=requests, cursor=encode_cursor(seq, current))


@dg.run_failure_sensor(
    name="load_run_failures",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes the load_run audit row (status failure) of every failed run of this code location.",
)
def load_run_failures(context: dg.RunFailureSensorContext, duckdb: Warehouse):
    row = load_run_row(context.instance, context.dagster_run.run_id, status="failure",
                       recorded_by="load_run_failures")
    with duckdb.get_connection() as conn:
        record_load_run(conn, row)


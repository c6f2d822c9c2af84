"""The two steps of a load, as plain functions over a DuckDB connection:
`ingest_files` compares the posts folder with raw_post and stores what changed;
`rebuild_pending` turns the queued articles' current files into article rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from etl.posts.build import BuildResult, build_articles
from etl.posts.frontmatter import PostFormatError, parse_front_matter, normalize_text
from etl.posts.identity import identify
from etl.posts.post import decode, partition_date
from etl.sources import FileVersion, SourceFile, discover, read_all
from etl.warehouse import loads
from etl.warehouse.sql import read_sql


@dataclass(frozen=True)
class DateWindow:
    """Inclusive range of partition dates a run covers; files with no date in range-able form
    (no date at all, or one outside `valid`) belong to every run so they are never lost."""

    start: date
    end: date
    valid_start: date
    valid_end: date

    def covers(self, day: date | None) -> bool:
        if day is None or not (self.valid_start <= day <= self.valid_end):
            return True
        return self.start <= day <= self.end


@dataclass
class IngestSummary:
    files_seen: int = 0
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    queued_articles: int = 0
    partitions: list[date] = field(default_factory=list)


def file_partition(version: FileVersion) -> date | None:
    """Partition date of a file: the name, else the front matter date, else the date in the id."""
    identity = identify(version.post_path)
    if identity.name_date:
        return identity.name_date
    try:
        published_at = parse_front_matter(normalize_text(decode(version.data))).published_at
    except PostFormatError:
        published_at = None
    return partition_date(identity, published_at)


def source_partitions(posts_dir: Path) -> list[date]:
    """Every partition date present in the posts folder (reads only files whose name has no date)."""
    days = set()
    for source in discover(posts_dir):
        day = source.name_date or file_partition(read_all([source])[0])
        if day:
            days.add(day)
    return sorted(days)


def live_partition_range(warehouse: Path) -> list[date]:
    """First and last partition of the files the warehouse holds as present (empty if none)."""
    if not warehouse.exists():
        return []
    try:
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            row = conn.execute(read_sql("load/live_partition_range.sql")).fetchone()
    except duckdb.Error:
        return []  # a new file without tables, or a writer holds it: the load itself will wait
    return [day for day in row if day]


def ingest_files(conn, posts_dir: Path, window: DateWindow | None, *, run_id: str, now: datetime) -> IngestSummary:
    sources = discover(posts_dir)
    dated = [s for s in sources if s.name_date and (window is None or window.covers(s.name_date))]
    undated = read_all([s for s in sources if not s.name_date])
    versions = read_all(dated) + [v for v in undated if window is None or window.covers(file_partition(v))]
    partitions = {v.post_path: file_partition(v) if not v.source.name_date else v.source.name_date for v in versions}

    current = loads.current_versions(conn).to_pydict()
    known = {
        path: (sha, deleted)
        for path, sha, deleted, day in zip(current["post_path"], current["content_sha256"], current["deleted"],
                                           current["partition_date"])
        if window is None or window.covers(day)
    }
    summary = IngestSummary(files_seen=len(versions), partitions=sorted({d for d in partitions.values() if d}))
    incoming, seen, affected = [], [], set()
    for version in versions:
        path = version.post_path
        previous = known.get(path)
        if previous == (version.sha256, False):
            summary.unchanged += 1
            seen.append((path, version.sha256))
            continue
        (summary.new if previous is None else summary.changed).append(path)
        if version.error:
            summary.unreadable.append(path)
        incoming.append(_incoming(version, partitions[path]))
        affected.add(incoming[-1].article_id)
    on_disk = {v.post_path for v in versions}
    for path, (_, deleted) in known.items():
        if path not in on_disk and not deleted:
            summary.deleted.append(path)
            affected.add(identify(path).article_id)
    summary.queued_articles = len(affected)
    if incoming or summary.deleted or seen:
        loads.record_versions(conn, incoming=incoming, seen=seen, vanished=summary.deleted,
                              affected_articles=affected, run_id=run_id, now=now)
    return summary


def _incoming(version: FileVersion, day: date | None) -> loads.IncomingVersion:
    try:
        text, raw_bytes = decode(version.data), None
    except PostFormatError:
        text, raw_bytes = version.data.decode("utf-8", errors="replace").replace("\x00", "\ufffd"), version.data
    return loads.IncomingVersion(
        post_path=version.post_path, content_sha256=version.sha256,
        article_id=identify(version.post_path).article_id, partition_date=day,
        size_bytes=len(version.data), raw_text=text, raw_bytes=raw_bytes, read_error=version.error,
    )


@dataclass
class RebuildSummary:
    articles: int
    rejected: list[tuple[str, str]]
    """(post_path, reason) of every file quarantined in this step."""
    unbuildable: list[str]


def rebuild_pending(conn, *, today: date, now: datetime, max_bytes: int, workers: int) -> RebuildSummary:
    sources, pending = loads.pending_sources(conn)
    if not pending:
        return RebuildSummary(0, [], [])
    result: BuildResult = build_articles(sources, today=today, max_bytes=max_bytes, workers=workers)
    partitions: dict[str, date] = {}
    for source in sources:
        day = source.partition_date
        if day and (source.article_id not in partitions or day < partitions[source.article_id]):
            partitions[source.article_id] = day
    loads.replace_articles(conn, result, pending, partitions, now)
    return RebuildSummary(
        articles=len(result.articles),
        rejected=[(r.post_path, r.reason) for r in result.rejections],
        unbuildable=result.unbuildable,
    )


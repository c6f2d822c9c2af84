"""The two steps of a load, as plain functions over a DuckDB connection:
`ingest_files` compares the posts folder with raw_post and stores what changed;
`rebuild_pending` turns the queued articles' current files into article rows.

Both stream: files are read and stored, and articles rebuilt, a batch at a time, each batch in its
own transaction together with the queue entries it adds or clears. Memory stays flat whatever the
size of the corpus, and a run that fails half-way leaves a consistent warehouse whose queue the
next run finishes."""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path

import pyarrow as pa

from etl.parallel import in_background, ordered_map, time_budget, worker_count
from etl.posts.build import SourceText, build_batch, split_by_article
from etl.posts.frontmatter import PostFormatError, normalize_text, parse_front_matter
from etl.posts.identity import identify
from etl.posts.post import decode, partition_date
from etl.warehouse import guard, loads
from etl.warehouse.sources import FileVersion, SourceFile, discover, read_file


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


def source_partition(source: SourceFile, *, max_bytes: int) -> date | None:
    """Partition date of a file in the folder: from its name, else read from the file (none for a
    file not read: `max_bytes` must be the run's, so that the plan and the run agree)."""
    return source.name_date or file_partition(read_file(source, max_bytes=max_bytes))


INGEST_BATCH_FILES = 2000
"""New or changed files stored per transaction (about 5 MB of text)."""
REBUILD_BATCH_ARTICLES = 4000
"""Queued articles parsed and stored per transaction (shared among the worker processes)."""
STAMP_SETTLE_NS = 2_000_000_000
"""A file modified less than this before the scan could change again within the same mtime tick,
unseen: its stamp is not kept, so the next load hashes it (git's "racily clean" rule)."""


def ingest_files(conn, posts_dir: Path, window: DateWindow | None, *, run_id: str, now: datetime, max_bytes: int,
                 trust_stamps: bool = True, listing: pa.Table | None = None, workers: int = 1,
                 max_delete_share: float = 1.0) -> IngestSummary:
    """Compare the folder's files in `window` with raw_post, store new and changed versions, mark
    unchanged ones seen and vanished ones deleted, and queue the articles they feed.

    A file whose path, size and mtime are those stored with its current version is taken as
    unchanged without being read (`trust_stamps`): that comparison runs in DuckDB over the folder's
    listing, so an unchanged file costs one `stat` and no Python object. Any other file is read and
    hashed (on `workers` processes when there are many), and only a new hash makes a new version. A
    file over `max_bytes`, a link out of the folder or a name that is not UTF-8 is stored unread, with
    the reason in `read_error`, and quarantined by the next step.
    `trust_stamps=False` reads and hashes every file. `listing` is the folder's `listing_of` when
    the caller has just taken it (`etl load`'s plan). Files gone that would take more than
    `max_delete_share` of the live articles with them stop the scan before it writes
    (`guard.LoadRefused`)."""
    stale_after_ns = time.time_ns() - STAMP_SETTLE_NS
    if listing is None:
        listing = listing_of(discover(posts_dir))
    entries, untouched = loads.classify_files(conn, listing, trust_stamps=trust_stamps)
    covered_dates = [day for day in untouched if window is None or window.covers(day)]
    untouched_in_window = sum(untouched[day] for day in covered_dates)
    summary = IngestSummary(files_seen=untouched_in_window, unchanged=untouched_in_window)
    seen = loads.SeenFiles()
    affected: set[str] = set()
    incoming: list[loads.IncomingVersion] = []
    for entry in entries:
        if entry.action == "vanished" and (window is None or window.covers(entry.stored_partition_date)):
            summary.deleted.append(entry.post_path)
            affected.add(identify(entry.post_path).article_id)
    to_read = [entry for entry in entries if entry.action == "read"]
    arriving = [identify(entry.post_path).article_id for entry in to_read if entry.stored_sha256 is None]
    guard.check_deletions(conn, summary.deleted, arriving, limit=max_delete_share, posts_dir=posts_dir)
    examined = _examine_all(posts_dir, to_read, window, stale_after_ns, max_bytes,
                            workers=worker_count(workers, len(to_read)))
    with _BatchWriter(conn, run_id=run_id, now=now) as writer:
        for found in examined:
            if found is None:  # outside the run's dates
                continue
            summary.files_seen += 1
            if isinstance(found, _Unchanged):
                summary.unchanged += 1
                seen.add(found.post_path, found.sha256, found.mtime_ns)
                continue
            (summary.changed if found.stored else summary.new).append(found.version.post_path)
            if found.version.read_error:
                summary.unreadable.append(found.version.post_path)
            incoming.append(found.version)
            affected.add(found.version.article_id)
            if len(incoming) == INGEST_BATCH_FILES:
                writer.store(incoming)
                incoming = []
        writer.store(incoming)
    summary.queued_articles = len(affected)
    loads.record_scan(conn, covered_dates=covered_dates, seen=seen, vanished=summary.deleted, now=now)
    return summary


@dataclass(frozen=True, slots=True)
class _Unchanged:
    """A file read and found to hold its current version (its mtime had changed: a touch)."""

    post_path: str
    sha256: str
    mtime_ns: int | None


@dataclass(frozen=True, slots=True)
class _NewVersion:
    version: loads.IncomingVersion
    stored: bool
    """The warehouse holds an older version of the path (changed), or none in the run's dates (new)."""


def _examine(posts_dir: Path, entry: loads.ScanEntry, window: DateWindow | None,
             stale_after_ns: int, max_bytes: int) -> _Unchanged | _NewVersion | None:
    """Read one listed file and say what it is: None when it belongs to no date of the run."""
    identity = identify(entry.post_path)
    if window and identity.name_date and not window.covers(identity.name_date):
        return None
    version = read_file(SourceFile.under(posts_dir, entry.post_path), max_bytes=max_bytes)
    day = identity.name_date or file_partition(version)
    if window and not window.covers(day):
        return None
    # Outside the run's dates the warehouse is not asked what it holds.
    stored = entry.stored_sha256 is not None and (window is None or window.covers(entry.stored_partition_date))
    mtime_ns = version.stamp.mtime_ns if version.stamp and version.stamp.mtime_ns < stale_after_ns else None
    if stored and (entry.stored_sha256, entry.stored_deleted) == (version.sha256, False):
        return _Unchanged(entry.post_path, version.sha256, mtime_ns)
    return _NewVersion(_incoming(version, identity.article_id, day, mtime_ns), stored)


EXAMINE_CHUNK_FILES = 500
"""Files a worker reads per task (about 2 MB); at most two tasks per worker wait to be collected."""


def _examine_chunk(chunk: tuple[Path, list[loads.ScanEntry], DateWindow | None, int, int],
                   ) -> list[_Unchanged | _NewVersion | None]:
    posts_dir, entries, window, stale_after_ns, max_bytes = chunk
    return [_examine(posts_dir, entry, window, stale_after_ns, max_bytes) for entry in entries]


def _examine_all(posts_dir: Path, entries: list[loads.ScanEntry], window: DateWindow | None,
                 stale_after_ns: int, max_bytes: int, *, workers: int) -> Iterator[_Unchanged | _NewVersion | None]:
    """`_examine` of each entry, in order: here, or on `workers` processes that read, hash and
    decode while this process stores what they found (a cold scan is mostly that work)."""
    chunks = ((posts_dir, entries[i : i + EXAMINE_CHUNK_FILES], window, stale_after_ns, max_bytes)
              for i in range(0, len(entries), EXAMINE_CHUNK_FILES))
    for examined in ordered_map(_examine_chunk, chunks, workers=workers, in_flight=2 * workers + 1):
        yield from examined


def write_listing(listing: pa.Table, path: Path) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, listing.schema) as writer:
        writer.write_table(listing)


def read_listing(path: Path) -> pa.Table:
    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


class _BatchWriter:
    """Stores batches of file versions in the background, one batch at a time, while the scan
    reads the next: DuckDB and the reads both release the GIL, so a cold scan overlaps its disk
    reads with its inserts. A failed store is raised by the next `store` or at the end."""

    def __init__(self, conn, *, run_id: str, now: datetime) -> None:
        self._conn, self._run_id, self._now = conn, run_id, now
        self._in_flight: Future | None = None

    def store(self, incoming: list[loads.IncomingVersion]) -> None:
        self._wait()
        if incoming:
            self._in_flight = in_background(self._store, incoming, name="etl store versions")

    def _store(self, incoming: list[loads.IncomingVersion]) -> None:
        loads.store_versions(self._conn, incoming, run_id=self._run_id, now=self._now)

    def _wait(self) -> None:
        if self._in_flight is not None:
            in_flight, self._in_flight = self._in_flight, None
            in_flight.result()

    def __enter__(self) -> _BatchWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        self._wait()


def listing_of(sources: list[SourceFile]) -> pa.Table:
    """Path, size and mtime of each file, as `classify_files.sql` compares them with raw_post. A
    file that cannot be stat'ed has neither (so it is read, and the read says why)."""
    sizes: list[int | None] = []
    mtimes: list[int | None] = []
    for source in sources:
        try:
            info = os.stat(source.abs_path)
        except OSError:
            sizes.append(None)
            mtimes.append(None)
            continue
        sizes.append(info.st_size)
        mtimes.append(info.st_mtime_ns)
    return pa.table({"post_path": [source.post_path for source in sources], "size_bytes": sizes, "mtime_ns": mtimes},
                    schema=loads.LISTING_SCHEMA)


def _incoming(version: FileVersion, article_id: str, day: date | None, mtime_ns: int | None) -> loads.IncomingVersion:
    try:
        decode(version.data)
        text_utf8, raw_bytes = version.data, None
    except PostFormatError:
        text = version.data.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
        text_utf8, raw_bytes = text.encode("utf-8"), version.data
    return loads.IncomingVersion(
        post_path=version.post_path, content_sha256=version.sha256,
        article_id=article_id, partition_date=day, size_bytes=len(version.data),
        mtime_ns=mtime_ns, text_utf8=text_utf8, raw_bytes=raw_bytes, read_error=version.error,
    )


@dataclass
class RebuildSummary:
    articles: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    """(post_path, reason) of every file quarantined in this step."""
    unbuildable: list[str] = field(default_factory=list)


def rebuild_pending(conn, *, today: date, now: datetime, max_bytes: int, workers: int,
                    parse_seconds: float | None = None) -> RebuildSummary:
    """Rebuild every queued article from its files' current versions, a batch at a time: while
    worker processes parse a batch, this process fetches the next one and stores the last. A file
    whose parse takes longer than `parse_seconds` is quarantined and the load goes on."""
    pending = loads.pending_articles(conn)
    batches = [pending[i : i + REBUILD_BATCH_ARTICLES] for i in range(0, len(pending), REBUILD_BATCH_ARTICLES)]
    sources_of = (loads.pending_sources(conn, ids[0], ids[-1]) for ids in batches)
    summary = RebuildSummary()
    built_batches = build_in_batches(sources_of, today=today, max_bytes=max_bytes, parse_seconds=parse_seconds,
                                     workers=worker_count(workers, len(pending)))
    for ids, parts in zip(batches, built_batches):
        built = loads.ArticleTables.combined(parts)
        loads.replace_articles(conn, built, ids, now)
        summary.articles += built.articles.num_rows
        summary.rejected += zip(built.rejections["post_path"].to_pylist(), built.rejections["reason"].to_pylist())
        summary.unbuildable += built.unbuildable
    return summary


def build_in_batches(batches: Iterable[list[SourceText]], *, today: date | None = None, max_bytes: int | None = None,
                     parse_seconds: float | None = None, workers: int = 1) -> Iterator[list[loads.ArticleTables]]:
    """For each batch (every copy of its articles), in order: its articles built and shaped into
    Arrow tables, in one part per worker. The next batch is fetched and parsed while the caller
    stores the last one; Arrow tables cross between processes far cheaper than Python rows."""
    parts_per_batch: deque[int] = deque()

    def parts() -> Iterator[tuple[list[SourceText], date | None, int | None, float | None]]:
        for batch in batches:
            split = split_by_article(batch, workers)
            parts_per_batch.append(len(split))
            for part in split:
                yield part, today, max_bytes, parse_seconds

    built = ordered_map(_build_tables, parts(), workers=workers)
    for first in built:
        batch = [first]
        batch += [next(built) for _ in range(parts_per_batch.popleft() - 1)]
        yield batch


def _build_tables(part: tuple[list[SourceText], date | None, int | None, float | None]) -> loads.ArticleTables:
    sources, today, max_bytes, parse_seconds = part
    budget = partial(time_budget, parse_seconds) if parse_seconds else None
    return loads.ArticleTables.of(build_batch(sources, today, max_bytes, budget=budget))

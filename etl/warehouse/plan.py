"""What `etl load` has to do, worked out before it starts a run: the dates whose files changed
since the warehouse last saw them, or nothing at all.

The plan stats every post file and compares path, size and mtime with `raw_post` (read-only, so a
running load or an analyst is not disturbed). It reads the few files whose stamp differs from the
stored one while their path holds a stored version (touched, or written too recently to be stamped)
and leaves out those whose bytes are the stored ones; it also reads the rare changed file whose
name has no date. A run then covers the dates from the first to the last with a new, changed or
vanished file. When no file changed and the last load finished (its analyst snapshot was published
after the warehouse's last write) there is nothing to do and no run is started. Anything that makes
the stamps untrustworthy plans every date, as a full load always did."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.warehouse import guard, loads
from etl.posts.version import rules_version
from etl.warehouse.audit import pending_file
from etl.warehouse.derivation import rules_change
from etl.warehouse.ingest import listing_of, source_partition
from etl.warehouse.sources import SourceFile, discover, read_file
from etl.warehouse.sql import read_sql

SAME_BYTES_MAX_FILES = 5_000
SAME_BYTES_MAX_BYTES = 64 * 2**20
"""How much the plan reads to tell a touched or unstamped file from a changed one (posts are a few
KB, so this bound keeps the plan quick). Beyond that (a checkout, a warehouse from before the stamps)
they are all left to the run, which reads them on its workers and keeps their new stamps."""


@dataclass(frozen=True)
class LoadPlan:
    files_seen: int
    """Post files in the folder when the plan was made."""
    files_to_scan: int
    """Files to load: new, changed or vanished (every file when `full_reason` is set)."""
    first: date | None
    last: date | None
    """The run's first and last post dates; both None when there is nothing to load."""
    full_reason: str | None = None
    """Why every date is loaded whatever the stamps say."""

    @property
    def up_to_date(self) -> bool:
        return self.first is None

    def describe(self) -> str:
        if self.up_to_date:
            return f"Nothing to load: all {self.files_seen} files as last loaded (path, size and mtime)."
        dates = f"{self.first}..{self.last}"
        if self.full_reason:
            return f"Dates {dates}, every date: {self.full_reason}."
        files = "1 file" if self.files_to_scan == 1 else f"{self.files_to_scan} files"
        return f"Dates {dates}: {files} new, changed or deleted since the last load."


def snapshot_is_current(warehouse: Path, snapshot: Path) -> bool:
    """True when the analyst snapshot was published after the warehouse's last write: the last load
    finished. A load that failed or stopped at a check wrote after that (dq_result, staged rows, a
    WAL left by a killed process), and so did any writer from outside."""
    try:
        published = snapshot.stat().st_mtime_ns
        written = warehouse.stat().st_mtime_ns
    except FileNotFoundError:
        return False
    # A failed run's load_run row waiting beside the warehouse (etl.warehouse.audit) is a load that
    # did not finish too: the next load writes it, and publishes a snapshot that carries it.
    return (published >= written and not warehouse.with_name(warehouse.name + ".wal").exists()
            and not pending_file(warehouse).exists())


@dataclass(frozen=True)
class FolderComparison:
    """The folder against the warehouse, before the date bounds are applied (`etl.defs.dates`),
    which a planning process need not import
    (`FolderComparison.plan` makes the `LoadPlan`)."""

    files_seen: int
    files_to_scan: int
    days: tuple[date, ...]
    """The distinct partition dates the run must cover: those of the files to scan (and of every
    file, and every date live in the warehouse, when `full_reason` is set)."""
    full_reason: str | None = None
    deletions: guard.Deletions | None = None
    """What the load would take out of the warehouse (`etl.warehouse.guard`); None for a new warehouse,
    or one a writer holds (the run's own guard decides then)."""
    listing: pa.Table | None = field(default=None, repr=False, compare=False)
    """The folder's path, size and mtime as stat'ed here (`ingest.listing_of`), for the run's scan
    to use instead of listing the folder again; None when the files were not stat'ed (a new
    warehouse, a full load, a load that did not finish: every date is loaded anyway)."""

    def plan(self, bounds: tuple[date, date]) -> LoadPlan:
        """The run over `bounds` (the first and last dates a post can have), or none."""
        if not self.full_reason and not self.files_to_scan:
            return LoadPlan(self.files_seen, 0, None, None)
        first, last = _range(self.days, bounds)
        return LoadPlan(self.files_seen, self.files_to_scan, first, last, self.full_reason)


def compare_folder(posts_dir: Path, warehouse: Path, snapshot: Path, *, max_bytes: int,
                   full_reason: str | None = None) -> FolderComparison:
    """Stat every post file and compare the stamps with `raw_post`, read-only; `full_reason` (e.g.
    the user asked for a full load) makes every date part of the run. `max_bytes`: the run's
    ETL_MAX_POST_BYTES (a bigger file is not read, here either)."""
    sources = discover(posts_dir)
    deletions = _deletions(warehouse, sources)
    if full_reason is None:
        if not warehouse.exists():
            full_reason = "a new warehouse"
        elif not snapshot_is_current(warehouse, snapshot):
            full_reason = "the warehouse changed after the last published snapshot (a load that did not finish, or a securities import)"
        else:
            full_reason = _rules_changed(warehouse)
    listing = None
    if not full_reason:
        listing = listing_of(sources)
        try:
            stale, vanished_days = _stale_files(warehouse, sources, listing, max_bytes)
        except duckdb.Error as exc:  # a writer holds the file, or it predates raw_post: let the run sort it out
            full_reason = f"the warehouse could not be compared with the folder ({exc})"
    if full_reason:
        return FolderComparison(len(sources), len(sources), _distinct(_every_day(sources, warehouse, max_bytes)),
                                full_reason, deletions, listing=listing)
    days = [source_partition(source, max_bytes=max_bytes) for source in stale] + vanished_days
    return FolderComparison(len(sources), len(stale) + len(vanished_days), _distinct(days), deletions=deletions,
                            listing=listing)


def _deletions(warehouse: Path, sources: list[SourceFile]) -> guard.Deletions | None:
    """The live articles whose files are all gone from the folder, read-only."""
    if not warehouse.exists():
        return None
    try:
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            present = {source.post_path for source in sources}
            stored = set(guard.live_paths(conn))
            arriving = [source.identity.article_id for source in sources if source.post_path not in stored]
            return guard.deletions(conn, sorted(stored - present), arriving)
    except duckdb.Error:  # a writer holds the file, or it predates these tables
        return None


def _rules_changed(warehouse: Path) -> str | None:
    """Why every date is loaded when the warehouse's rows were derived by other extraction rules (the
    run's articles step derives every article again); None when they were not."""
    try:
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            change = rules_change(conn)
    except duckdb.CatalogException:  # a warehouse from before extraction_state
        change = (None, rules_version())
    except duckdb.Error:
        return None  # a writer holds the file: the run sorts it out
    return f"the extraction rules changed ({change[0] or 'none recorded'} -> {change[1]})" if change else None


def _distinct(days: list[date | None]) -> tuple[date, ...]:
    return tuple(sorted({day for day in days if day}))


def _every_day(sources: list[SourceFile], warehouse: Path, max_bytes: int) -> list[date | None]:
    """What a full load covers: the date of every file, and the first and last dates live in the
    warehouse (to see deletions)."""
    return [source_partition(source, max_bytes=max_bytes) for source in sources] + live_partition_range(warehouse)


def _range(days: Sequence[date | None], bounds: tuple[date, date]) -> tuple[date, date]:
    first, last = bounds
    # A file with no date in the archive's range is scanned by every run: any range will do.
    in_range = [day for day in days if day and first <= day <= last] or [last]
    return min(in_range), max(in_range)


def live_partition_range(warehouse: Path) -> list[date]:
    """First and last partition of the files the warehouse holds as present: a full load covers
    them to see deletions."""
    if not warehouse.exists():
        return []
    try:
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            row = conn.execute(read_sql("load/live_partition_range.sql")).fetchone()
    except duckdb.Error:
        return []  # a new file without tables, or a writer holds it: the load itself will wait
    return [day for day in row if day]


def _stale_files(warehouse: Path, sources: list[SourceFile], listing: pa.Table,
                 max_bytes: int) -> tuple[list[SourceFile], list[date | None]]:
    """Files on disk that hold something the warehouse does not (their stamp is not the one stored
    with their current version, `classify_files.sql`, read-only, and their bytes are not that
    version's either), and the partition dates of stored files that vanished."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        entries, _ = loads.classify_files(conn, listing, trust_stamps=True)  # the scan's own comparison
    by_path = {source.post_path: source for source in sources}
    to_read = [entry for entry in entries if entry.action == "read"]
    same = _same_bytes_as_stored(to_read, by_path, max_bytes)
    stale = [by_path[entry.post_path] for entry in to_read if entry.post_path not in same]
    vanished_days = [entry.stored_partition_date for entry in entries if entry.action == "vanished"]
    return stale, vanished_days


def _same_bytes_as_stored(to_read: list[loads.ScanEntry], by_path: dict[str, SourceFile], max_bytes: int) -> set[str]:
    """Paths among `to_read` whose file has the SHA-256 of its stored current version: a touch or a
    stamp withheld from a file written just before a load is not a change. Nothing when there are
    more than `SAME_BYTES_MAX_FILES` to read or they hold more than `SAME_BYTES_MAX_BYTES`."""
    stored = [entry for entry in to_read if entry.stored_sha256 and not entry.stored_deleted]
    if len(stored) > SAME_BYTES_MAX_FILES:
        return set()
    same, bytes_read = set(), 0
    for entry in stored:
        version = read_file(by_path[entry.post_path], max_bytes=max_bytes)
        bytes_read += len(version.data)
        if bytes_read > SAME_BYTES_MAX_BYTES:
            return set()
        # A file stored unread (too big, a link out of the folder) and still unread is the same too.
        if version.sha256 == entry.stored_sha256:
            same.add(entry.post_path)
    return same

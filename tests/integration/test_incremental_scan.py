"""The scan's stamp pre-filter (path, size and mtime stored with each version) and the batched
steps, on the plain functions the raw_posts and articles assets call."""

import os
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from etl.core.settings import DEFAULT_MAX_POST_BYTES
from etl import parallel
from etl.warehouse import ingest
from etl.warehouse.connection import open_warehouse
from tests.conftest import HOUR_AGO_NS, PLAIN_ID, SMALL_CORPUS, age_files, query


def _scan(posts: Path, warehouse: Path, **options) -> ingest.IngestSummary:
    with open_warehouse(warehouse) as conn:
        return ingest.ingest_files(conn, posts, None, run_id="test", now=datetime.now(timezone.utc),
                                   max_bytes=DEFAULT_MAX_POST_BYTES, **options)


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The paths the scan reads (and hashes)."""
    seen: list[str] = []
    real = ingest.read_file

    def counting(source, **options):
        seen.append(source.post_path)
        return real(source, **options)

    monkeypatch.setattr(ingest, "read_file", counting)
    return seen


def test_a_file_with_its_stored_size_and_mtime_is_not_read(small_corpus, tmp_path, reads):
    age_files(small_corpus)
    warehouse = tmp_path / "w.duckdb"
    assert len(_scan(small_corpus, warehouse).new) == len(SMALL_CORPUS)
    reads.clear()
    summary = _scan(small_corpus, warehouse)
    assert (summary.unchanged, summary.files_seen, reads) == (len(SMALL_CORPUS), len(SMALL_CORPUS), [])


def test_an_edit_that_keeps_size_and_mtime_is_seen_only_when_every_file_is_hashed(small_corpus, tmp_path):
    age_files(small_corpus)
    warehouse = tmp_path / "w.duckdb"
    _scan(small_corpus, warehouse)
    path = small_corpus / f"old_post/2021-12-08-{PLAIN_ID}.md"
    info = path.stat()
    path.write_bytes(path.read_bytes().replace("午后".encode(), "上午".encode()))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert _scan(small_corpus, warehouse).changed == []  # the stamp's blind spot, hence the option
    assert _scan(small_corpus, warehouse, trust_stamps=False).changed == [f"old_post/2021-12-08-{PLAIN_ID}.md"]


def test_a_touched_file_is_hashed_once_then_trusted_again(small_corpus, tmp_path, reads):
    age_files(small_corpus)
    warehouse = tmp_path / "w.duckdb"
    _scan(small_corpus, warehouse)
    touched = small_corpus / "_posts/2021-12-01-welcome.md"
    age_files(touched.parent, HOUR_AGO_NS + 60 * 10**9)
    reads.clear()
    summary = _scan(small_corpus, warehouse)
    assert summary.unchanged == len(SMALL_CORPUS) and summary.changed == []
    assert sorted(reads) == sorted(p for p in SMALL_CORPUS if p.startswith("_posts/"))
    reads.clear()
    _scan(small_corpus, warehouse)
    assert reads == []


def test_a_freshly_written_file_keeps_no_stamp_and_is_read_next_time(small_corpus, tmp_path, reads):
    warehouse = tmp_path / "w.duckdb"
    age_files(small_corpus, time.time_ns() + 60 * 10**9)  # as fresh as can be, however slow the scan
    _scan(small_corpus, warehouse)
    assert query(warehouse, "SELECT count(*) FROM raw_post WHERE mtime_ns IS NOT NULL") == [(0,)]
    reads.clear()
    _scan(small_corpus, warehouse)
    assert len(reads) == len(SMALL_CORPUS)


def _load(posts: Path, warehouse: Path, workers: int = 1) -> None:
    now = datetime.now(timezone.utc)
    with open_warehouse(warehouse) as conn:
        ingest.ingest_files(conn, posts, None, run_id="test", now=now, max_bytes=DEFAULT_MAX_POST_BYTES,
                           workers=workers)
        ingest.rebuild_pending(conn, today=date(2026, 1, 1), now=now, max_bytes=2**21, workers=workers)


@pytest.mark.parametrize("workers", [1, 2])
def test_small_batches_build_the_same_rows(small_corpus, tmp_path, monkeypatch, workers):
    age_files(small_corpus)  # else the stamps kept depend on how soon after writing each load runs
    _load(small_corpus, tmp_path / "whole.duckdb")
    monkeypatch.setattr(ingest, "INGEST_BATCH_FILES", 2)
    monkeypatch.setattr(ingest, "REBUILD_BATCH_ARTICLES", 1)
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 0)  # worker processes even for a few files
    monkeypatch.setattr(ingest, "EXAMINE_CHUNK_FILES", 1)  # and more read tasks than workers
    _load(small_corpus, tmp_path / "batched.duckdb", workers)
    for table, columns in [("article", "* EXCLUDE (loaded_at)"), ("staged_article_tag", "*"),
                           ("staged_stock_mention", "*"), ("raw_post", "* EXCLUDE (first_seen_at, last_seen_at)")]:
        whole, batched = (sorted(query(tmp_path / f"{name}.duckdb", f"SELECT {columns} FROM {table}"), key=repr)
                          for name in ("whole", "batched"))
        assert whole == batched, table
    assert query(tmp_path / "batched.duckdb", "SELECT count(*) FROM pending_article") == [(0,)]

"""Source file versions in, article rows and quarantine rows out: the whole transform, in bulk.

Parsing is CPU-bound Python, so a large load is cut into batches of whole articles (all copies of
an article in the same batch, which merges them) that worker processes parse while the caller
fetches the next batch and stores the last one.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from etl.posts.article import MergedArticle, merge_posts
from etl.posts.frontmatter import PostFormatError
from etl.posts.post import decode, parse_post

Shaped = TypeVar("Shaped")

PARALLEL_THRESHOLD = 400
"""Below this many files (or queued articles), starting worker processes costs more than it saves."""


@dataclass(frozen=True)
class SourceText:
    """The current version of one source file, as the warehouse holds it."""

    post_path: str
    content_sha256: str
    article_id: str
    raw: bytes
    deleted: bool = False
    read_error: str | None = None


@dataclass(frozen=True)
class Rejection:
    post_path: str
    content_sha256: str
    article_id: str
    reason: str
    field_name: str | None
    line_number: int | None
    raw_text: str


@dataclass
class BuildResult:
    articles: list[MergedArticle] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    unbuildable: list[str] = field(default_factory=list)
    """Articles none of whose copies could be parsed: their last good rows stay (the broken files sit
    in `rejected_post`), marked deleted from the source once every file is (`replace_articles.sql`)."""

    def extend(self, other: BuildResult) -> None:
        self.articles += other.articles
        self.rejections += other.rejections
        self.unbuildable += other.unbuildable


def _as_is(result: BuildResult) -> BuildResult:
    return result


def build_in_batches(batches: Iterable[list[SourceText]], *, today: date | None = None, max_bytes: int | None = None,
                     workers: int | None = None,
                     shape: Callable[[BuildResult], Shaped] = _as_is) -> Iterator[list[Shaped]]:
    """For each batch (every copy of its articles), in order: its result in parts, each passed
    through `shape` where it was built.

    With more than one worker, a batch is split by article among worker processes (one part each),
    and the next batch is taken and parsed while the caller works on the last one; at most two
    batches are held at once, so memory stays bounded whatever the number of batches. `shape`
    (a module-level function, so that it pickles) turns a part into what the caller keeps, in the
    worker: compact data such as Arrow tables crosses between processes far cheaper than rows of
    Python objects."""
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        for batch in batches:
            yield [shape(_build_batch(batch, today, max_bytes))]
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        previous: list[Future[Shaped]] | None = None
        for batch in batches:
            groups = _by_article(batch)
            share = max(1, -(-len(groups) // workers))  # ceiling division: one part per worker
            parts = [[copy for copies in groups[i : i + share] for copy in copies]
                     for i in range(0, len(groups), share)] or [[]]
            submitted = [pool.submit(_build_shaped, part, today, max_bytes, shape) for part in parts]
            if previous is not None:
                yield [part.result() for part in previous]
            previous = submitted
        if previous is not None:
            yield [part.result() for part in previous]


def _build_shaped(sources: list[SourceText], today: date | None, max_bytes: int | None,
                  shape: Callable[[BuildResult], Shaped]) -> Shaped:
    return shape(_build_batch(sources, today, max_bytes))


def _by_article(sources: list[SourceText]) -> list[list[SourceText]]:
    by_article: dict[str, list[SourceText]] = defaultdict(list)
    for source in sources:
        by_article[source.article_id].append(source)
    return [by_article[key] for key in sorted(by_article)]


def _build_batch(sources: list[SourceText], today: date | None, max_bytes: int | None) -> BuildResult:
    result = BuildResult()
    for copies in _by_article(sources):
        live = [c for c in copies if not c.deleted]
        # An article whose files are all deleted keeps its history, built from their last versions.
        chosen = live or copies
        parsed = []
        for copy in chosen:
            try:
                if copy.read_error:
                    raise PostFormatError(copy.read_error)
                if max_bytes and len(copy.raw) > max_bytes:
                    raise PostFormatError(
                        f"post is {len(copy.raw) / 2**20:.1f} MB, over the {max_bytes / 2**20:.1f} MB limit "
                        "for one post (ETL_MAX_POST_BYTES)"
                    )
                parsed.append(parse_post(copy.post_path, decode(copy.raw), today=today))
            except PostFormatError as error:
                if not copy.deleted:
                    result.rejections.append(_rejection(copy, error))
        if parsed:
            result.articles.append(merge_posts(parsed, deleted_from_source=not live))
        else:
            result.unbuildable.append(copies[0].article_id)
    return result


def _rejection(copy: SourceText, error: PostFormatError) -> Rejection:
    return Rejection(
        post_path=copy.post_path,
        content_sha256=copy.content_sha256,
        article_id=copy.article_id,
        reason=str(error),
        field_name=error.field_name,
        line_number=error.line,
        raw_text=copy.raw.decode("utf-8", errors="replace"),
    )

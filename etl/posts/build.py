"""Source file versions in, article rows and quarantine rows out: the whole transform, in bulk.

Parsing is CPU-bound Python, so large batches are split over worker processes by article (all
copies of an article go to the same worker, which merges them).
"""

from __future__ import annotations

import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from etl.posts.article import MergedArticle, merge_posts
from etl.posts.frontmatter import PostFormatError
from etl.posts.post import decode, parse_post

PARALLEL_THRESHOLD = 400
"""Below this many files, starting worker processes costs more than it saves."""


@dataclass(frozen=True)
class SourceText:
    """The current version of one source file, as the warehouse holds it."""

    post_path: str
    content_sha256: str
    article_id: str
    raw: bytes
    deleted: bool = False
    read_error: str | None = None
    partition_date: date | None = None


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
    """Articles none of whose copies could be parsed: their last good rows stay as they are."""

    def extend(self, other: BuildResult) -> None:
        self.articles += other.articles
        self.rejections += other.rejections
        self.unbuildable += other.unbuildable


def build_articles(sources: list[SourceText], *, today: date | None = None, max_bytes: int | None = None,
                   workers: int | None = None) -> BuildResult:
    by_article: dict[str, list[SourceText]] = defaultdict(list)
    for source in sources:
        by_article[source.article_id].append(source)
    groups = [by_article[key] for key in sorted(by_article)]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(sources) < PARALLEL_THRESHOLD:
        return _build_groups(groups, today, max_bytes)
    chunk = max(1, len(groups) // (workers * 8))
    batches = [groups[i : i + chunk] for i in range(0, len(groups), chunk)]
    result = BuildResult()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for part in pool.map(_build_groups, batches, [today] * len(batches), [max_bytes] * len(batches)):
            result.extend(part)
    return result


def _build_groups(groups: list[list[SourceText]], today: date | None, max_bytes: int | None) -> BuildResult:
    result = BuildResult()
    for copies in groups:
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

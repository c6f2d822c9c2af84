"""Source file versions in, article rows and quarantine rows out: the whole transform of a batch.

A batch holds whole articles (every copy of an article, which merges them); `split_by_article` cuts
it into parts that can be built independently, on worker processes (`etl.parallel`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date

from etl.core.rows import RejectionRow
from etl.posts.article import MergedArticle, merge_posts
from etl.posts.frontmatter import PostFormatError
from etl.posts.post import decode, parse_post


@dataclass(frozen=True)
class SourceText:
    """The current version of one source file, as the warehouse holds it."""

    post_path: str
    content_sha256: str
    article_id: str
    raw: bytes
    deleted: bool = False
    read_error: str | None = None


@dataclass
class BuildResult:
    articles: list[MergedArticle] = field(default_factory=list)
    rejections: list[RejectionRow] = field(default_factory=list)
    unbuildable: list[str] = field(default_factory=list)
    """Articles none of whose copies could be parsed: their last good rows stay (the broken files sit
    in `rejected_post`), marked deleted from the source once every file is (`replace_articles.sql`)."""

    def extend(self, other: BuildResult) -> None:
        self.articles += other.articles
        self.rejections += other.rejections
        self.unbuildable += other.unbuildable


def split_by_article(sources: list[SourceText], parts: int) -> list[list[SourceText]]:
    """`sources` in at most `parts` lists of whole articles (every copy of one in the same list)."""
    groups = _by_article(sources)
    share = max(1, -(-len(groups) // max(1, parts)))  # ceiling division
    return [[copy for copies in groups[i : i + share] for copy in copies]
            for i in range(0, len(groups), share)] or [[]]


def _by_article(sources: list[SourceText]) -> list[list[SourceText]]:
    by_article: dict[str, list[SourceText]] = defaultdict(list)
    for source in sources:
        by_article[source.article_id].append(source)
    return [by_article[key] for key in sorted(by_article)]


def build_batch(sources: list[SourceText], today: date | None, max_bytes: int | None, *,
                budget: Callable[[], AbstractContextManager] | None = None) -> BuildResult:
    """Every article of `sources` built from its copies; a copy that cannot be parsed is rejected
    with the reason, and so is one whose parse outlasts `budget()` (a block that raises
    `TimeoutError` when its time is up, `etl.parallel.time_budget`)."""
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
                    raise PostFormatError(too_big(len(copy.raw), max_bytes))
                with budget() if budget else nullcontext():
                    parsed.append(parse_post(copy.post_path, decode(copy.raw), today=today))
            except PostFormatError as error:
                if not copy.deleted:
                    result.rejections.append(_rejection(copy, error))
            except TimeoutError as spent:
                if not copy.deleted:
                    result.rejections.append(_rejection(copy, PostFormatError(
                        f"parsing {spent} (ETL_PARSE_SECONDS_PER_FILE): the post was set aside unparsed")))
        if parsed:
            result.articles.append(merge_posts(parsed, deleted_from_source=not live))
        else:
            result.unbuildable.append(copies[0].article_id)
    return result


def too_big(size: int, max_bytes: int) -> str:
    """Why a file of `size` bytes is not a post."""
    return f"post is {_bytes(size)}, over the limit of {_bytes(max_bytes)} for one post (ETL_MAX_POST_BYTES)"


def _bytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size:,} bytes"


def _rejection(copy: SourceText, error: PostFormatError) -> RejectionRow:
    return RejectionRow(
        post_path=copy.post_path,
        content_sha256=copy.content_sha256,
        article_id=copy.article_id,
        reason=str(error),
        field_name=error.field_name,
        line_number=error.line,
        raw_text=copy.raw.decode("utf-8", errors="replace"),
    )

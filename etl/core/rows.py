"""The rows the transform writes, declared once: the posts parser builds them, the warehouse derives
their Arrow schemas from them (`etl.warehouse.loads.arrow_schema`), and tests/unit/test_rows.py
holds their fields to the columns of `sql/schema/`."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Annotated, NamedTuple

Int32 = Annotated[int, "int32"]
"""An INTEGER column (Python's int is stored as BIGINT otherwise)."""
LargeText = Annotated[str, "large_string"]
"""Text that can be megabytes long: a batch of it may pass Arrow's 2 GB limit for plain strings."""


@dataclass(frozen=True)
class ArticleRow:
    article_id: str
    title: str | None
    published_at: datetime | None
    published_date: date | None
    category: str | None
    media: str | None
    digest: str | None
    body_text: LargeText
    source_url: str | None
    share_url: str | None
    layout: str
    post_paths: list[str]
    best_post_path: str
    title_variants: list[str]
    deleted_from_source: bool


@dataclass(frozen=True)
class ArticleTagRow:
    article_id: str
    tag_id: str
    name: str
    kind: str


@dataclass(frozen=True)
class StockMentionRow:
    article_id: str
    secid: str
    market_id: Int32
    code: str
    name: str | None
    security_type: str
    mention_count: Int32
    sources: list[str]


@dataclass(frozen=True)
class RejectionRow:
    post_path: str
    content_sha256: str
    article_id: str
    reason: str
    field_name: str | None
    line_number: Int32 | None
    raw_text: LargeText


class MentionPlaceRow(NamedTuple):
    """Where a security the article's codes or markup give stands in the article: name matching's
    update of that `stock_mention` row (`etl.warehouse.names`). A tuple, as `NameMentionRow`: name
    matching makes one per mention, and tuples are cheap to make and to turn into columns."""

    article_id: str
    secid: str
    in_title: bool
    first_offset: Int32 | None
    name_count: Int32
    relevance: float


NameMentionRow = NamedTuple("NameMentionRow", [
    *((field.name, field.type) for field in fields(StockMentionRow)),
    *((name, MentionPlaceRow.__annotations__[name]) for name in MentionPlaceRow._fields[2:]),
    ("also_secids", "list[str]"),
])
NameMentionRow.__doc__ = """A security the article names without a code or markup: a whole `stock_mention` row
(`etl.warehouse.names`) with sources ['name']: a mention's columns, its place's, and the other
securities of the same name (`also_secids`)."""

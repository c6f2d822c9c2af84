"""One source file turned into one parsed post, or a `PostFormatError` saying why it cannot be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from etl.core.calendar import SHANGHAI
from etl.posts.body import Body, parse_body
from etl.posts.frontmatter import PostFormatError, normalize_text, parse_front_matter
from etl.posts.identity import PostIdentity, identify
from etl.posts.mentions import MentionScan, find_mentions

_BINARY_SAMPLE = 4096


@dataclass(frozen=True)
class ParsedPost:
    post_path: str
    identity: PostIdentity
    title: str | None
    published_at: datetime | None
    category: str | None
    tag: str | None
    body: Body
    mentions: MentionScan
    notes: tuple[str, ...]

    @property
    def article_id(self) -> str:
        return self.identity.article_id

    @property
    def media(self) -> str | None:
        """The attribution, else the media name that NW posts carry as their tag (`<media>新闻`)."""
        if self.body.media:
            return self.body.media
        if self.identity.feed == "media" and self.tag and self.tag.endswith("新闻"):
            return self.tag[: -len("新闻")] or None
        return None


def decode(raw: bytes) -> str:
    """UTF-8 text of a post, or a `PostFormatError` for binary and non-UTF-8 files."""
    if b"\x00" in raw[:_BINARY_SAMPLE]:
        raise PostFormatError("file is binary (contains NUL bytes), not a Markdown post")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PostFormatError(
            f"file is not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} "
            "(GBK or Latin-1? re-save it as UTF-8)",
            line=line,
        ) from None


def partition_date(identity: PostIdentity, published_at: datetime | None) -> date | None:
    """The post's date: from the file name, else the front matter, else the date inside the id."""
    if identity.name_date:
        return identity.name_date
    if published_at:
        return published_at.astimezone(SHANGHAI).date()
    return identity.id_date


def parse_post(post_path: str, text: str, *, today: date | None = None) -> ParsedPost:
    identity = identify(post_path)
    if today and identity.name_date and identity.name_date > today:
        raise PostFormatError(f"file name date {identity.name_date} is in the future (today is {today})")
    front = parse_front_matter(normalize_text(text))
    if not front.body.strip():
        raise PostFormatError("front matter but no body: the post has no text", line=front.body_line)
    if today and front.published_at and front.published_at.astimezone(SHANGHAI).date() > today:
        raise PostFormatError(
            f"date {front.fields.get('date')!r} is in the future (today is {today.isoformat()})",
            field_name="date",
        )
    body = parse_body(front.body)
    if not body.text and not body.digest:
        raise PostFormatError("body holds no article text (only links or navigation)", line=front.body_line)
    mentions = find_mentions(body.html, body.text, body.digest, front.title)
    return ParsedPost(
        post_path=post_path,
        identity=identity,
        title=front.title,
        published_at=front.published_at,
        category=front.category,
        tag=front.tags,
        body=body,
        mentions=mentions,
        notes=front.notes,
    )

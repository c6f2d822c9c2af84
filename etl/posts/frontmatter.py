"""Front matter of a Jekyll post, tolerant of every quirk the scraper left behind.

The scraper wrote `title: "..."` without escaping, so a title with `"` or `\\` is invalid YAML;
we read the scraper's own `key: value` lines when YAML refuses. Values are kept as text: YAML's
own timestamp typing would turn some dates into datetimes and leave others (`+0800`) as strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import yaml

from etl.core.calendar import SHANGHAI

_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]?(.*)$")
_DATE = re.compile(
    r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})"
    r"(?:[ T]+(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?"
    r"[ \t]*(?P<offset>Z|[+-]\d{2}:?\d{2})?$"
)
_EMPTY_DATE = re.compile(r"^(?:Z|[+-]\d{2}:?\d{2})?$")


class PostFormatError(ValueError):
    """A post that cannot become an article; the message says which field and what is wrong."""

    def __init__(self, message: str, *, line: int | None = None, field_name: str | None = None):
        super().__init__(message)
        self.line = line
        self.field_name = field_name

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.args[0]}{where}"


@dataclass(frozen=True)
class FrontMatter:
    fields: dict[str, str]
    body: str
    body_line: int
    """1-based line number of the first body line, for messages about the body."""
    published_at: datetime | None
    notes: tuple[str, ...] = field(default=())
    """Quirks met on the way (YAML fallback, missing offset...), for lineage, not errors."""

    @property
    def title(self) -> str | None:
        return self.fields.get("title") or None

    @property
    def category(self) -> str | None:
        return self.fields.get("categories") or None

    @property
    def tags(self) -> str | None:
        return self.fields.get("tags") or None


def normalize_text(text: str) -> str:
    """Drop a byte-order mark and turn CRLF/CR line ends into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split_front_matter(text: str) -> tuple[list[str], str, int, int]:
    """Return (front matter lines, body, line of the opening '---', first body line)."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines):
        raise PostFormatError("file is empty (no front matter, no body)")
    if lines[start].strip() != "---":
        raise PostFormatError(
            f"no front matter: expected '---' but the first line is {_excerpt(lines[start])!r}",
            line=start + 1,
        )
    for end in range(start + 1, len(lines)):
        if lines[end].strip() == "---":
            return lines[start + 1 : end], "\n".join(lines[end + 1 :]), start + 1, end + 2
    raise PostFormatError("unterminated front matter: no closing '---'", line=start + 1)


def _read_key_lines(lines: list[str], first_line: int) -> dict[str, str]:
    fields: dict[str, str] = {}
    seen_on: dict[str, int] = {}
    for offset, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _KEY_LINE.match(line.strip())
        if not match:
            raise PostFormatError(
                f"front matter line is not 'key: value': {_excerpt(line)!r}", line=first_line + offset
            )
        key, value = match.group(1), _unquote(match.group(2).strip())
        if key in seen_on and fields[key] != value:
            raise PostFormatError(
                f"front matter key {key!r} appears twice with different values "
                f"(lines {seen_on[key]} and {first_line + offset})",
                line=first_line + offset,
                field_name=key,
            )
        fields[key] = value
        seen_on[key] = first_line + offset
    return fields


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _parse_yaml(lines: list[str]) -> dict[str, str] | None:
    """The front matter as YAML reads it (values stripped), or None when YAML refuses it or reads
    something else than a mapping of strings."""
    simple = _simple_key_values(lines)
    if simple is not None:
        return simple
    try:
        return _string_mapping(yaml.parse("\n".join(lines), Loader=_YAML_LOADER))
    except yaml.YAMLError:
        return None


def _string_mapping(events: Iterator[yaml.Event]) -> dict[str, str] | None:
    """The one document of a YAML stream as a mapping of strings (values stripped), read from the
    parser's events; None for any other document, or where loading it fails (no document or two,
    an alias to no anchor, an anchor given twice).

    The events are left at the first collection inside the mapping: loading would build it, nested
    as deep as it goes (deep enough to exhaust Python's recursion), only for the mapping to be refused.
    """
    next(events)  # the stream's start
    document = next(events)
    root = next(events) if isinstance(document, yaml.DocumentStartEvent) else None
    if not isinstance(root, yaml.MappingStartEvent):
        return None
    anchors: dict[str, str | None] = {root.anchor: None} if root.anchor else {}  # None: not a string
    fields: dict[str, str] = {}
    key: str | None = None
    for event in events:
        if isinstance(event, yaml.MappingEndEvent):
            break
        if isinstance(event, yaml.AliasEvent):
            text = anchors.get(event.anchor)
        elif isinstance(event, yaml.ScalarEvent) and event.anchor not in anchors:
            text = event.value
            if event.anchor is not None:
                anchors[event.anchor] = text
        else:
            return None  # a collection, or an anchor given twice
        if text is None:
            return None
        if key is None:
            key = text
        else:
            fields[key] = text.strip()
            key = None
    next(events)  # the document's end
    return fields if isinstance(next(events), yaml.StreamEndEvent) else None


_YAML_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

# Front matter YAML cannot read in any other way: `key: value` lines (and blank or `#` lines) whose
# value is a plain word run without YAML syntax in it, or quotes with nothing to unescape. The
# scraper wrote almost every post so, and reading it here is many times cheaper than YAML's
# Python-level constructor. Anything else goes to YAML.
_SIMPLE_KEY_VALUE = re.compile(
    r"""([A-Za-z_][\w-]*):(?:\ (?:"[^"\\]*"|'[^']*'|(?![-?:,\[\]{}#&*!|>'"%@`\s])(?:[^:#\t]|:(?!\ |$)|(?<!\ )\#)*))?"""
)
_OUTSIDE_YAML_TEXT = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
"""Characters YAML refuses or reads as line breaks or marks (control characters, NEL, U+2028/9, BOM)."""


def _simple_key_values(lines: list[str]) -> dict[str, str] | None:
    fields: dict[str, str] = {}
    for line in lines:
        if not line or line.startswith("#"):
            continue
        match = _SIMPLE_KEY_VALUE.fullmatch(line)
        if not match or _OUTSIDE_YAML_TEXT.search(line):
            return None
        value = line[match.end(1) + 2 :]
        fields[match.group(1)] = (value[1:-1] if value[:1] in ("'", '"') else value).strip()
    return fields or None  # no key at all: YAML reads no mapping


def parse_date(raw: str, *, line: int | None = None) -> datetime | None:
    """Parse the scraper's date; None when it left the date empty. No offset means Shanghai time."""
    value = raw.strip()
    if _EMPTY_DATE.match(value):
        return None
    match = _DATE.match(value)
    if not match:
        raise PostFormatError(f"date {value!r} is not 'YYYY-MM-DD HH:MM:SS [+HHMM]'", line=line, field_name="date")
    time_part = match.group("time") or "00:00:00"
    if time_part.count(":") == 1:
        time_part += ":00"
    try:
        naive = datetime.strptime(f"{match.group('date')} {time_part.split('.')[0]}", "%Y-%m-%d %H:%M:%S")
    except ValueError as exc:
        raise PostFormatError(f"date {value!r} does not exist: {exc}", line=line, field_name="date") from None
    published = naive.replace(tzinfo=_zone(match.group("offset"), value, line))
    # The warehouse stores the instant in UTC and files the post under its Shanghai date; offsets of
    # hours can take only the first and the last year out of the calendar.
    if naive.year in (1, 9999):
        try:
            published.astimezone(timezone.utc)
            published.astimezone(SHANGHAI)
        except OverflowError:
            raise PostFormatError(
                f"date {value!r} is out of range: in UTC or Asia/Shanghai time it falls outside the years 1 to 9999",
                line=line, field_name="date",
            ) from None
    return published


def _zone(offset: str | None, value: str, line: int | None) -> timezone:
    if offset is None:
        return SHANGHAI
    if offset == "Z":
        return timezone.utc
    sign = 1 if offset[0] == "+" else -1
    digits = offset[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    if delta > timedelta(hours=14):
        raise PostFormatError(f"date {value!r} has an impossible offset {offset}", line=line, field_name="date")
    return timezone(sign * delta)


def parse_front_matter(text: str) -> FrontMatter:
    """Split a normalized post into its front matter fields and body."""
    lines, body, open_line, body_line = split_front_matter(text)
    notes: list[str] = []
    if open_line > 1:
        notes.append("blank line before front matter")
    # Duplicate keys and malformed lines are errors whatever YAML thinks of them.
    by_lines = _read_key_lines(lines, open_line + 1)
    fields = _parse_yaml(lines)
    if fields is None:
        notes.append("front matter is not valid YAML; read line by line")
        fields = by_lines
    date_line = next((open_line + 1 + i for i, l in enumerate(lines) if l.strip().startswith("date")), None)
    published_at = parse_date(fields.get("date", ""), line=date_line)
    if published_at is not None and not _DATE.match(fields["date"].strip()).group("offset"):
        notes.append("date without offset; read as Asia/Shanghai")
    return FrontMatter(fields=fields, body=body, body_line=body_line, published_at=published_at, notes=tuple(notes))


def _excerpt(line: str, limit: int = 60) -> str:
    return line if len(line) <= limit else line[:limit] + "…"

"""Which article a file belongs to, and which daily partition it lands in, from its path alone.

`2022-01-16-NW202201162249223073.md` and `2022-01-16-202201162249223073.md` are the media and the
emnews copy of one story: the article id is the 18 digits, `NW` dropped. A name without such an id
(`2021-12-01-init.md`) keeps its file stem, which is stable as long as the file keeps its name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})?-(?P<feed>NW)?(?P<id>\d{18})$")
_DATED_NAME = re.compile(r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})-")


@dataclass(frozen=True, slots=True)
class PostIdentity:
    article_id: str
    feed: str
    """`media` for `NW` files, `emnews` for plain ids, `other` for names without an id."""
    name_date: date | None
    id_date: date | None


@lru_cache(maxsize=4096)
def _to_date(text: str | None) -> date | None:
    # Cached: a scan asks for the same few hundred dates once per file.
    if not text:
        return None
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except ValueError:
        return None


def identify(post_path: str) -> PostIdentity:
    stem = post_path.rpartition("/")[2]  # the file name; PurePosixPath would cost more than the rest
    if stem.lower().endswith(".md"):
        stem = stem[:-3]
    match = _POST_NAME.match(stem)
    if match:
        name_date, feed, digits = match.group("date", "feed", "id")
        return PostIdentity(
            article_id=digits,
            feed="media" if feed else "emnews",
            name_date=_to_date(name_date),
            id_date=_to_date(f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"),
        )
    dated = _DATED_NAME.match(stem)
    return PostIdentity(article_id=stem, feed="other", name_date=_to_date(dated and dated.group("date")), id_date=None)

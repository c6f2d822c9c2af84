"""Where each security stands in one article, and how relevant it is: the `stock_mention` rows name
matching writes. A security found by name alone makes a whole row (`NameMentionRow`); one the
article's codes and markup give keeps the row the code parser made and gets its place
(`MentionPlaceRow`). Pure: an article's text and coded mentions in, rows out.

For each security:
- `in_title`: the title names it, by a name the matcher counts there or by its code (a `title`
  source of the code parser);
- `first_offset`: the first character of `body_text` where a name of it or its code stands;
- `name_count`: occurrences of its names in the digest and the body (the matcher's count);
- `relevance`: `etl.posts.names.relevance(in_title, in_lead, count)`, `in_lead` being a name or the
  code in the digest or the first `LEAD_CHARS` characters of the body, `count` the most of
  `name_count` and the coded `mention_count`;
- `also_secids` (found by name alone): the other securities the same name stands for (an A share
  and its H share).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from etl.core.rows import MentionPlaceRow, NameMentionRow
from etl.posts import markets
from etl.posts.names import LEAD_CHARS, NameMatcher, relevance

NAME_SOURCES = ["name"]


class CodedMention(NamedTuple):
    """What name matching needs of a mention the code and markup parser found."""

    secid: str
    name: str | None
    """The name written with the code or in the link; None for a chart alone."""
    code: str
    mention_count: int
    in_title: bool
    """The parser found the code in the title (its `title` source)."""


def article_name_facts(matcher: NameMatcher, article_id: str, title: str | None, digest: str | None,
                       body_text: str | None, media: str | None, coded: Iterable[CodedMention],
                       places: list[MentionPlaceRow], names: list[NameMentionRow]) -> None:
    """Append one article's rows: to `places` one for each security its codes and markup give,
    whether or not a name of it is in the text; to `names` one for each other security its names
    give."""
    coded = {mention.secid: mention for mention in coded}
    title, body, digest = title or "", body_text or "", digest or ""
    found = matcher.find_names(title, body, digest, media=media,
                               claimed={secid: mention.name for secid, mention in coded.items()})
    for secid, mention in coded.items():
        named = found.get(secid)
        at = body.find(mention.code)
        offsets = [at] if at >= 0 else []
        if named:
            in_title, in_lead, count = named.in_title, named.in_lead, max(named.count, mention.mention_count)
            offsets += [named.first_offset] if named.first_offset is not None else []
        else:
            in_title, in_lead, count = False, False, mention.mention_count
        in_title = in_title or mention.in_title or mention.code in title
        in_lead = in_lead or mention.code in digest or 0 <= at < LEAD_CHARS
        places.append(MentionPlaceRow(article_id, secid, in_title, min(offsets) if offsets else None,
                                      named.count if named else 0, relevance(in_title, in_lead, count)))
    for secid, named in found.items():
        if secid in coded:
            continue
        market, _, code = secid.partition(".")
        market_id = int(market)
        names.append(NameMentionRow(
            article_id, secid, market_id, code, named.names[0] if named.names else None,
            markets.security_type(market_id, code), max(named.count, 1), NAME_SOURCES, named.in_title,
            named.first_offset, named.count, named.relevance, list(named.also_secids)))

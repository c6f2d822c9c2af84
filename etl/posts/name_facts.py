"""Where each security stands in one article, and how relevant it is: the `stock_mention` rows name
matching writes, as `NameFactRow`s: a security found by name alone, or one the article's codes and
markup give (kept as the code parser found it, its place and relevance added). Pure: an article's
text and coded mentions in, rows out.

For each security:
- `in_title`: the title names it, by a name the matcher counts there or by its code (a `title`
  source of the code parser);
- `first_offset`: the first character of `body_text` where a name of it or its code stands;
- `name_count`: occurrences of its names in the digest and the body (the matcher's count);
- `relevance`: `etl.posts.names.relevance(in_title, in_lead, count)`, `in_lead` being a name or the
  code in the digest or the first `LEAD_CHARS` characters of the body, `count` the most of
  `name_count` and the coded `mention_count`;
- `also_secids`: the other securities the same name stands for (an A share and its H share).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from etl.core.rows import NameFactRow
from etl.posts import markets
from etl.posts.names import LEAD_CHARS, NameMatcher, relevance


def article_name_facts(matcher: NameMatcher, article: Mapping[str, Any]) -> Iterator[NameFactRow]:
    """One article's `stock_mention` rows: one for each security its names give, and one for each
    security its codes and markup give (as the code parser found it), whether or not a name of it
    is in the text. `article` holds `article_id`, `title`, `digest`, `body_text`, `media` and
    `coded`: the code and markup mentions (`secid`, `market_id`, `code`, `name`, `security_type`,
    `mention_count`, `sources` each)."""
    coded = {row["secid"]: row for row in article["coded"]}
    title, body, digest = article["title"] or "", article["body_text"] or "", article["digest"] or ""
    found = matcher.find_names(title, body, digest, media=article["media"],
                               claimed={secid: row["name"] for secid, row in coded.items()})
    for secid in sorted(found.keys() | coded.keys()):
        mention, row = found.get(secid), coded.get(secid)
        offsets = [mention.first_offset] if mention and mention.first_offset is not None else []
        in_title = bool(mention and mention.in_title)
        in_lead = bool(mention and mention.in_lead)
        count = mention.count if mention else 0
        if row:  # as the code parser found it, with its place
            market_id, code, name = row["market_id"], row["code"], row["name"]
            security_type, mention_count, sources = row["security_type"], row["mention_count"], list(row["sources"])
            at = body.find(code)
            offsets += [at] if at >= 0 else []
            in_title = in_title or "title" in sources or code in title
            in_lead = in_lead or code in digest or 0 <= at < LEAD_CHARS
            count = max(count, mention_count)
        else:
            market, _, code = secid.partition(".")
            market_id, name = int(market), mention.names[0] if mention.names else None
            security_type, mention_count, sources = markets.security_type(market_id, code), max(count, 1), ["name"]
        yield NameFactRow(
            article_id=article["article_id"], secid=secid, market_id=market_id, code=code, name=name,
            security_type=security_type, mention_count=mention_count, sources=sources, claimed=row is not None,
            in_title=in_title, first_offset=min(offsets) if offsets else None,
            name_count=mention.count if mention else 0, relevance=relevance(in_title, in_lead, count),
            also_secids=list(mention.also_secids) if mention and not row else [])

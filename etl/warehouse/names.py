"""Mentions by name: the security dictionary's names found in articles written without a code.

Runs after the stock_mentions step has published the code and markup mentions, on the queue
`pending_name_match`: the articles whose mentions were just replaced, plus, when the dictionary
changed since the last match (`matched_name`), the articles that hold a name it added, changed or
dropped. Each batch of articles is read from the warehouse (text, and the securities its codes and
markup name), matched on the worker processes (`etl.posts.names.NameMatcher`, built once and sent
to each worker once), and written in one transaction with its share of the queue: mentions found
by name alone replace the articles' earlier ones, every coded mention gets its place in the text
and its relevance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from etl.core.rows import NameFactRow
from etl.parallel import ordered_map, worker_count
from etl.posts import markets
from etl.posts.names import LEAD_CHARS, NameMatcher, SecurityName, relevance
from etl.warehouse import loads
from etl.warehouse.derivation import articles_containing
from etl.warehouse.sql import read_sql, run_script

NAME_BATCH_ARTICLES = 4000
"""Articles matched and stored per transaction (shared among the worker processes)."""
NAME_FACT_SCHEMA = loads.arrow_schema(NameFactRow)


@dataclass(frozen=True)
class NameSummary:
    articles_matched: int
    name_mentions: int
    """Mentions found by name alone in the matched articles."""
    dictionary_names: int
    changed_names: int
    """Names the dictionary added, changed or dropped since the last match."""
    dictionary_version: str


def dictionary(conn) -> list[SecurityName]:
    """The dictionary the matcher uses: learned names and the imported master."""
    return [SecurityName(secid, name, origin, tuple(aliases), article_count)
            for secid, name, origin, aliases, article_count in conn.execute(read_sql("load/name_dictionary.sql")).fetchall()]


def dictionary_version(entries: list[SecurityName]) -> str:
    """A digest of the (secid, name) pairs the matcher can find: what decides its results."""
    digest = hashlib.sha256()
    for secid, name in sorted(_pairs(entries)):
        digest.update(f"{secid}\t{name}\n".encode())
    return digest.hexdigest()[:16]


def match_names(conn, *, workers: int) -> NameSummary:
    entries = dictionary(conn)
    pairs = pa.table({"secid": [s for s, _ in _pairs(entries)], "name": [n for _, n in _pairs(entries)]})
    with loads.registered(conn, {"dictionary_names": pairs}):
        changed = [row[0] for row in conn.execute(read_sql("load/changed_names.sql")).fetchall()]
        with loads.transaction(conn):
            if changed:
                _queue(conn, articles_containing(conn, changed))
            run_script(conn, "load/record_matched_names.sql")
    queued = [row[0] for row in conn.execute("SELECT article_id FROM pending_name_match ORDER BY 1").fetchall()]
    batches = [queued[i : i + NAME_BATCH_ARTICLES] for i in range(0, len(queued), NAME_BATCH_ARTICLES)]
    workers = worker_count(workers, len(queued))
    parts = (part for ids in batches for part in _split(_sources(conn, ids[0], ids[-1]), workers))
    facts = ordered_map(_match_part, parts, workers=workers, initializer=_use_matcher,
                        initargs=(NameMatcher(entries),))
    found = 0
    for ids in batches:
        batch = pa.concat_tables([next(facts) for _ in range(workers)])  # `_split` makes `workers` parts
        found += batch.num_rows - (pc.sum(batch["claimed"]).as_py() or 0)
        relations = {"name_fact": batch, "matched_article": pa.table({"article_id": pa.array(ids, pa.string())})}
        with loads.registered(conn, relations), loads.transaction(conn):
            run_script(conn, "load/store_name_mentions.sql")
    return NameSummary(articles_matched=len(queued), name_mentions=found, dictionary_names=pairs.num_rows,
                       changed_names=len(changed), dictionary_version=dictionary_version(entries))


def _pairs(entries: list[SecurityName]) -> list[tuple[str, str]]:
    return sorted({(e.secid, name) for e in entries for name in (e.name, *e.aliases)})


def _queue(conn, article_ids: list[str]) -> None:
    with loads.registered(conn, {"renamed": pa.table({"article_id": pa.array(article_ids, pa.string())})}):
        conn.execute("INSERT OR IGNORE INTO pending_name_match SELECT article_id FROM renamed")


def _sources(conn, first: str, last: str) -> list[dict]:
    return conn.execute(read_sql("load/name_match_sources.sql"), {"first": first, "last": last}) \
        .to_arrow_table().to_pylist()


def _split(articles: list[dict], parts: int) -> list[list[dict]]:
    """Exactly `parts` lists, some perhaps empty, so that a batch's results are its next `parts`."""
    share = max(1, -(-len(articles) // parts))
    split = [articles[i : i + share] for i in range(0, len(articles), share)]
    return split + [[]] * (parts - len(split))


_matcher: NameMatcher | None = None


def _use_matcher(matcher: NameMatcher) -> None:
    global _matcher
    _matcher = matcher


def _match_part(articles: list[dict]) -> pa.Table:
    rows = [fact for article in articles for fact in article_name_facts(_matcher, article)]
    return loads.arrow_of(rows, NAME_FACT_SCHEMA)


def article_name_facts(matcher: NameMatcher, article: dict) -> Iterator[NameFactRow]:
    """One article's facts: a row for each security its names give, and one for each security its
    codes and markup give, whether or not a name of it is in the text."""
    coded = {row["secid"]: row for row in article["coded"]}
    title, body, digest = article["title"] or "", article["body_text"] or "", article["digest"]
    found = matcher.find_names(title, body, digest, media=article["media"],
                               claimed={secid: row["name"] for secid, row in coded.items()})
    for secid, mention in found.items():
        market_id, code = _market_and_code(secid, coded.get(secid))
        yield NameFactRow(
            article_id=article["article_id"], secid=secid, market_id=market_id, code=code,
            name=mention.names[0] if mention.names else None,
            security_type=markets.security_type(market_id, code), claimed=secid in coded,
            in_title=mention.in_title or (secid in coded and "title" in coded[secid]["sources"]),
            first_offset=mention.first_offset, name_count=mention.count,
            relevance=mention.relevance, also_secids=list(mention.also_secids))
    for secid, row in coded.items():
        if secid in found:
            continue
        in_title = "title" in row["sources"] or row["code"] in title
        offset = body.find(row["code"])
        first_offset = offset if offset >= 0 else None
        in_lead = bool(digest and row["code"] in digest) or (first_offset is not None and first_offset < LEAD_CHARS)
        yield NameFactRow(
            article_id=article["article_id"], secid=secid, market_id=int(secid.split(".")[0]), code=row["code"],
            name=row["name"], security_type=markets.security_type(int(secid.split(".")[0]), row["code"]), claimed=True, in_title=in_title, first_offset=first_offset,
            name_count=0, relevance=relevance(in_title, in_lead, row["mention_count"]), also_secids=[])


def _market_and_code(secid: str, coded: dict | None) -> tuple[int, str]:
    market, _, code = secid.partition(".")
    return int(market), coded["code"] if coded else code

"""Mentions by name: the security dictionary's names found in articles written without a code.

Runs in the stock_mentions step, after the code and markup mentions are published and the learned
names rebuilt from them (`learn_names`), on the queue `pending_name_match`: the articles whose
mentions were just replaced, plus, when the dictionary changed since the last match
(`matched_name`), the articles that hold a name it added, changed or dropped
(`derivation.articles_containing`). Each batch of articles is read from the warehouse (text, and the
securities its codes and markup give), matched on the worker processes (`etl.posts.names.NameMatcher`,
built once and sent to each worker once; `etl.posts.name_facts` makes the rows), and written in one
transaction with its share of the queue: mentions found by name alone replace the articles' earlier
ones, every coded mention gets its place in the text and its relevance.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from etl.core.rows import MentionPlaceRow, NameMentionRow
from etl.parallel import ordered_map, worker_count
from etl.posts.name_facts import CodedMention, article_name_facts
from etl.posts.names import NameMatcher, SecurityName
from etl.warehouse import loads
from etl.warehouse.derivation import articles_containing, record_dictionary_version
from etl.warehouse.sql import read_sql, run_script, transaction

NAME_BATCH_ARTICLES = 4000
"""Articles matched and stored per transaction (shared among the worker processes)."""
MENTION_PLACE_SCHEMA = loads.arrow_schema(MentionPlaceRow)
NAME_MENTION_SCHEMA = loads.arrow_schema(NameMentionRow)


@dataclass(frozen=True)
class NameSummary:
    articles_matched: int
    name_mentions: int
    """Mentions found by name alone in the matched articles."""
    dictionary_names: int
    """(secid, name) pairs in the dictionary."""
    changed_names: int
    """Names the dictionary added, changed or dropped since the last match."""
    rematched: int
    """Articles queued because they hold a changed name (the others were queued by their rebuild)."""
    dictionary_version: str


def learn_names(conn) -> int:
    """Rebuild `learned_security_name` from the code and markup mentions; returns its rows."""
    with transaction(conn):
        run_script(conn, "load/learn_security_names.sql")
    return conn.execute("SELECT count(*) FROM learned_security_name").fetchone()[0]


def dictionary(conn) -> list[SecurityName]:
    """The dictionary the matcher uses: learned names and the imported master."""
    return [SecurityName(secid, name, origin, tuple(aliases), article_count)
            for secid, name, origin, aliases, article_count
            in conn.execute(read_sql("load/name_dictionary.sql")).fetchall()]


def dictionary_version(entries: list[SecurityName]) -> str:
    """A digest of the (secid, name) pairs the matcher can find: what decides its results."""
    digest = hashlib.sha256()
    for secid, name in _pairs(entries):
        digest.update(f"{secid}\t{name}\n".encode())
    return digest.hexdigest()[:16]


def match_names(conn, *, workers: int, now: datetime) -> NameSummary:
    """Queue the articles a dictionary change affects, then match every queued article."""
    entries = dictionary(conn)
    pairs = _pairs(entries)
    version = dictionary_version(entries)
    names = pa.table({"secid": pa.array([s for s, _ in pairs], pa.string()),
                      "name": pa.array([n for _, n in pairs], pa.string())})
    with loads.registered(conn, {"dictionary_names": names}):
        changed = [row[0] for row in conn.execute(read_sql("load/changed_names.sql")).fetchall()]
        affected = pa.table({"article_id": pa.array(articles_containing(conn, changed) if changed else [], pa.string())})
        with transaction(conn), loads.registered(conn, {"renamed": affected}):
            rematched = conn.execute(read_sql("load/queue_name_match.sql")).fetchone()[0]
            run_script(conn, "load/record_matched_names.sql")
            record_dictionary_version(conn, version, now)
    queued = [row[0] for row in conn.execute("SELECT article_id FROM pending_name_match ORDER BY 1").fetchall()]
    batches = [queued[i : i + NAME_BATCH_ARTICLES] for i in range(0, len(queued), NAME_BATCH_ARTICLES)]
    workers = worker_count(workers, len(queued))
    parts = (part for ids in batches for part in _split(_sources(conn, ids[0], ids[-1]), workers))
    facts = ordered_map(_match_part, parts, workers=workers, initializer=_use_matcher,
                        initargs=(NameMatcher(entries),))
    found = 0
    for ids in batches:
        # `_split` makes `workers` parts: a batch's results are the next `workers`.
        places, names = (pa.concat_tables(tables) for tables in zip(*(next(facts) for _ in range(workers))))
        found += names.num_rows
        relations = {"mention_place": places, "name_mention": names,
                     "matched_article": pa.table({"article_id": pa.array(ids, pa.string())})}
        with loads.registered(conn, relations), transaction(conn):
            run_script(conn, "load/store_name_mentions.sql")
    return NameSummary(articles_matched=len(queued), name_mentions=found, dictionary_names=len(pairs),
                       changed_names=len(changed), rematched=rematched, dictionary_version=version)


def _pairs(entries: list[SecurityName]) -> list[tuple[str, str]]:
    return sorted({(e.secid, name.strip()) for e in entries for name in (e.name, *e.aliases) if name.strip()})


def _sources(conn, first: str, last: str) -> pa.Table:
    return conn.sql(read_sql("load/name_match_sources.sql"), params={"first": first, "last": last}).to_arrow_table()


def _split(articles: pa.Table, parts: int) -> list[pa.Table]:
    """Exactly `parts` tables, some perhaps empty, so that a batch's results are its next `parts`.
    Arrow crosses to the workers far cheaper than Python rows, and the workers make the rows. Each
    part is taken (copied), not sliced: a pickled slice carries its whole parent's buffers."""
    share = max(1, -(-articles.num_rows // parts))
    return [articles.take(pa.array(range(i * share, min((i + 1) * share, articles.num_rows)), pa.int64()))
            for i in range(parts)]


_matcher: NameMatcher | None = None


def _use_matcher(matcher: NameMatcher) -> None:
    global _matcher
    _matcher = matcher


def _match_part(articles: pa.Table) -> tuple[pa.Table, pa.Table]:
    """The places of the coded mentions of `articles` and their mentions by name alone."""
    places: list[MentionPlaceRow] = []
    names: list[NameMentionRow] = []
    columns = [articles.column(name).to_pylist() for name in _SOURCE_COLUMNS]
    for article_id, title, digest, body_text, media, *coded in zip(*columns):
        article_name_facts(_matcher, article_id, title, digest, body_text, media,
                           map(CodedMention._make, zip(*coded)), places, names)
    return loads.arrow_of_tuples(places, MENTION_PLACE_SCHEMA), loads.arrow_of_tuples(names, NAME_MENTION_SCHEMA)


_SOURCE_COLUMNS = ("article_id", "title", "digest", "body_text", "media", *(f"coded_{field}" for field in CodedMention._fields))
"""The columns of `name_match_sources.sql`: the article, then one list per field of its coded mentions."""

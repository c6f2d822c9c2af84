"""Derived tables are a function of `raw_post`: which articles must be derived again, and why.

`raw_post` keeps every file version's bytes, so `article`, `article_tag`, `tag`, `stock_mention`,
`security` and `learned_security_name` can always be rebuilt from it without the posts folder.
`extraction_state` records the version of the extraction rules (`etl.posts.version.rules_version`)
and of the security dictionary that the derived rows follow. Before the articles step parses the
queue (`pending_article`), `queue_rederivation` adds to it, in one transaction with the new
version:

- every article, for `etl rebuild` (which also drops the rows of articles raw_post does not hold),
  or when the rules changed since the stored version (a warehouse from before versioning counts
  as changed);
- otherwise, the articles that raw_post holds a live file of but that have no `article` row and are
  not quarantined: a warehouse damaged by hand (rows deleted) repairs itself on its next load.

The queue is then worked off in batches, each in its own transaction, exactly like the articles
whose files changed: a run that fails half-way leaves the rest queued for the next. The security
dictionary's own changes are handled by name matching (`etl.warehouse.names`), which queues only
the articles holding a changed name (`articles_containing`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import ahocorasick_rs
import pyarrow as pa

from etl.posts.names import _fold
from etl.posts.version import rules_version
from etl.warehouse.loads import registered
from etl.warehouse.sql import read_sql, run_script, transaction

TEXT_BATCH_ROWS = 2000
"""Articles' texts read per Arrow batch when searching them for changed names."""
SQL_SEARCH_NAMES = 32
"""At most this many changed names are searched in SQL, one `contains` per name and article; more
go through Aho-Corasick, one pass per article whatever their number."""


@dataclass(frozen=True)
class Rederivation:
    articles: int
    """Articles queued here, beyond those already queued because their files changed."""
    reason: str | None
    """Why, in words; None when nothing was queued."""
    rules_version: str


def stored_versions(conn) -> tuple[str | None, str | None]:
    """The (rules version, dictionary version) the warehouse's derived rows follow; None for each
    that was never recorded."""
    rows = conn.execute("SELECT rules_version, dictionary_version FROM extraction_state").fetchall()
    return rows[0] if rows else (None, None)


def rules_change(conn) -> tuple[str | None, str] | None:
    """(stored, current) rules versions when they differ and the warehouse holds articles derived by
    the stored ones (or by rules from before versioning); None when the rules are the stored ones."""
    stored, _ = stored_versions(conn)
    current = rules_version()
    if stored == current:
        return None
    if stored is None and not conn.execute("SELECT count(*) FROM article").fetchone()[0]:
        return None  # a new warehouse: nothing was derived yet
    return stored, current


def queue_rederivation(conn, *, now: datetime, everything: bool = False) -> Rederivation:
    """Queue what must be derived again (the module docstring) and record the rules version, in one
    transaction. `everything`: `etl rebuild`."""
    current = rules_version()
    with transaction(conn):
        change = rules_change(conn)
        if everything:
            run_script(conn, "load/drop_underived.sql")
            queued = _queue(conn, "load/every_article.sql", now)
            reason = "etl rebuild: every article derived again from raw_post"
        elif change:
            queued = _queue(conn, "load/every_article.sql", now)
            stored = change[0] or "none recorded"
            reason = f"the extraction rules changed ({stored} -> {current}): every article derived again"
        else:
            queued = _queue(conn, "load/missing_articles.sql", now)
            reason = f"{queued} articles had files in raw_post but no row: repaired" if queued else None
        conn.execute(read_sql("load/record_rules_version.sql"), {"rules_version": current, "now": now})
    return Rederivation(articles=queued, reason=reason if queued or everything else None, rules_version=current)


def _queue(conn, script: str, now: datetime) -> int:
    """Queue the article ids `script` selects that are not queued yet; returns how many."""
    return conn.execute(f"INSERT INTO pending_article SELECT article_id, $now FROM ({read_sql(script)}) "
                        "WHERE article_id NOT IN (SELECT article_id FROM pending_article)", {"now": now}).fetchone()[0]


def record_dictionary_version(conn, version: str, now: datetime) -> None:
    """The name mentions now follow dictionary `version` (in the caller's transaction)."""
    conn.execute(read_sql("load/record_dictionary_version.sql"), {"dictionary_version": version, "now": now,
                                                                  "rules_version": rules_version()})


def articles_containing(conn, names: Iterable[str]) -> list[str]:
    """Articles not already queued for name matching whose title, digest or body holds one of
    `names` as the matcher reads text (full-width forms as half-width, letters in either case).
    A few names without a character that folding touches (most Chinese names) are searched by
    DuckDB (`contains`, on its threads, the text never leaving it); the others with one Aho-Corasick
    pass over each article's folded text, whatever their number."""
    folded = {_fold(name.strip()) for name in names} - {""}
    literal = sorted(name for name in folded if not any(c.isascii() or "\uff01" <= c <= "\uff5e" for c in name))
    if len(literal) > SQL_SEARCH_NAMES:
        literal = []
    found = set()
    if literal:
        with registered(conn, {"searched_name": pa.table({"name": pa.array(literal, pa.string())})}):
            found.update(row[0] for row in conn.execute(read_sql("load/articles_containing.sql")).fetchall())
    searched = sorted(folded.difference(literal))
    if searched:
        automaton = ahocorasick_rs.AhoCorasick(searched, implementation=ahocorasick_rs.Implementation.ContiguousNFA)
        reader = conn.sql(read_sql("load/article_texts.sql")).to_arrow_reader(TEXT_BATCH_ROWS)
        for batch in reader:
            for article_id, text in zip(batch.column("article_id").to_pylist(), batch.column("text").to_pylist()):
                if automaton.find_matches_as_indexes(_fold(text)):
                    found.add(article_id)
    return sorted(found)

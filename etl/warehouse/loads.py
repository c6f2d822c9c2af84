"""Bulk writes, one transaction each: a batch of file versions into raw_post, the end of a scan,
a batch of rebuilt articles, published tags and mentions, the security dimension. Every function
takes an open DuckDB connection."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from types import UnionType
from typing import Annotated, Union, get_args, get_origin, get_type_hints

import pyarrow as pa

from etl.core.rows import ArticleRow, ArticleTagRow, RejectionRow, StockMentionRow
from etl.posts import markets
from etl.posts.build import BuildResult, SourceText
from etl.warehouse.sql import read_sql, run_script, transaction


def arrow_of(rows: list, schema: pa.Schema) -> pa.Table:
    """Column-wise Arrow table of the `schema`'s attributes of rows (no per-row dicts)."""
    return pa.table({name: [getattr(row, name) for row in rows] for name in schema.names}, schema=schema)


def arrow_of_tuples(rows: list[tuple], schema: pa.Schema) -> pa.Table:
    """Arrow table of rows that are tuples of the `schema`'s columns, in its order (`NamedTuple` rows)."""
    columns = list(zip(*rows)) if rows else [()] * len(schema)
    return pa.table(dict(zip(schema.names, columns)), schema=schema)


@dataclass(frozen=True)
class IncomingVersion:
    post_path: str
    content_sha256: str
    article_id: str
    partition_date: date | None
    size_bytes: int
    mtime_ns: int | None
    text_utf8: bytes
    """The file's text as UTF-8 (the file itself when it is valid UTF-8): DuckDB turns it into
    `raw_text`, so no Python str is made of it."""
    raw_bytes: bytes | None
    read_error: str | None


INCOMING_SCHEMA = pa.schema([
    ("post_path", pa.string()), ("content_sha256", pa.string()), ("article_id", pa.string()),
    ("partition_date", pa.date32()), ("size_bytes", pa.int64()), ("mtime_ns", pa.int64()),
    ("text_utf8", pa.large_binary()), ("raw_bytes", pa.large_binary()), ("read_error", pa.string()),
])


LISTING_SCHEMA = pa.schema([("post_path", pa.string()), ("size_bytes", pa.int64()), ("mtime_ns", pa.int64())])
"""The folder as `classify_files.sql` reads it: each file's path, size and mtime."""


@dataclass(frozen=True, slots=True)
class ScanEntry:
    """A path the scan has to look at (`classify_files.sql`), with what the warehouse holds for it."""

    post_path: str
    action: str
    """`read` (on disk, not vouched for by its stamp) or `vanished` (held as present, gone)."""
    stored_sha256: str | None
    stored_deleted: bool | None
    stored_partition_date: date | None


def classify_files(conn, listing: pa.Table, *, trust_stamps: bool) -> tuple[list[ScanEntry], dict[date | None, int]]:
    """Compare the folder's `listing` with the current versions (the plan's comparison, on a
    read-only connection, and the scan's), leaving the result in the temporary table `scan_plan`
    for `record_scan`. Returns the paths to read or mark vanished, in path order,
    and how many untouched files there are per stored partition date."""
    with registered(conn, {"listing": listing}):
        conn.execute(f"CREATE OR REPLACE TEMP TABLE scan_plan AS {read_sql('load/classify_files.sql')}",
                     {"trust_stamps": trust_stamps})
    entries = [ScanEntry(*row) for row in conn.execute(
        "SELECT post_path, action, stored_sha256, stored_deleted, stored_partition_date FROM scan_plan "
        "WHERE action <> 'untouched' ORDER BY post_path").fetchall()]
    untouched = dict(conn.execute(
        "SELECT stored_partition_date, count(*) FROM scan_plan WHERE action = 'untouched' GROUP BY ALL").fetchall())
    return entries, untouched


def store_versions(conn, incoming: list[IncomingVersion], *, run_id: str, now: datetime) -> None:
    """Store one batch of new and changed versions and queue their articles, in one transaction."""
    with registered(conn, {"incoming": arrow_of(incoming, INCOMING_SCHEMA)}), transaction(conn):
        run_script(conn, "load/store_versions.sql", {"now": now, "run_id": run_id})


@dataclass
class SeenFiles:
    """Files a scan read and found unchanged, column by column."""

    post_path: list[str] = field(default_factory=list)
    content_sha256: list[str] = field(default_factory=list)
    mtime_ns: list[int | None] = field(default_factory=list)
    """The stamp to keep: the file's mtime now, or None when it is too fresh to trust."""

    def add(self, post_path: str, content_sha256: str, mtime_ns: int | None) -> None:
        self.post_path.append(post_path)
        self.content_sha256.append(content_sha256)
        self.mtime_ns.append(mtime_ns)


SEEN_SCHEMA = pa.schema([("post_path", pa.string()), ("content_sha256", pa.string()), ("mtime_ns", pa.int64())])


def record_scan(conn, *, covered_dates: list[date | None], seen: SeenFiles, vanished: list[str], now: datetime) -> None:
    """Refresh `last_seen_at` of the untouched files of `scan_plan` whose partition is one of
    `covered_dates` and of the `seen` ones (and their stamp), mark vanished files deleted and queue
    their articles, in one transaction."""
    relations = {
        "covered_dates": pa.table({"day": pa.array(covered_dates, pa.date32())}),
        "seen": pa.table({name: getattr(seen, name) for name in SEEN_SCHEMA.names}, schema=SEEN_SCHEMA),
        "vanished": pa.table({"post_path": pa.array(vanished, pa.string())}),
    }
    with registered(conn, relations), transaction(conn):
        run_script(conn, "load/record_scan.sql", {"now": now})


def pending_articles(conn) -> list[str]:
    return [row[0] for row in conn.execute("SELECT article_id FROM pending_article ORDER BY 1").fetchall()]


def pending_sources(conn, first: str, last: str) -> list[SourceText]:
    """Current file versions of the queued articles `first`..`last` (ids in queue order)."""
    table = conn.sql(read_sql("load/pending_sources.sql"), params={"first": first, "last": last}) \
        .to_arrow_table().to_pydict()
    return [
        SourceText(post_path=path, content_sha256=sha, article_id=article_id, raw=raw, deleted=deleted,
                   read_error=read_error)
        for path, sha, article_id, raw, read_error, deleted in zip(
            table["post_path"], table["content_sha256"], table["article_id"], table["raw"],
            table["read_error"], table["deleted"],
        )
    ]


_ARROW_TYPES = {str: pa.string(), int: pa.int64(), bool: pa.bool_(), float: pa.float64(), date: pa.date32(),
                datetime: pa.timestamp("us", tz="UTC"), "int32": pa.int32(), "large_string": pa.large_string()}


def arrow_schema(row_type: type) -> pa.Schema:
    """The Arrow schema of a row dataclass (`etl.core.rows`): one column per field, in order."""
    return pa.schema([(name, _arrow_type(hint)) for name, hint in get_type_hints(row_type, include_extras=True).items()])


def _arrow_type(hint) -> pa.DataType:
    if get_origin(hint) is Annotated:
        return _ARROW_TYPES[hint.__metadata__[0]]
    if get_origin(hint) in (Union, UnionType):
        (inner,) = [arg for arg in get_args(hint) if arg is not type(None)]
        return _arrow_type(inner)
    if get_origin(hint) is list:
        return pa.list_(_arrow_type(get_args(hint)[0]))
    return _ARROW_TYPES[hint]


ARTICLE_SCHEMA = arrow_schema(ArticleRow)
TAG_SCHEMA = arrow_schema(ArticleTagRow)
MENTION_SCHEMA = arrow_schema(StockMentionRow)
REJECTION_SCHEMA = arrow_schema(RejectionRow)


@dataclass(frozen=True)
class ArticleTables:
    """Rebuilt articles as the Arrow tables `replace_articles` stores, made from a `BuildResult` in
    the worker process that built it (`of` is the `shape` of `build_in_batches`)."""

    articles: pa.Table
    tags: pa.Table
    """Tags of the articles, and a marker row (NULL tag) for each article without any."""
    mentions: pa.Table
    """Mentions of the articles, and a marker row (NULL secid) for each article without any."""
    rejections: pa.Table
    unbuildable: list[str]

    @classmethod
    def of(cls, result: BuildResult) -> ArticleTables:
        built = {m.article.article_id for m in result.articles}
        tags = [t for m in result.articles for t in m.tags]
        mentions = [s for m in result.articles for s in m.mentions]
        # Marker rows: an article rebuilt with no tags or mentions must still clear its old ones.
        bare_for_tags = sorted(built - {t.article_id for t in tags})
        bare_for_mentions = sorted(built - {s.article_id for s in mentions})
        return cls(
            articles=arrow_of([m.article for m in result.articles], ARTICLE_SCHEMA),
            tags=pa.concat_tables([arrow_of(tags, TAG_SCHEMA), _markers(bare_for_tags, TAG_SCHEMA)]),
            mentions=pa.concat_tables([arrow_of(mentions, MENTION_SCHEMA), _markers(bare_for_mentions, MENTION_SCHEMA)]),
            rejections=arrow_of(result.rejections, REJECTION_SCHEMA),
            unbuildable=result.unbuildable,
        )

    @classmethod
    def combined(cls, parts: list[ArticleTables]) -> ArticleTables:
        def concat(name: str) -> pa.Table:
            return pa.concat_tables([getattr(part, name) for part in parts])

        return cls(articles=concat("articles"), tags=concat("tags"), mentions=concat("mentions"),
                   rejections=concat("rejections"),
                   unbuildable=[article_id for part in parts for article_id in part.unbuildable])


def _markers(article_ids: list[str], schema: pa.Schema) -> pa.Table:
    return pa.table({"article_id": article_ids} | {name: [None] * len(article_ids) for name in schema.names[1:]},
                    schema=schema)


def replace_articles(conn, built: ArticleTables, pending: list[str], now: datetime) -> None:
    """Swap the rebuilt articles in, their tags and mentions into staging, and clear `pending`
    (the batch of the queue they were built from)."""
    relations = {
        "built_article": built.articles,
        "built_tag": built.tags,
        "built_mention": built.mentions,
        "new_rejection": built.rejections,
        "pending_batch": pa.table({"article_id": pa.array(pending, pa.string())}),
    }
    with registered(conn, relations), transaction(conn):
        run_script(conn, "load/replace_articles.sql", {"now": now})


def publish(conn, script: str) -> int:
    """Run a publish script for the staged rows of one table; returns how many articles it touched."""
    staged_table = {"publish_article_tags.sql": "staged_article_tag",
                    "publish_stock_mentions.sql": "staged_stock_mention"}[script]
    with transaction(conn):
        touched = conn.execute(f"SELECT count(DISTINCT article_id) FROM {staged_table}").fetchone()[0]
        run_script(conn, f"load/{script}")
    return touched


def rebuild_securities(conn) -> int:
    facts = conn.sql(read_sql("load/security_facts.sql")).to_arrow_table()
    exchanges = [markets.exchange(m, c) for m, c in zip(facts["market_id"].to_pylist(), facts["code"].to_pylist())]
    table = facts.append_column("exchange", pa.array(exchanges, pa.string()))
    with registered(conn, {"security_facts": table}), transaction(conn):
        conn.execute("DELETE FROM security")
        conn.execute("INSERT INTO security BY NAME SELECT * FROM security_facts")
    return table.num_rows


@contextmanager
def registered(conn, relations: dict[str, pa.Table]):
    for name, table in relations.items():
        conn.register(name, table)
    try:
        yield
    finally:
        for name in relations:
            conn.unregister(name)

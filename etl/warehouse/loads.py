"""Bulk writes, one transaction each: file versions into raw_post, rebuilt articles, published tags
and mentions, the security dimension. Every function takes an open DuckDB connection."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime

import pyarrow as pa

from etl.posts import markets
from etl.posts.build import BuildResult, SourceText
from etl.warehouse.sql import read_sql, run_script


@contextmanager
def transaction(conn):
    """All or nothing: a failure (or a killed process) leaves the last committed state."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def arrow_of(rows: list, row_type: type, schema: pa.Schema | None = None) -> pa.Table:
    """Column-wise Arrow table of dataclass rows (no per-row dicts)."""
    names = [f.name for f in fields(row_type)]
    columns = {name: [getattr(row, name) for row in rows] for name in names}
    return pa.table(columns, schema=schema) if schema else pa.table(columns)


@dataclass(frozen=True)
class IncomingVersion:
    post_path: str
    content_sha256: str
    article_id: str
    partition_date: date | None
    size_bytes: int
    raw_text: str
    raw_bytes: bytes | None
    read_error: str | None


INCOMING_SCHEMA = pa.schema([
    ("post_path", pa.string()), ("content_sha256", pa.string()), ("article_id", pa.string()),
    ("partition_date", pa.date32()), ("size_bytes", pa.int64()), ("raw_text", pa.large_string()),
    ("raw_bytes", pa.large_binary()), ("read_error", pa.string()),
])


def current_versions(conn) -> pa.Table:
    return conn.sql(read_sql("load/current_versions.sql")).to_arrow_table()


def record_versions(conn, *, incoming: list[IncomingVersion], seen: list[tuple[str, str]],
                    vanished: list[str], affected_articles: set[str], run_id: str, now: datetime) -> None:
    """Store new versions, refresh `last_seen_at`, mark vanished files and queue their articles."""
    relations = {
        "incoming": arrow_of(incoming, IncomingVersion, INCOMING_SCHEMA),
        "seen": pa.table({"post_path": [p for p, _ in seen], "content_sha256": [h for _, h in seen]},
                         schema=pa.schema([("post_path", pa.string()), ("content_sha256", pa.string())])),
        "vanished": pa.table({"post_path": pa.array(vanished, pa.string())}),
        "affected": pa.table({"article_id": pa.array(sorted(affected_articles), pa.string())}),
    }
    with _registered(conn, relations), transaction(conn):
        run_script(conn, "load/record_versions.sql", {"now": now, "run_id": run_id})


def pending_sources(conn) -> tuple[list[SourceText], list[str]]:
    """Current file versions of every queued article, and the queued ids themselves."""
    pending = [row[0] for row in conn.execute("SELECT article_id FROM pending_article ORDER BY 1").fetchall()]
    table = conn.sql(read_sql("load/pending_sources.sql")).to_arrow_table().to_pydict()
    sources = [
        SourceText(
            post_path=path, content_sha256=sha, article_id=article_id,
            raw=raw_bytes if raw_bytes is not None else text.encode("utf-8"), deleted=deleted,
            read_error=read_error, partition_date=day,
        )
        for path, sha, article_id, text, raw_bytes, read_error, deleted, day in zip(
            table["post_path"], table["content_sha256"], table["article_id"], table["raw_text"],
            table["raw_bytes"], table["read_error"], table["deleted"], table["partition_date"],
        )
    ]
    return sources, pending


ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("title", pa.string()), ("published_at", pa.timestamp("us", tz="UTC")),
    ("published_date", pa.date32()), ("category", pa.string()), ("media", pa.string()),
    ("digest", pa.string()), ("body_text", pa.large_string()), ("source_url", pa.string()),
    ("share_url", pa.string()), ("layout", pa.string()), ("post_paths", pa.list_(pa.string())),
    ("best_post_path", pa.string()), ("title_variants", pa.list_(pa.string())),
    ("deleted_from_source", pa.bool_()), ("partition_date", pa.date32()),
])
TAG_SCHEMA = pa.schema([("article_id", pa.string()), ("tag_id", pa.string()), ("name", pa.string()),
                        ("kind", pa.string())])
MENTION_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("secid", pa.string()), ("market_id", pa.int32()), ("code", pa.string()),
    ("name", pa.string()), ("security_type", pa.string()), ("mention_count", pa.int32()),
    ("sources", pa.list_(pa.string())),
])
REJECTION_SCHEMA = pa.schema([
    ("post_path", pa.string()), ("content_sha256", pa.string()), ("article_id", pa.string()),
    ("reason", pa.string()), ("field_name", pa.string()), ("line_number", pa.int32()),
    ("raw_text", pa.large_string()),
])


def replace_articles(conn, result: BuildResult, pending: list[str], partitions: dict[str, date | None],
                     now: datetime) -> None:
    """Swap the rebuilt articles in, their tags and mentions into staging, and clear the queue."""
    built = {m.article.article_id for m in result.articles}
    article_columns = {name: [getattr(m.article, name) for m in result.articles] for name in ARTICLE_SCHEMA.names
                       if name != "partition_date"}
    article_columns["partition_date"] = [partitions.get(m.article.article_id) for m in result.articles]
    tags = [t for m in result.articles for t in m.tags]
    mentions = [s for m in result.articles for s in m.mentions]
    # Marker rows: an article rebuilt with no tags or mentions must still clear its old ones.
    bare_for_tags = sorted(built - {t.article_id for t in tags})
    bare_for_mentions = sorted(built - {s.article_id for s in mentions})
    tag_table = pa.concat_tables([
        pa.table({n: [getattr(t, n) for t in tags] for n in TAG_SCHEMA.names}, schema=TAG_SCHEMA),
        pa.table({"article_id": bare_for_tags} | {n: [None] * len(bare_for_tags) for n in TAG_SCHEMA.names[1:]},
                 schema=TAG_SCHEMA),
    ])
    mention_table = pa.concat_tables([
        pa.table({n: [getattr(s, n) for s in mentions] for n in MENTION_SCHEMA.names}, schema=MENTION_SCHEMA),
        pa.table({"article_id": bare_for_mentions}
                 | {n: [None] * len(bare_for_mentions) for n in MENTION_SCHEMA.names[1:]}, schema=MENTION_SCHEMA),
    ])
    relations = {
        "built_article": pa.table(article_columns, schema=ARTICLE_SCHEMA),
        "built_tag": tag_table,
        "built_mention": mention_table,
        "new_rejection": pa.table({n: [getattr(r, n) for r in result.rejections] for n in REJECTION_SCHEMA.names},
                                  schema=REJECTION_SCHEMA),
        "pending_batch": pa.table({"article_id": pa.array(pending, pa.string())}),
    }
    with _registered(conn, relations), transaction(conn):
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
    with _registered(conn, {"security_facts": table}), transaction(conn):
        conn.execute("DELETE FROM security")
        conn.execute("INSERT INTO security BY NAME SELECT * FROM security_facts")
    return table.num_rows


@contextmanager
def _registered(conn, relations: dict[str, pa.Table]):
    for name, table in relations.items():
        conn.register(name, table)
    try:
        yield
    finally:
        for name in relations:
            conn.unregister(name)

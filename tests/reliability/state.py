"""What a warehouse holds that a clean load of the same folder must hold too: per table (and per
analyst view) its live rows, counted and fingerprinted, without the times and run ids that say when
they were written. History a warehouse keeps (deleted files and articles) is left out: a clean load
never saw it. The work queues must be empty after a finished load."""

import hashlib
from pathlib import Path

import duckdb

from etl.warehouse.sql import view_files, view_name

LIVE_ARTICLE = "article_id IN (SELECT article_id FROM article WHERE NOT deleted_from_source)"
TABLES = {
    "raw_post": "SELECT * EXCLUDE (is_current, deleted_at, first_seen_at, last_seen_at, first_run_id, mtime_ns) "
                "FROM raw_post WHERE is_current AND deleted_at IS NULL",
    "article": "SELECT * EXCLUDE (loaded_at) FROM article WHERE NOT deleted_from_source",
    "tag": f"SELECT * FROM tag WHERE tag_id IN (SELECT tag_id FROM article_tag WHERE {LIVE_ARTICLE})",
    "article_tag": f"SELECT * FROM article_tag WHERE {LIVE_ARTICLE}",
    "stock_mention": f"SELECT * FROM stock_mention WHERE {LIVE_ARTICLE}",
    "security": "SELECT * FROM security",
    "rejected_post": "SELECT * EXCLUDE (rejected_at) FROM rejected_post",
}
QUEUES = ("pending_article", "staged_article_tag", "staged_stock_mention")


def warehouse_state(database: Path) -> dict[str, tuple[int, str]]:
    """{table or view: (rows, SHA-256 of its sorted rows)}; the queues' row counts under their names."""
    state = {}
    with duckdb.connect(str(database), read_only=True) as conn:
        queries = TABLES | {name: f"SELECT * FROM {name}" for name in map(view_name, view_files())}
        for name, sql in queries.items():
            rows = sorted(map(repr, conn.execute(sql).fetchall()))
            state[name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        for queue in QUEUES:
            state[queue] = conn.execute(f"SELECT count(*) FROM {queue}").fetchall()[0][0]
    return state

"""What `queue_rederivation` queues, and why, on a warehouse built by hand in memory; and the bulk
search of changed names (`articles_containing`)."""

from datetime import datetime, timezone

import duckdb
import pytest

from etl.posts import version
from etl.warehouse.derivation import SQL_SEARCH_NAMES, articles_containing, queue_rederivation, rules_change, stored_versions
from etl.warehouse.sql import apply_schema

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


@pytest.fixture
def conn():
    conn = duckdb.connect(":memory:")
    apply_schema(conn)
    return conn


def add_file(conn, article_id, *, deleted=False, rejected=False):
    path = f"_posts/{article_id}.md"
    conn.execute("INSERT INTO raw_post (post_path, content_sha256, article_id, size_bytes, raw_text, is_current, "
                 "deleted_at, first_seen_at, last_seen_at, first_run_id) VALUES (?, 'h', ?, 1, 'x', true, ?, ?, ?, 'r')",
                 [path, article_id, NOW if deleted else None, NOW, NOW])
    if rejected:
        conn.execute("INSERT INTO rejected_post VALUES (?, 'h', ?, 'broken', NULL, NULL, 'x', ?)", [path, article_id, NOW])


def add_article(conn, article_id, title="", body=""):
    conn.execute("INSERT INTO article (article_id, title, body_text, layout, post_paths, best_post_path, "
                 "title_variants, deleted_from_source, loaded_at) VALUES (?, ?, ?, 'plain', [], '', [], false, ?)",
                 [article_id, title, body, NOW])


def queued(conn):
    return [row[0] for row in conn.execute("SELECT article_id FROM pending_article ORDER BY 1").fetchall()]


def test_a_new_warehouse_records_the_rules_and_queues_nothing(conn):
    assert rules_change(conn) is None
    done = queue_rederivation(conn, now=NOW)
    assert (done.articles, done.reason) == (0, None)
    assert stored_versions(conn) == (version.rules_version(), None)


def test_other_rules_queue_every_article_once(conn, monkeypatch):
    queue_rederivation(conn, now=NOW)
    for article_id in ("A", "B"):
        add_file(conn, article_id)
        add_article(conn, article_id)
    assert queue_rederivation(conn, now=NOW).articles == 0
    monkeypatch.setattr(version, "RULES_EPOCH", version.RULES_EPOCH + 1)
    assert rules_change(conn)[1] == version.rules_version()
    done = queue_rederivation(conn, now=NOW)
    assert done.articles == 2 and done.reason.startswith("the extraction rules changed")
    assert queued(conn) == ["A", "B"]
    assert rules_change(conn) is None  # recorded with the queue: a failed run leaves the queue, not the change


def test_a_warehouse_from_before_versioning_counts_as_other_rules(conn):
    add_file(conn, "A")
    add_article(conn, "A")
    assert rules_change(conn) == (None, version.rules_version())
    assert queue_rederivation(conn, now=NOW).articles == 1


def test_missing_articles_are_repaired_but_not_quarantined_or_deleted_ones(conn):
    queue_rederivation(conn, now=NOW)
    add_file(conn, "KEPT")
    add_article(conn, "KEPT")
    add_file(conn, "LOST")
    add_file(conn, "REJECTED", rejected=True)
    add_file(conn, "GONE", deleted=True)
    done = queue_rederivation(conn, now=NOW)
    assert (done.articles, queued(conn)) == (1, ["LOST"])
    assert done.reason == "1 articles had files in raw_post but no row: repaired"


def test_a_rebuild_queues_everything_and_drops_rows_raw_post_does_not_feed(conn):
    add_file(conn, "A")
    add_article(conn, "A")
    add_article(conn, "STRAY")
    conn.execute("INSERT INTO stock_mention (article_id, secid, market_id, code, security_type, mention_count, sources) "
                 "VALUES ('STRAY', '1.600519', 1, '600519', 'stock', 1, ['text'])")
    done = queue_rederivation(conn, now=NOW, everything=True)
    assert done.articles == 1 and done.reason.startswith("etl rebuild")
    assert conn.execute("SELECT article_id FROM article").fetchall() == [("A",)]
    assert conn.execute("SELECT count(*) FROM stock_mention").fetchall() == [(0,)]


def test_changed_names_are_found_as_the_matcher_reads_text(conn):
    add_article(conn, "TITLE", title="ＮＩＯ发布新车")
    add_article(conn, "BODY", body="据悉，远海物流中标。")
    add_article(conn, "NONE", body="指数震荡。")
    add_article(conn, "QUEUED", body="远海物流")
    conn.execute("INSERT INTO pending_name_match VALUES ('QUEUED')")
    assert articles_containing(conn, ["nio", " 远海物流 "]) == ["BODY", "TITLE"]  # one by SQL, one by Aho-Corasick
    many = [f"远海物流{chr(0x4E00 + i)}" for i in range(SQL_SEARCH_NAMES)]  # too many for SQL: all by Aho-Corasick
    assert articles_containing(conn, [*many, "远海物流"]) == ["BODY"]
    assert articles_containing(conn, ["远海物流"]) == ["BODY"] and articles_containing(conn, []) == []

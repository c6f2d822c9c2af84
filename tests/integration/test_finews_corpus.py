"""The real posts in ../shared/corpus/finews: skipped only where that folder is absent."""

from pathlib import Path

import pytest

from etl.defs.materialize import run_load
from tests.conftest import FINEWS, query

pytestmark = [pytest.mark.corpus, pytest.mark.skipif(not FINEWS.is_dir(), reason=f"{FINEWS} is absent")]

# Article × secid pairs read off the posts by hand: markup of every kind and codes written in text.
EXPECTED_MENTIONS = {
    "202205262391921712": {"106.NIO", "90.BK0493", "1.600160", "0.300343", "1.600636", "90.BK0839"},
    "202201212257099936": {"0.002752"},
    "202201162249223073": {"1.601939", "116.00939"},
    "202202112274017262": {"116.02338", "0.000338"},
    "202112082206796032": {"116.01928", "116.00027"},
    "202112082206736819": {"116.00388"},
    "202112082206793370": {"116.03868"},
    "202112082206769714": {"1.516380"},
    "202112082207148720": {"0.002007"},
    "202112082206972753": {"1.600028"},
    "202112082206736335": {"1.600519"},
    "202112082206794293": {"116.09988"},
}
NO_MENTIONS = ["202204212352227421", "202204212352230938", "2021-12-01-init"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("finews") / "w.duckdb"
    assert run_load(FINEWS, path).success
    return path


def test_every_file_is_loaded_or_rejected(warehouse):
    files = {p.relative_to(FINEWS).as_posix() for p in FINEWS.rglob("*.md")}
    assert len(files) == 152
    assert {r[0] for r in query(warehouse, "SELECT post_path FROM raw_post")} == files
    fed = {p for (paths,) in query(warehouse, "SELECT post_paths FROM article") for p in paths}
    rejected = {r[0] for r in query(warehouse, "SELECT post_path FROM rejected_post")}
    assert fed | rejected == files and not fed & rejected


def test_152_files_make_139_articles(warehouse):
    assert query(warehouse, "SELECT count(*), count(DISTINCT article_id) FROM article") == [(139, 139)]


def test_no_duplicate_keys(warehouse):
    for table, key in [("article", "article_id"), ("stock_mention", "article_id, secid"),
                       ("article_tag", "article_id, tag_id"), ("tag", "tag_id"), ("security", "secid"),
                       ("raw_post", "post_path, content_sha256"), ("rejected_post", "post_path")]:
        assert query(warehouse, f"SELECT count(*) - count(DISTINCT ({key})) FROM {table}") == [(0,)], table


def test_mentions_from_markup_and_text(warehouse):
    found: dict[str, set[str]] = {}
    for article_id, secid in query(warehouse, "SELECT article_id, secid FROM stock_mention"):
        found.setdefault(article_id, set()).add(secid)
    for article_id, secids in EXPECTED_MENTIONS.items():
        assert found.get(article_id) == secids, article_id
    for article_id in NO_MENTIONS:
        assert article_id not in found


def test_attribution_autolink_is_not_a_mention(warehouse):
    assert query(warehouse, "SELECT count(*) FROM stock_mention WHERE secid = '90.BK0473' "
                            "AND article_id IN ('202205262391921712', '202201212257099936')") == [(0,)]


def test_twins_and_copies_merge(warehouse):
    rows = query(warehouse, "SELECT layout, media, len(post_paths) FROM article WHERE article_id = '202204212352227421'")
    assert rows == [("digest_html", "央视新闻客户端", 2)]
    assert query(warehouse, "SELECT published_at IS NULL, published_date::VARCHAR FROM article "
                            "WHERE article_id = '202205262391921712'") == [(True, "2022-05-26")]


def test_clean_text_has_no_chrome(warehouse):
    assert query(warehouse, "SELECT count(*) FROM article WHERE body_text LIKE '%返回首页%' OR body_text LIKE '%<p%' "
                            "OR body_text LIKE '%文章来源%' OR body_text LIKE '%EM_StockImg%'") == [(0,)]


CORRUPTIONS = {
    "emptied": lambda data: b"",
    "binary": lambda data: b"\x89PNG\r\n\x1a\n\x00" + bytes(range(256)),
    "unterminated front matter": lambda data: data.replace(b"\n---", b"\n", 1),
    "GBK instead of UTF-8": lambda data: data.decode("utf-8-sig").encode("gbk", errors="replace"),
}


def test_a_corrupted_copy_quarantines_exactly_the_broken_files(tmp_path):
    from etl.posts.identity import identify

    posts = tmp_path / "posts"
    files = sorted(p.relative_to(FINEWS).as_posix() for p in FINEWS.rglob("*.md"))
    for rel in files:
        (posts / rel).parent.mkdir(parents=True, exist_ok=True)
        (posts / rel).write_bytes((FINEWS / rel).read_bytes())
    # One file of each kind, spread over the corpus, each with a Chinese body (GBK must differ).
    candidates = [rel for rel in files if any(ord(c) > 0x4E00 for c in (FINEWS / rel).read_text("utf-8")[-200:])]
    broken = {}
    for (kind, corrupt), rel in zip(CORRUPTIONS.items(), candidates[:: len(candidates) // len(CORRUPTIONS)]):
        (posts / rel).write_bytes(corrupt((posts / rel).read_bytes()))
        broken[rel] = kind
    warehouse = tmp_path / "w.duckdb"
    assert run_load(posts, warehouse).success
    rejected = dict(query(warehouse, "SELECT post_path, reason FROM rejected_post"))
    assert len(broken) == len(CORRUPTIONS) and set(rejected) == set(broken), rejected
    assert all(reason for reason in rejected.values())
    assert query(warehouse, "SELECT count(DISTINCT post_path) FROM raw_post") == [(len(files),)]
    loaded = {row[0] for row in query(warehouse, "SELECT article_id FROM article")}
    assert {identify(rel).article_id for rel in files if rel not in broken} <= loaded

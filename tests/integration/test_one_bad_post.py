"""Whatever goes wrong with one post quarantines that post with its reason; no step fails, and the
good posts beside it load exactly. Memory stays bounded whatever one post holds."""

import os
import time
from datetime import date

import pytest

from etl.defs.materialize import run_load
from etl.posts import build
from tests.conftest import age_files, query
from tests.e2e.posts_factory import emnews_post, write

GOOD = 30
SLOW = "_posts/2022-01-03-202201039999000104.md"


def front(day: str, title: str = "测试") -> str:
    return f'---\nlayout: post\ntitle: "{title}"\ndate: {day}\ncategories: emnews\ntags: 东财滚动新闻\n---\n'


@pytest.fixture
def slow_parse_of_one_post(monkeypatch):
    """The parse of `SLOW` hangs, as a post hitting an unknown slow path in a parser would."""
    parse = build.parse_post

    def parse_post(post_path, text, **options):
        if post_path == SLOW:
            time.sleep(600)
        return parse(post_path, text, **options)

    monkeypatch.setattr(build, "parse_post", parse_post)


def test_one_post_of_each_failure_class_beside_good_posts(tmp_path, monkeypatch, slow_parse_of_one_post):
    posts, warehouse = tmp_path / "posts", tmp_path / "w.duckdb"
    write(posts, *(emnews_post(date(2022, 1, 1 + n % 3), n) for n in range(GOOD)))
    bad = {
        "_posts/2022-01-02-202201029999000101.md": front("0001-01-01 00:00:00 +0800") + "正文",
        "_posts/2022-01-02-202201029999000102.md": front("2022-01-02 10:00:00 +0800") + "大" * 4000,
        "_posts/2022-01-02-202201029999000103.md": "---\ntitle: 没有结尾\n正文",
        SLOW: front("2022-01-03 10:00:00 +0800") + "正文",
    }
    write(posts, *bad.items())
    outside = tmp_path / "secret.txt"
    outside.write_text("not a post")
    (posts / "_posts" / "2022-01-02-202201029999000105.md").symlink_to(outside)
    os.close(os.open(os.fsencode(posts / "_posts") + b"/2022-01-02-\xff.md", os.O_CREAT | os.O_WRONLY, 0o644))
    age_files(posts)
    monkeypatch.setenv("ETL_MAX_POST_BYTES", "10000")
    monkeypatch.setenv("ETL_PARSE_SECONDS_PER_FILE", "1")

    result = run_load(posts, warehouse)

    assert result.success
    good_ids = sorted(f"{date(2022, 1, 1 + n % 3):%Y%m%d}{n:010d}" for n in range(GOOD))
    assert [row[0] for row in query(warehouse, "SELECT article_id FROM article ORDER BY 1")] == good_ids
    reasons = dict(query(warehouse, "SELECT post_path, reason FROM rejected_post"))
    assert len(reasons) == 6
    assert "0001-01-01" in reasons["_posts/2022-01-02-202201029999000101.md"]
    big = "_posts/2022-01-02-202201029999000102.md"
    assert reasons[big] == \
        f"post is {len(bad[big].encode()):,} bytes, over the limit of 10,000 bytes for one post (ETL_MAX_POST_BYTES)"
    assert reasons["_posts/2022-01-02-202201029999000103.md"] == "unterminated front matter: no closing '---' (line 1)"
    assert reasons[SLOW] == ("parsing took longer than 1 s (ETL_PARSE_SECONDS_PER_FILE): "
                             "the post was set aside unparsed")
    assert "outside the posts folder" in reasons["_posts/2022-01-02-202201029999000105.md"]
    assert "not valid UTF-8" in reasons["_posts/2022-01-02-\\xff.md"]
    assert query(warehouse, "SELECT count(*) FROM raw_post WHERE raw_text LIKE '%not a post%'") == [(0,)]


def codes_post(day: date, seq: int, codes: range) -> tuple[str, str]:
    path, text = emnews_post(day, seq)
    return path, text + "\n" + "".join(f"样本{code}({code})，" for code in codes)


def test_posts_with_ten_thousand_codes_each_load_and_the_views_stay_bounded(tmp_path):
    """Co-mentions grow with the square of one article's mentions: 10,000 codes made 50 million pairs
    and the views step ran out of memory. Lists that long stay out of the pairs."""
    posts, warehouse = tmp_path / "posts", tmp_path / "w.duckdb"
    write(posts, codes_post(date(2022, 1, 1), 1, range(600000, 610000)),
          codes_post(date(2022, 1, 1), 2, range(601000, 611000)),
          emnews_post(date(2022, 1, 2), 3), emnews_post(date(2022, 1, 2), 4, code="601888", name="样本控股"))
    result = run_load(posts, warehouse)
    assert result.success
    assert query(warehouse, "SELECT count(*) FROM stock_mention WHERE article_id = '202201010000000001'") \
        == [(10000,)]
    assert query(warehouse, "SELECT count(*) FROM security")[0][0] >= 10000
    # Only the two ordinary articles pair: each with its one stock, none together.
    assert query(warehouse, "SELECT count(*) FROM stock_co_mentions") == [(0,)]
    assert query(warehouse, "SELECT count(*) FROM article_search") == [(4,)]

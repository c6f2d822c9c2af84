from datetime import date

import pytest

from etl.posts.article import merge_posts
from etl.posts.build import SourceText
from etl.posts.post import parse_post
from tests.conftest import build_all
from tests.unit.html_samples import (
    EMNEWS_BODY,
    EMNEWS_FRONT,
    MEDIA_BODY,
    MEDIA_FRONT,
    PLAIN_BODY,
    PLAIN_FRONT,
    post,
)

ID = "202201219999000003"


def test_emnews_and_media_twins_merge_into_one_article():
    emnews = parse_post(f"_posts/2022-01-21-{ID}.md", post(EMNEWS_FRONT, EMNEWS_BODY))
    media = parse_post(f"old_post/2022-01-21-NW{ID}.md", post(MEDIA_FRONT, MEDIA_BODY))
    merged = merge_posts([media, emnews])
    article = merged.article
    assert article.article_id == ID
    assert article.layout == "digest_html"
    assert article.category == "emnews"
    assert article.media == "上海证券报"
    assert article.source_url.endswith(f"{ID}.html")
    assert article.share_url.endswith(f"NW{ID}")
    assert article.post_paths == [f"_posts/2022-01-21-{ID}.md", f"old_post/2022-01-21-NW{ID}.md"]
    assert {t.tag_id for t in merged.tags} == {
        "category:emnews", "tag:东财滚动新闻", "category:caijingribao", "tag:财经日报新闻"}
    assert {m.secid for m in merged.mentions} == {"1.600777", "0.300999", "90.BK0999"}


def test_most_complete_copy_wins_and_fills_gaps():
    old_plain = parse_post(f"old_post/2022-01-21-{ID}.md",
                           post(EMNEWS_FRONT | {"title": '""'}, "远航科技今日发布公告。"))
    new_html = parse_post(f"_posts/2022-01-21-{ID}.md", post(EMNEWS_FRONT | {"date": " +0800"}, EMNEWS_BODY))
    article = merge_posts([old_plain, new_html]).article
    assert article.layout == "digest_html"
    assert article.best_post_path.startswith("_posts/")
    assert article.title == "远航科技：储能业务增长"
    assert article.published_date == date(2022, 1, 21)
    assert article.title_variants == []


def test_title_conflict_is_recorded():
    a = parse_post(f"_posts/2022-01-21-{ID}.md", post(EMNEWS_FRONT, EMNEWS_BODY))
    b = parse_post(f"old_post/2022-01-21-{ID}.md", post(EMNEWS_FRONT | {"title": '"另一个标题"'}, EMNEWS_BODY))
    assert merge_posts([a, b]).article.title_variants == sorted(["远航科技：储能业务增长", "另一个标题"])


def test_mentions_are_the_union_with_the_highest_count():
    plain = parse_post("_posts/2021-12-08-202112089999000004.md", post(PLAIN_FRONT, PLAIN_BODY))
    other = parse_post("old_post/2021-12-08-202112089999000004.md",
                       post(PLAIN_FRONT, "红星酒业(600999)与红星酒业(600999)，另见北方矿业(601888)。"))
    mentions = {m.secid: m.mention_count for m in merge_posts([plain, other]).mentions}
    assert mentions["1.600999"] == 2
    assert mentions["1.601888"] == 1
    assert "116.00388" in mentions


def _source(path: str, text: str | bytes, **kw) -> SourceText:
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    from etl.posts.identity import identify
    return SourceText(post_path=path, content_sha256="x", article_id=identify(path).article_id, raw=raw, **kw)


GOOD = post(EMNEWS_FRONT, EMNEWS_BODY)


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "file is empty"),
        (b"---\ntitle: x\n---\n", "no body"),
        ("正文而已".encode(), "no front matter"),
        (b"---\ntitle: x\n", "unterminated front matter"),
        ('---\ntitle: "a"\ntitle: "b"\n---\n正文'.encode(), "appears twice"),
        ("---\ntitle: x\n---\n中文".encode("gbk"), "not UTF-8"),
        ("---\ntitle: café\n---\ncafé".encode("latin-1"), "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        (GOOD.replace("2022-01-21 18:05:40", "2022-13-45 18:05:40").encode(), "does not exist"),
        (GOOD.replace("2022-01-21 18:05:40", "2099-01-21 18:05:40").encode(), "in the future"),
        (GOOD.replace(EMNEWS_BODY, "\n<>\n[返回首页](//finews.withounder.com/)").encode(), "no article text"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(raw, reason):
    result = build_all([_source(f"_posts/2022-01-21-{ID}.md", raw)], today=date(2026, 1, 1), workers=1)
    assert result.articles == []
    assert len(result.rejections) == 1
    assert reason in result.rejections[0].reason
    assert result.rejections[0].post_path == f"_posts/2022-01-21-{ID}.md"


def test_oversize_post_is_rejected_and_other_copy_still_loads():
    big = (GOOD + "。" * 3_000_000).encode()
    result = build_all(
        [_source(f"_posts/2022-01-21-{ID}.md", big), _source(f"old_post/2022-01-21-{ID}.md", GOOD)],
        max_bytes=2 * 2**20, workers=1,
    )
    assert [m.article.post_paths for m in result.articles] == [[f"old_post/2022-01-21-{ID}.md"]]
    assert "over the limit of 2.0 MB" in result.rejections[0].reason


def test_unreadable_file_is_rejected_with_the_os_error():
    result = build_all([_source(f"_posts/2022-01-21-{ID}.md", b"", read_error="cannot read file: Permission denied")],
                            workers=1)
    assert result.rejections[0].reason == "cannot read file: Permission denied"


def test_deleted_copies_keep_the_article_marked():
    result = build_all([_source(f"_posts/2022-01-21-{ID}.md", GOOD, deleted=True)], workers=1)
    assert result.articles[0].article.deleted_from_source is True
    assert result.rejections == []


def test_parallel_build_matches_serial():
    sources = [_source(f"_posts/2022-01-21-2022012199990{i:05d}.md", GOOD) for i in range(500)]
    serial = build_all(sources, workers=1)
    parallel = build_all(sources, workers=2)
    assert [m.article for m in serial.articles] == [m.article for m in parallel.articles]

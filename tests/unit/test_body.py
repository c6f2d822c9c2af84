from etl.posts.body import parse_body
from tests.unit.html_samples import EMNEWS_BODY, HTML, MEDIA_BODY, PLAIN_BODY


def test_digest_then_html():
    body = parse_body(EMNEWS_BODY)
    assert body.layout == "digest_html"
    assert body.digest == "远航科技(300999)今日发布公告，储能业务增长。"
    assert body.source_url == "http://finance.eastmoney.com/news/1354,202201219999000003.html"
    assert body.share_url is None
    assert body.media == "上海证券报"


def test_clean_text_has_paragraphs_and_no_chrome():
    text = parse_body(EMNEWS_BODY).text
    assert text.split("\n\n") == [
        "远航科技发布公告，储能业务增长<预期>。",
        "小标题",
        "远航科技表示业绩稳定。",
        "图片来源：网络",
    ]
    for chrome in ("返回", "http", "文章来源", "K图", "<", "display"):
        assert chrome not in text.replace("<预期>", "")


def test_media_post_is_html_only_with_share_url():
    body = parse_body(MEDIA_BODY)
    assert body.layout == "html"
    assert body.digest is None
    assert body.media == "财经日报"
    assert body.share_url == "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202201219999000003"


def test_plain_text_digest_with_two_line_navigation():
    body = parse_body(PLAIN_BODY)
    assert body.layout == "plain"
    assert body.html is None
    assert body.text.startswith("红星酒业(600999)午后拉升")
    assert "返回" not in body.text
    assert body.source_url == "http://finance.eastmoney.com/news/1344,202112089999000004.html"


def test_empty_link_line_and_html_split_over_lines():
    body = parse_body(HTML.replace("<p><strong>", "\n <p><strong>") + "\n\n<>\n\n[返回首页](//finews.withounder.com/)")
    assert body.source_url is None
    assert "小标题" in body.text


def test_digest_only():
    body = parse_body("> 只有摘要的一行。\n\n<http://finance.eastmoney.com/news/1344,202112089999000005.html>")
    assert body.layout == "digest_only"
    assert body.digest == "只有摘要的一行。"
    assert body.text == ""


def test_broken_html_still_gives_text():
    body = parse_body("<p>未闭合的段落<span>内容<p>第二段</div>")
    assert "未闭合的段落" in body.text and "第二段" in body.text

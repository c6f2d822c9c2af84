"""The quirks the fast readers keep from the slower ones they replaced (BeautifulSoup's `get_text()`,
YAML for every front matter, one regular expression tried at every character): the expected values
are what those gave for the same input."""

import pytest

from etl.posts.body import html_to_text
from etl.posts.frontmatter import _parse_yaml, parse_front_matter
from etl.posts.mentions import _codes_in_text


@pytest.mark.parametrize(("html", "text", "media"), [
    # A whitespace-only run between tags becomes one newline (or one space), as in BeautifulSoup.
    ("<span>一</span>\n\n<span>二</span>", "一\n二", None),
    ("<p>甲</p>\n\n\n<p>乙</p>", "甲\n\n乙", None),
    # The last non-empty attribution wins; one inside another goes with it, hidden or not.
    ('<p class="em_media">（文章来源：外报）<span style="display:none"><p class="em_media">（文章来源：内报）</p>'
     "</span></p>", "", "外报）（文章来源：内报"),
    ('<div style="display:none"><p class="em_media">（文章来源：隐报）</p></div><p>正文</p>', "正文", "隐报"),
    # CSS selectors do not see into <template>, whose strings are not text anyway.
    ('<template><p class="em_media">（文章来源：模板）</p>图<br>行</template><p>正文</p>', "正文", None),
    # Ruby annotations, scripts and comments are not text; the comment still ends a string.
    ("<p>漢<ruby>字<rt>zi</rt></ruby>，<script>x()</script>完<!-- 注 -->结</p>", "漢字，完结", None),
    ("<p>前</p><frameset><p>后</p>", "前\n\n后", None),
])
def test_html_text_is_what_beautifulsoup_gave(html, text, media):
    assert html_to_text(html) == (text, media)


def test_the_reused_parser_starts_clean_after_a_document():
    assert html_to_text("<div><span>未闭合") == ("未闭合", None)
    assert html_to_text("<p>下一篇</p>") == ("下一篇", None)


@pytest.mark.parametrize(("text", "found"), [
    ("名称(600519)", [("名称", "600519")]),
    # At most 16 name characters, the ones right before the code.
    ("很长很长很长很长很长很长很长很长很长的名字(600000)", [("长很长很长很长很长很长很长的名字", "600000")]),
    ("甲 (000001)、乙（300999.SZ）", [("甲", "000001"), ("乙", "300999")]),
    # A name never reaches back into the previous code.
    ("(600000)(600001)", [("", "600000"), ("", "600001")]),
    ("A公司(AAPL.O)", [("A公司", "AAPL")]),
])
def test_codes_in_text_with_the_name_written_before_them(text, found):
    assert [(name, groups["a_code"] or groups["hk_code"] or groups["hk_plain"] or groups["us_code"])
            for name, groups in _codes_in_text(text)] == found


@pytest.mark.parametrize(("lines", "fields"), [
    (["title: 标题", "date: 2022-01-01 10:00:00 +0800"], {"title": "标题", "date": "2022-01-01 10:00:00 +0800"}),
    (['title: "a b"'], {"title": "a b"}),
    (["title: ' 空格 '"], {"title": "空格"}),
    (["title:"], {"title": ""}),
    # YAML syntax in the value: YAML itself reads these.
    (["title: a #c"], {"title": "a"}),
    (['title: "a\\"b"'], {"title": 'a"b'}),
    (["title:  x"], {"title": "x"}),
    (["title: a: b"], None),
    ([], None),
])
def test_front_matter_fields_are_what_yaml_reads(lines, fields):
    assert _parse_yaml(lines) == fields


def test_front_matter_yaml_refuses_falls_back_to_lines():
    front = parse_front_matter('---\ntitle: a: b\n---\n正文')
    assert front.fields == {"title": "a: b"}
    assert front.notes == ("front matter is not valid YAML; read line by line",)

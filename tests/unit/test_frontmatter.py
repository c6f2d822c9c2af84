from datetime import datetime, timedelta, timezone

import pytest

from etl.core.calendar import SHANGHAI
from etl.posts.frontmatter import (
    PostFormatError,
    normalize_text,
    parse_date,
    parse_front_matter,
)

POST = '---\nlayout: post\ntitle: "测试标题"\ndate: 2022-01-16 12:06:58 +0800\ncategories: emnews\ntags: 东财滚动新闻\n---\n正文'


def test_reads_fields_and_body():
    front = parse_front_matter(POST)
    assert front.title == "测试标题"
    assert front.category == "emnews"
    assert front.tags == "东财滚动新闻"
    assert front.body == "正文"
    assert front.published_at == datetime(2022, 1, 16, 12, 6, 58, tzinfo=SHANGHAI)


def test_unescaped_quote_in_title_falls_back_to_lines():
    front = parse_front_matter(POST.replace('"测试标题"', '"他说"不"的理由"'))
    assert front.title == '他说"不"的理由'
    assert any("not valid YAML" in note for note in front.notes)


def test_backslash_in_title_falls_back_to_lines():
    front = parse_front_matter(POST.replace('"测试标题"', '"路径C:\\x\\q"'))
    assert front.title == "路径C:\\x\\q"


def test_tab_after_colon_is_read():
    front = parse_front_matter(POST.replace("categories: emnews", "categories:\temnews"))
    assert front.category == "emnews"


def test_blank_line_before_front_matter():
    front = parse_front_matter("\n" + POST)
    assert front.title == "测试标题"
    assert "blank line before front matter" in front.notes


def test_crlf_and_bom_are_normalized():
    text = normalize_text("\ufeff" + POST.replace("\n", "\r\n"))
    front = parse_front_matter(text)
    assert front.title == "测试标题"
    assert front.body == "正文"


def test_empty_title_and_date():
    front = parse_front_matter(POST.replace('"测试标题"', '""').replace("2022-01-16 12:06:58 +0800", " +0800"))
    assert front.title is None
    assert front.published_at is None


def test_date_without_offset_is_shanghai_time():
    assert parse_date("2021-12-08 10:18:31") == datetime(2021, 12, 8, 10, 18, 31, tzinfo=SHANGHAI)


def test_date_with_other_offset_keeps_the_instant():
    parsed = parse_date("2022-01-16 04:06:58 +0000")
    assert parsed == datetime(2022, 1, 16, 12, 6, 58, tzinfo=SHANGHAI)
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize("raw", ["2022-13-45 10:00:00 +0800", "2022-02-30", "yesterday", "2022-01-01 10:00 +2500"])
def test_impossible_dates_are_errors_naming_the_field(raw):
    with pytest.raises(PostFormatError) as error:
        parse_date(raw, line=4)
    assert error.value.field_name == "date"
    assert "line 4" in str(error.value)


@pytest.mark.parametrize("raw", ["0001-01-01 00:00:00 +0800", "0001-01-01 07:59:59", "9999-12-31 23:59:59 -1200",
                                 "9999-12-31 16:00:00 Z", "9999-12-31 20:00:00 -0001"])
def test_dates_outside_the_calendar_in_utc_or_shanghai_are_errors_naming_the_field(raw):
    with pytest.raises(PostFormatError, match="out of range") as error:
        parse_date(raw, line=4)
    assert error.value.field_name == "date"
    assert str(error.value).startswith(f"date {raw!r}")


@pytest.mark.parametrize(("raw", "utc"), [
    ("0001-01-01 08:00:00 +0800", datetime(1, 1, 1, tzinfo=timezone.utc)),
    ("0001-01-01 00:00:00 Z", datetime(1, 1, 1, tzinfo=timezone.utc)),
    ("9999-12-31 23:59:59", datetime(9999, 12, 31, 15, 59, 59, tzinfo=timezone.utc)),
    ("9999-12-31 15:59:59 Z", datetime(9999, 12, 31, 15, 59, 59, tzinfo=timezone.utc)),
])
def test_the_first_and_last_instants_the_calendar_holds_are_dates(raw, utc):
    assert parse_date(raw).astimezone(timezone.utc) == utc


def test_duplicate_key_with_different_values_is_an_error():
    with pytest.raises(PostFormatError, match="'title' appears twice"):
        parse_front_matter(POST.replace("layout: post", 'layout: post\ntitle: "另一个"'))


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "file is empty"),
        ("\n\n  \n", "file is empty"),
        ("没有前言的正文", "no front matter"),
        ("---\ntitle: x\n正文没有结束", "unterminated front matter"),
    ],
)
def test_structural_errors(text, message):
    with pytest.raises(PostFormatError, match=message):
        parse_front_matter(text)


def test_utc_z_offset():
    assert parse_date("2022-01-16 04:06:58 Z").tzinfo == timezone.utc

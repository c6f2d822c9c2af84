"""Whatever a file holds, parsing it gives a post or a `PostFormatError` (the file is quarantined),
never another exception (the load step would fail for every file with it).

Inputs are random bytes and our own sample posts mutated at random (fixed seeds): hostile tokens
inserted, spans cut or repeated, characters YAML or HTML treat specially, front matter values
replaced by dates outside the calendar and deeply nested YAML.
"""

import random
from datetime import date

import pytest

from etl.posts.article import merge_posts
from etl.posts.build import SourceText, build_batch
from etl.posts.frontmatter import PostFormatError
from etl.posts.post import decode, parse_post, partition_date
from tests.unit.html_samples import EMNEWS_BODY, EMNEWS_FRONT, MEDIA_BODY, MEDIA_FRONT, PLAIN_BODY, PLAIN_FRONT, post

SAMPLES = [post(EMNEWS_FRONT, EMNEWS_BODY), post(MEDIA_FRONT, MEDIA_BODY), post(PLAIN_FRONT, PLAIN_BODY)]
PATHS = ["_posts/2022-01-21-202201219999000003.md", "old_post/-NW202201219999000003.md", "_posts/init.md"]
TOKENS = ["---", "\n---\n", "<!-- EM_StockImg_Start -->", "<!-- EM_StockImg_End -->", "（文章来源：", "）", ")", "(",
          '<p class="em_media">', "</p>", 'data-code="', "|", ",", "\r", "\r\n", "\ufeff", "[", "]", "{", "}", "&x ",
          "*x", '"', "'", "\\", "#", ": ", "\t", "<", ">", "</", "&#x110000;", "&#0;", "<br>", "<div>" * 300,
          "[返回](x)", "\n> ", "(600519)", "(0027.HK)", "(AAPL.O)", '<span class="keytip" data-code="1,600519">',
          'data-code="999999999999999999999,1"', "\n\n", "\u2028", "\x85", "? ", "- ", "%YAML 1.1\n"]
CHARACTERS = ("\x00\x01\x0b\x0c\x1c\x7f\x85\xa0\u2028\u3000\ufeff\U0001f600-:：#（）()[]{}<>/\\\"'=|,.!&*?%@` \t\r\n"
              "0123456789aZ文章来源返回")
FRONT_VALUES = ["0001-01-01 00:00:00 +0800", "9999-12-31 23:59:59 -1200", "0001-01-01", "9999-12-31 20:00 -0100",
                "2022-01-21 18:05:40 +1459", "2022-01-21 18:05:40.999999999 +0800", "0000-00-00", "２０２２-01-01",
                "[" * 600 + "]" * 600, "{a: " * 400 + "}" * 400, "&a x", "*a", '"a\\"b"', "'", "| x", "!!str 1",
                "[a, *b]", "", " +0800", "Z"]
KEYS = ["layout", "title", "date", "categories", "tags"]


def mutated(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 8)):
        at, action = rng.randint(0, len(text)), rng.random()
        if action < 0.15:
            key = rng.choice(KEYS)
            text = "\n".join(f"{key}: {rng.choice(FRONT_VALUES)}" if line.startswith(f"{key}:") else line
                             for line in text.split("\n"))
        elif action < 0.35:
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif action < 0.5:
            text = text[:at] + text[at + rng.randint(1, 20):]
        elif action < 0.65:
            other = rng.randint(0, len(text))
            text = text[:at] + text[min(at, other) : max(at, other)][:2000] + text[at:]
        else:
            written = "".join(rng.choice(CHARACTERS) for _ in range(rng.randint(1, 6)))
            text = text[:at] + written + text[at + rng.randint(0, 3):]
    return text


def hostile_file(seed: int) -> bytes:
    rng = random.Random(seed)
    kind = rng.random()
    if kind < 0.05:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
    raw = bytearray(mutated(rng, rng.choice(SAMPLES)).encode())
    if kind < 0.1:
        raw[rng.randrange(len(raw))] = rng.randrange(256)
    return bytes(raw)


@pytest.mark.parametrize("first", range(0, 4000, 500))
def test_a_hostile_file_is_a_post_or_a_post_format_error(first):
    parsed = rejected = 0
    for seed in range(first, first + 500):
        path = PATHS[seed % len(PATHS)]
        try:
            post_ = parse_post(path, decode(hostile_file(seed)), today=date(2026, 12, 1))
        except PostFormatError:
            rejected += 1
            continue
        # What the load does next with a post must not fail either.
        partition_date(post_.identity, post_.published_at)
        merge_posts([post_])
        parsed += 1
    assert parsed > 100 and rejected > 50  # both ways are exercised


@pytest.mark.parametrize("raw_date", ["0001-01-01 00:00:00 +0800", "0001-01-01 00:00:00", "9999-12-31 23:59:59 -1200"])
def test_a_date_outside_the_calendar_quarantines_the_file(raw_date):
    text = post(EMNEWS_FRONT | {"date": raw_date}, EMNEWS_BODY)
    source = SourceText("_posts/-202201219999000003.md", "sha", "202201219999000003", text.encode())
    result = build_batch([source], None, None)
    assert result.articles == []
    [rejection] = result.rejections
    assert rejection.field_name == "date" and rejection.line_number == 4
    assert rejection.reason.startswith(f"date {raw_date!r} is out of range")

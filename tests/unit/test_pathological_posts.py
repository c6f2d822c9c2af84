"""Posts shaped to make a parser slow: each must parse in time that grows with its size, not faster.

Every input is as large as a post may be (ETL_MAX_POST_BYTES, 2 MiB by default) and built after a
pattern that once took time growing with the square or the cube of the post (hours at this size).
The alarm only stops a parse that hangs; it bounds no speed. Below them, the scans that replaced
those patterns are held to the patterns themselves on short random inputs.
"""

import random
import signal

import pytest
import yaml

from etl.posts import body, frontmatter, mentions
from etl.posts.frontmatter import PostFormatError
from etl.posts.post import parse_post
from tests.unit import reference_patterns

POST_LIMIT = 2 * 1024 * 1024
"""ETL_MAX_POST_BYTES's default: the largest post a load parses."""
HANG_SECONDS = 20
FRONT = '---\nlayout: post\ntitle: "标题"\ndate: 2022-01-21 18:05:40 +0800\ncategories: emnews\ntags: 东财滚动新闻\n---\n'
PATH = "_posts/2022-01-21-202201219999000003.md"


@pytest.fixture
def hang_guard():
    def stop(signum, frame):
        raise TimeoutError(f"still parsing after {HANG_SECONDS} s: the parse does not finish")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(HANG_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def post(head: str, repeated: str, tail: str = "", front: str = FRONT) -> str:
    """`front + head + repeated * n + tail`, with n as large as the post limit allows."""
    room = POST_LIMIT - len((front + head + tail).encode())
    text = front + head + repeated * (room // len(repeated.encode())) + tail
    assert POST_LIMIT - len(repeated.encode()) < len(text.encode()) <= POST_LIMIT
    return text


def parse(text: str):
    return parse_post(PATH, text)


def test_plain_attribution_left_open_before_whitespace(hang_guard):
    for spaces in ("\n", " ", " \n\u3000"):
        parsed = parse(post("正文（文章来源：某报", spaces, "x"))
        assert parsed.body.media is None and parsed.body.text.startswith("正文（文章来源：某报")


def test_plain_attribution_opened_again_and_again(hang_guard):
    assert parse(post("正文", "（文章来源：")).body.media is None
    closed = parse(post("正文", "（文章来源：", "某报）\n"))
    assert closed.body.text == "正文" and closed.body.media.endswith("：某报")


def test_tags_with_data_code_never_closed(hang_guard):
    for repeated in ("<a ", "<span data-code=", '<a data-code="1,600000" class="keytip"'):
        parsed = parse(post("<p>正文</p>", repeated))
        assert parsed.mentions.mentions == {} and parsed.body.text == "正文"


def test_chart_blocks_never_ended(hang_guard):
    for repeated in ("<!-- EM_StockImg_Start -->", "<!--" + " " * 30, '<!-- EM_StockImg_Start --><a data-code="6|1|1">'):
        parsed = parse(post("<p>正文</p>", repeated))
        assert parsed.mentions.mentions == {} and parsed.body.text.startswith("正文")


def test_navigation_lines_that_turn_out_to_be_text(hang_guard):
    for repeated in (" ", "[返回](x) ", "[返回](x)｜ "):
        assert parse(post("正文\n[返回](x)", repeated, "y")).body.text.endswith("y")
    assert parse(post("正文\n[返回](x)", "｜[返回](x)")).body.text == "正文"


def test_attribution_paragraphs_open_and_unclosed(hang_guard):
    spaced = parse(post('<p>正文</p><p class="em_media">（文章来源：', " ", "x</p>"))
    assert spaced.body.media.startswith("（文章来源：") and spaced.body.media.endswith("x")
    for repeated in ('<p class="em_media">', "<p ", "<p class=em_media "):
        assert parse(post("<p>正文</p>", repeated)).body.text == "正文"


def test_long_runs_inside_a_tag_with_a_code(hang_guard):
    for repeated in ("a", "a=", 'a="', " "):
        parsed = parse(post('<p><a class="keytip" data-code="1,600000" ', repeated, ">名称</a></p>"))
        assert set(parsed.mentions.mentions) == {"1.600000"}


def test_html_nested_without_end_is_refused(hang_guard):
    for opening, closing in (("<span>", "</div>"), ("<div>", "</span>"), ("<b><i>", "</p>")):
        with pytest.raises(PostFormatError, match="nests more than 256 elements"):
            parse(post(opening * (POST_LIMIT // 16 // len(opening)), closing))


def test_front_matter_collections(hang_guard):
    head, tail = FRONT.split("emnews")
    flow = parse(post(head + "[", "a, ", "]" + tail + "正文", front=""))
    assert flow.category.startswith("[a, a, ") and "front matter is not valid YAML; read line by line" in flow.notes
    deep = parse(FRONT.replace("categories: emnews", "categories: " + "[" * 900 + "]" * 900) + "正文")
    assert deep.category.startswith("[[[")


# The scans against the patterns they replaced, on short inputs built from the pieces those patterns
# care about.

def soups(pieces: list[str], count: int = 3000, seed: int = 0):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))


MARKUP = ["<!-- EM_StockImg_Start -->", "<!--EM_StockImg_End-->", "<!-- EM_StockImg_End -->", "<!--", "-->", "<p", "<P",
          "<p>", "</p>", "</P>", "<pre", ' class="em_media"', " class=em_media", "class=\"EM_MEDIA'", "<a", "<A ",
          "<span", "<spanx", "<abbr", ' data-code="1,600519"', " data-code=", "xdata-code=", ' class="keytip"', ">", "<",
          " ", "\n", "文", "a", "=", '"', "-", "ſ"]


def test_chart_blocks_are_what_the_pattern_found():
    for html in soups(MARKUP):
        expected = (reference_patterns.CHART_BLOCK.sub("", html), reference_patterns.CHART_BLOCK.findall(html))
        assert body.split_chart_blocks(html) == expected, html


def test_attribution_paragraphs_are_what_the_pattern_found():
    for html in soups(MARKUP):
        assert mentions.strip_attribution(html) == reference_patterns.ATTRIBUTION_PARAGRAPH.sub("", html), html


def test_tags_with_a_code_are_what_the_pattern_found():
    for html in soups(MARKUP):
        expected = [(attributes, inner) for _, attributes, inner in reference_patterns.TAG_WITH_CODE.findall(html)]
        assert list(mentions._tags_with_code(html)) == expected, html


def test_attributes_are_what_the_pattern_found():
    for attributes in soups(["a", "data-code", "-", "_", "=", " ", "\t", '"', "'", "1,600519", "文", ">", "<"]):
        assert mentions._ATTRIBUTE.findall(attributes) == reference_patterns.ATTRIBUTE.findall(attributes), attributes


ATTRIBUTIONS = ["（", "(", "）", ")", "文章来源", "：", ":", " ", "\n", "\u3000", "\t", "某报", "x", "（文章来源：", "(文章来源:"]


def test_plain_attributions_are_what_the_pattern_found():
    for content in soups(ATTRIBUTIONS):
        found = reference_patterns.PLAIN_ATTRIBUTION.search(content)
        expected = ((body._clean_text(content[: found.start()]), found.group(1) or None) if found
                    else (body._clean_text(content), None))
        assert body._plain_text(content) == expected, content


def test_html_attributions_are_what_the_pattern_found():
    for attribution in (soup.strip() for soup in soups(ATTRIBUTIONS)):
        found = reference_patterns.ATTRIBUTION.match(attribution)
        assert body._attributed_media(attribution) == (found.group(1) if found else attribution), attribution


def test_navigation_lines_are_what_the_pattern_found():
    pieces = ["[返回", "[返回首页]", "]", "(", ")", "(//x/)", "｜", "|", " ", "\u3000", "x"]
    for line in (soup.strip() for soup in soups(pieces)):
        assert bool(body._NAV_LINE.match(line)) == bool(reference_patterns.NAV_LINE.match(line)), line


def yaml_load_reference(text: str) -> dict[str, str] | None:
    """How the front matter was read before: YAML loads it all, then a mapping of strings is kept."""
    try:
        loaded = yaml.load(text, Loader=frontmatter._YAML_LOADER)  # noqa: S506 - BaseLoader builds no objects
    except yaml.YAMLError:
        return None
    if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
        return None
    return {str(k): v.strip() for k, v in loaded.items()}


def test_yaml_front_matter_is_what_loading_it_read():
    pieces = ["title", "a", ": ", ":", " ", "\n", "\n  ", "\n- ", '"', "'", "\\", "[", "]", "{", "}", ",", "&x ", "&y ",
              "*x", "*y", "!t ", "#", "? ", "|", ">", "...", "---", "值", "\t", "-", "<<", "~", "x: y", "\nk: v"]
    read = 0
    for text in soups(pieces, count=20000):
        try:
            fields = frontmatter._string_mapping(yaml.parse(text, Loader=frontmatter._YAML_LOADER))
        except yaml.YAMLError:
            fields = None
        assert fields == yaml_load_reference(text), text
        read += fields is not None
    assert read > 1000  # enough of them are mappings for the comparison to say something

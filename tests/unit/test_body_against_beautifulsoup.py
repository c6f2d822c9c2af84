"""`html_to_text` follows lxml's parser events instead of building a BeautifulSoup tree (six times
faster). BeautifulSoup (lxml builder) stays the reference: the few lines below are the rules as they
read with it, and the fast reader must give the same text and media on every body we have and on
random tag soup."""

import random

import pytest
from bs4 import BeautifulSoup

from etl.core.settings import SAMPLE_POSTS_DIR
from etl.posts import body as body_module
from etl.posts.body import html_to_text, parse_body
from etl.posts.frontmatter import PostFormatError, normalize_text, split_front_matter
from tests.conftest import FINEWS
from tests.unit import reference_patterns
from tests.unit.html_samples import HTML


def reference_html_to_text(html: str) -> tuple[str, str | None]:
    """The body rules with BeautifulSoup: no chart block, attribution out as media, hidden
    elements, scripts, styles and images dropped, a line per <br>, a paragraph per block."""
    soup = BeautifulSoup(reference_patterns.CHART_BLOCK.sub("", html), "lxml")
    media = None
    for attribution in soup.select("p.em_media"):
        found = reference_patterns.ATTRIBUTION.match(attribution.get_text().strip())
        media = (found.group(1) if found else attribution.get_text().strip()) or media
        attribution.decompose()
    for hidden in soup.select('[style*="display:none"], [style*="display: none"], script, style, img'):
        hidden.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(body_module._BLOCK_TAGS):
        block.append("\n\n")
    return body_module._clean_text(soup.get_text()), media


def html_bodies(folder):
    for path in sorted(folder.rglob("*.md")):
        try:
            _, body, _, _ = split_front_matter(normalize_text(path.read_bytes().decode("utf-8-sig")))
        except (PostFormatError, UnicodeDecodeError):  # broken files: the loader's tests cover them
            continue
        if parsed_html := parse_body(body).html:
            yield path.name, parsed_html


def test_the_sample_corpus_reads_as_with_beautifulsoup():
    bodies = list(html_bodies(SAMPLE_POSTS_DIR))
    assert bodies
    for name, html in bodies:
        assert html_to_text(html) == reference_html_to_text(html), name


@pytest.mark.skipif(not FINEWS.is_dir(), reason=f"{FINEWS} not present")
def test_the_real_posts_read_as_with_beautifulsoup():
    for name, html in html_bodies(FINEWS):
        assert html_to_text(html) == reference_html_to_text(html), name


PIECES = [
    "<p>", "</p>", "<div>", "</div>", "<span>", "</span>", "<br>", "<br/>", "<strong>", "</strong>",
    '<p class="em_media">', '<span style="display:none">', '<div style="display: none">', "<img src=x>",
    "<script>var a = '<p>';</script>", "<style>p {}</style>", "<!-- 注释 -->", "<center>", "</center>",
    '<a href="http://quote.eastmoney.com/sh600519.html" class="keytip" data-code="1,600519">贵州茅台</a>',
    "<!--EM_StockImg_Start--><p>图</p><!--EM_StockImg_End-->", "<h3>", "</h3>", "<li>", "<table><tr><td>",
    "（文章来源：测试报）", "公司发布公告。", "营收增长 12%", "&nbsp;", "&amp;", "\u3000", "\n", "  ", "\n\n",
    "<p>", "</span", "<b>粗", "</i>", "<", ">", "文字",
]


@pytest.mark.parametrize("seed", range(300))
def test_random_tag_soup_reads_as_with_beautifulsoup(seed):
    rng = random.Random(seed)
    html = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
    assert html_to_text(html) == reference_html_to_text(html), html


# Pieces that close what they open, so that a long body of them nests no deeper than a real one.
CLOSED_PIECES = [HTML, "<p>公司发布公告。</p>", "<div><span>营收</span>增长 12%</div>", "<br>", "&nbsp;&amp;", "\u3000", "\n",
                 "<!--EM_StockImg_Start--><p>图</p><!--EM_StockImg_End-->", '<p class="em_media">（文章来源：测试报）</p>',
                 '<span style="display:none">隐</span>', "<script>var a = '<p>';</script>", "<!-- 注释 -->", "文字"]


@pytest.mark.parametrize("seed", range(5))
def test_a_body_longer_than_one_feed_reads_as_with_beautifulsoup(seed):
    rng = random.Random(seed)
    html = "".join(rng.choice(CLOSED_PIECES) for _ in range(body_module._FEED_CHARS // 20))
    assert len(html) > 2 * body_module._FEED_CHARS
    assert html_to_text(html) == reference_html_to_text(html)

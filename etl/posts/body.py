"""The body of a post: `> ` digest, HTML or plain text, attribution, links and site chrome.

Layouts (see docs of the corpus): a plain-text paragraph; a `> ` digest followed by HTML; HTML only.
After the article come link lines (`<http://...>`, `<>`) and navigation (`[返回首页](...)`),
which are site chrome and never article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup

_LINK_LINE = re.compile(r"^<(\S*)>$")
_NAV_LINE = re.compile(r"^(?:\s*[｜|]?\s*\[返回[^\]]*\]\([^)]*\))+\s*$")
_HTML_TAG = re.compile(r"<(?:p|div|span|center|br|strong|a|img|b|i|em|h\d|table|ul|ol|li|!--)\b", re.I)
_CHART_BLOCK = re.compile(r"<!--\s*EM_StockImg_Start\s*-->.*?<!--\s*EM_StockImg_End\s*-->", re.S)
_ATTRIBUTION = re.compile(r"^[（(]\s*文章来源[:：]\s*(.*?)\s*[）)]$", re.S)
_PLAIN_ATTRIBUTION = re.compile(r"[（(]\s*文章来源[:：]\s*([^）)]*?)\s*[）)]\s*$")
_SPACES = re.compile(r"[ \t\u00a0\u3000\u200b\ufeff]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_BLOCK_TAGS = ("p", "div", "center", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "blockquote")


@dataclass(frozen=True)
class Body:
    layout: str
    """`plain` (text paragraph), `digest_html` (`> ` digest then HTML), `html`, or `digest_only`."""
    digest: str | None
    html: str | None
    """The article's HTML as written (chart block and attribution included), for the mention parser."""
    text: str
    """Clean article text: paragraphs separated by a blank line, no chrome, no attribution."""
    media: str | None
    source_url: str | None
    share_url: str | None


def parse_body(body: str) -> Body:
    digest_lines: list[str] = []
    content_lines: list[str] = []
    links: list[str] = []
    lines = body.split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index < len(lines) and lines[index].startswith(">"):
        digest_lines.append(lines[index][1:].strip())
        index += 1
    for line in lines[index:]:
        stripped = line.strip()
        link = _LINK_LINE.match(stripped)
        if link and not _HTML_TAG.match(stripped):
            links.append(link.group(1))
        elif not _NAV_LINE.match(stripped):
            content_lines.append(line)
    content = "\n".join(content_lines).strip()
    digest = _clean_text("\n".join(digest_lines)) or None
    source_url = next((u for u in links if "eastmoney.com" in u), None)
    share_url = next((u for u in links if "NewsShare" in u or "infoCode=" in u), None)

    if _HTML_TAG.search(content):
        text, media = html_to_text(content)
        layout = "digest_html" if digest else "html"
        html = content
    else:
        text, media = _plain_text(content)
        layout = "digest_only" if digest and not text else "plain"
        html = None
    return Body(layout=layout, digest=digest, html=html, text=text, media=media,
                source_url=source_url, share_url=share_url)


def html_to_text(html: str) -> tuple[str, str | None]:
    """Clean text and attribution of an EastMoney HTML body."""
    soup = BeautifulSoup(_CHART_BLOCK.sub("", html), "lxml")
    media = None
    for attribution in soup.select("p.em_media"):
        found = _ATTRIBUTION.match(attribution.get_text().strip())
        media = (found.group(1) if found else attribution.get_text().strip()) or media
        attribution.decompose()
    for hidden in soup.select('[style*="display:none"], [style*="display: none"], script, style, img'):
        hidden.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCK_TAGS):
        block.append("\n\n")
    return _clean_text(soup.get_text()), media


def _plain_text(content: str) -> tuple[str, str | None]:
    found = _PLAIN_ATTRIBUTION.search(content)
    if found:
        return _clean_text(content[: found.start()]), found.group(1) or None
    return _clean_text(content), None


def _clean_text(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()

"""The body of a post: `> ` digest, HTML or plain text, attribution, links and site chrome.

Layouts (see docs of the corpus): a plain-text paragraph; a `> ` digest followed by HTML; HTML only.
After the article come link lines (`<http://...>`, `<>`) and navigation (`[返回首页](...)`),
which are site chrome and never article text.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import NamedTuple

from lxml import etree

from etl.posts.frontmatter import PostFormatError

_LINK_LINE = re.compile(r"^<(\S*)>$")
# One way to read each run of spaces (`\s*[｜|]?\s*` would try every split of it, and every split of
# every run again when the line turns out not to be navigation).
_NAV_LINE = re.compile(r"^(?:\s*(?:[｜|]\s*)?\[返回[^\]]*\]\([^)]*\))+\s*$")
_HTML_TAG = re.compile(r"<(?:p|div|span|center|br|strong|a|img|b|i|em|h\d|table|ul|ol|li|!--)\b", re.I)
_CHART_START = re.compile(r"<!--\s*EM_StockImg_Start\s*-->")
_CHART_END = re.compile(r"<!--\s*EM_StockImg_End\s*-->")
_ATTRIBUTION_HEAD = re.compile(r"[（(]\s*文章来源[:：]")
_CLOSING_PARENTHESES = ("）", ")")
_SPACES = re.compile(r"[ \t\u00a0\u3000\u200b\ufeff]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_BLOCK_TAGS = frozenset(("p", "div", "center", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "blockquote"))
_DROPPED_TAGS = frozenset(("script", "style", "img"))
_HIDDEN_STYLES = ("display:none", "display: none")
# How BeautifulSoup stores the strings lxml reports, which `_BodyText` reproduces:
_NOT_TEXT_TAGS = frozenset(("script", "style", "template", "rt", "rp"))
"""Strings inside these are scripts, templates or ruby annotations: `get_text()` leaves them out."""
_VERBATIM_TAGS = frozenset(("pre", "textarea"))
"""Inside these a whitespace-only string is kept as written; elsewhere it becomes one newline or space."""
_ASCII_SPACES = frozenset("\x20\x0a\x09\x0c\x0d")
_MAX_DEPTH = 256
"""Elements open at once, the `<html>` and `<body>` lxml adds included. An article nests a handful;
libxml2 looks through every open element for each end tag that closes none of them, so a body
nested without bound would cost the square of its size."""
_FEED_CHARS = 1 << 16
"""How much of a body lxml is given at a time, more than any article holds. An error raised by the
target stops the parse only where a feed ends: libxml2 still reads the rest of what it was given,
nesting as deep as that goes."""

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
    markup, _ = split_chart_blocks(html)
    if markup.startswith("\ufeff"):
        markup = markup[1:]
    parser = _html_parser()
    try:
        for start in range(0, len(markup) or 1, _FEED_CHARS):
            parser.feed(markup[start : start + _FEED_CHARS])
        text, attributions = parser.close()
    except BaseException:
        _PER_THREAD.html_parser = None  # a parse that failed half-way may leave state behind
        raise
    media = None
    for attribution in attributions:
        media = _attributed_media(attribution) or media
    return _clean_text(text), media


def split_chart_blocks(html: str) -> tuple[str, list[str]]:
    """The markup outside the K-line chart blocks, and what each block holds, in order.

    A block is what `START.*?END` finds (the first end after each start), but a start with no end
    after it ends the search: every later start would look for the same missing end.
    """
    outside: list[str] = []
    charts: list[str] = []
    position = 0
    while (start := _CHART_START.search(html, position)) and (end := _CHART_END.search(html, start.end())):
        outside.append(html[position : start.start()])
        charts.append(html[start.end() : end.start()])
        position = end.end()
    outside.append(html[position:])
    return "".join(outside), charts


def _attributed_media(attribution: str) -> str:
    """The media named by a stripped attribution paragraph, `（文章来源：MEDIA）`; else the paragraph."""
    head = _ATTRIBUTION_HEAD.match(attribution)
    if head and attribution.endswith(_CLOSING_PARENTHESES):
        return attribution[head.end() : -1].strip()
    return attribution


_PER_THREAD = threading.local()


def _html_parser() -> etree.HTMLParser:
    """One parser per thread (lxml parsers are not thread-safe), reused: creating one costs more
    than parsing a short body."""
    parser = getattr(_PER_THREAD, "html_parser", None)
    if parser is None:
        parser = _PER_THREAD.html_parser = etree.HTMLParser(target=_BodyText(), recover=True)
    return parser


class _OpenElement(NamedTuple):
    tag: str
    dropped: bool
    """Left out of the text: the element is hidden, an attribution, a script, style or image, or
    inside one; or a `<br>`, which stands for a line break whatever it holds."""
    not_text: bool
    verbatim: bool
    block: bool
    """A kept block element: the text gets a blank line where it ends."""
    reads_attribution: bool
    """The attribution paragraph whose strings are being collected."""
    in_template: bool
    """Inside a `<template>`, whose content CSS selectors do not see: nothing there is dropped by them."""


_DOCUMENT = _OpenElement("", dropped=False, not_text=False, verbatim=False, block=False, reads_attribution=False,
                         in_template=False)


class _BodyText:
    """lxml parser target that keeps an HTML body's text as the events arrive, no tree built.

    The result is what BeautifulSoup (lxml builder) gave for the same body after dropping
    attributions (`p.em_media`), hidden elements, scripts, styles and images, turning `<br>` into
    a newline and ending blocks with a blank line, then `get_text()`: lxml reports the same events
    to this target as to BeautifulSoup, and the strings are cut, typed and closed by its rules,
    without the cost of a BeautifulSoup object per node.
    """

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._text: list[str] = []
        self._attributions: list[str] = []
        self._open: list[_OpenElement] = [_DOCUMENT]
        self._run: list[str] = []
        self._attribution: list[str] | None = None

    def start(self, tag: str, attrib) -> None:
        if len(self._open) > _MAX_DEPTH:  # (`_open` holds the document too)
            raise PostFormatError(f"the HTML nests more than {_MAX_DEPTH} elements deep: not an article body")
        if self._run:
            self._end_string()
        parent = self._open[-1]
        selectable = not parent.in_template
        is_attribution = hidden = False
        if attrib and selectable:  # (an empty lxml attribute map is slow to query)
            is_attribution = tag == "p" and "em_media" in attrib.get("class", "").split()
            hidden = _is_hidden(attrib.get("style"))
        removed = parent.dropped or is_attribution or hidden or (selectable and tag in _DROPPED_TAGS)
        reads_attribution = is_attribution and self._attribution is None
        if reads_attribution:
            self._attribution = []
        if tag == "br" and not removed:
            self._text.append("\n")
        self._open.append(_OpenElement(  # positional: a NamedTuple is quicker to build that way
            tag,
            removed or tag == "br",  # dropped
            parent.not_text or tag in _NOT_TEXT_TAGS,  # not_text
            parent.verbatim or tag in _VERBATIM_TAGS,  # verbatim
            not removed and tag in _BLOCK_TAGS,  # block
            reads_attribution,
            parent.in_template or tag == "template",  # in_template
        ))

    def end(self, tag: str) -> None:
        if self._run:
            self._end_string()
        # Like BeautifulSoup: close up to the latest open element of that name, if there is one
        # (looked for from the top, so that looking costs no more than closing).
        if self._open[-1].tag == tag or any(element.tag == tag for element in reversed(self._open)):
            while self._close_one().tag != tag:
                pass

    def data(self, data: str) -> None:
        self._run.append(data)

    # Comments, processing instructions and doctypes are not text, but they end a text run.
    def comment(self, text: str) -> None:
        self._end_string()

    def pi(self, target: str, data: str | None = None) -> None:
        self._end_string()

    def doctype(self, *ids: str) -> None:
        self._end_string()

    def close(self) -> tuple[str, list[str]]:
        """The body's text, and each attribution paragraph's text (stripped) in document order;
        an attribution inside another is dropped with it and not read on its own."""
        self._end_string()
        while len(self._open) > 1:
            self._close_one()
        text, attributions = "".join(self._text), self._attributions
        self._reset()
        return text, attributions

    def _close_one(self) -> _OpenElement:
        element = self._open.pop()
        if element.block:
            self._text.append("\n\n")
        if element.reads_attribution:
            self._attributions.append("".join(self._attribution).strip())
            self._attribution = None
        return element

    def _end_string(self) -> None:
        """Store the text run since the last event as one string, the way BeautifulSoup does."""
        if not self._run:
            return
        string = "".join(self._run)
        self._run = []
        parent = self._open[-1]
        if parent.not_text:
            return
        if not parent.verbatim and _ASCII_SPACES.issuperset(string):
            string = "\n" if "\n" in string else " "
        if self._attribution is not None:
            self._attribution.append(string)
        if not parent.dropped:
            self._text.append(string)


def _is_hidden(style: str | None) -> bool:
    return bool(style) and any(hidden in style for hidden in _HIDDEN_STYLES)


def _plain_text(content: str) -> tuple[str, str | None]:
    """The text and the media of a plain post that may end with `（文章来源：MEDIA）`.

    That is the last closing parenthesis, with only whitespace after it, and the first
    `（文章来源：` since the closing parenthesis before it: found from the end, in one pass,
    where a regular expression searched from every `（` to the end of the text.
    """
    close = max(content.rfind(")"), content.rfind("）"))
    if close >= 0 and (close + 1 == len(content) or content[close + 1 :].isspace()):
        previous = max(content.rfind(")", 0, close), content.rfind("）", 0, close))
        head = _ATTRIBUTION_HEAD.search(content, previous + 1, close)
        if head:
            return _clean_text(content[: head.start()]), content[head.end() : close].strip() or None
    return _clean_text(content), None


def _clean_text(text: str) -> str:
    # _SPACES holds no newline, so one pass over the whole text squeezes each line as well.
    lines = (line.strip() for line in _SPACES.sub(" ", text).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()

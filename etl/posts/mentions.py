"""Stock mentions: EastMoney markup (chart blocks, keytip links, repeats) and codes written in text.

Markup is machine-written, so attributes are read with regular expressions: they are a hundred
times faster than walking a parsed tree and see the same thing. Markup inside the attribution
paragraph (`<p class="em_media">`) is the auto-linker firing on a media name, not a mention.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from etl.posts import markets
from etl.posts.body import split_chart_blocks

# Tags are found as `<p[^>]*class="?em_media[^>]*>.*?</p>` and `<(a|span)\b([^>]*\bdata-code=[^>]*)>([^<]*)`
# would find them, but scanned once (see `_next_tag`): those patterns retry from every `<p` or `<a`
# to the end of a tag that never closes.
_PARAGRAPH_START = re.compile(r"<p", re.I)
_EM_MEDIA_CLASS = re.compile(r"class=\"?em_media", re.I)
_PARAGRAPH_END = re.compile(r"</p>", re.I)
_CODE_TAG_START = re.compile(r"<(?:a|span)\b", re.I)
_DATA_CODE = re.compile(r"\bdata-code=", re.I)
# A name starts where a run of name characters starts: tried at every character of a long run, it
# would read the rest of the run each time.
_ATTRIBUTE = re.compile(r"(?<![\w-])([\w-]+)\s*=\s*\"([^\"]*)\"")
_CHART_CODE = re.compile(r"^([^|]*)\|([^|]*)\|")
_MARKUP_CODE = re.compile(r"^\s*(\d+)\s*,\s*([A-Za-z0-9]+)\s*$")

# A code written in text is `名称(600519)`: up to 16 name characters, an optional space, the code
# in half- or full-width parentheses. The code is found first and the name read backwards from
# it, which gives the matches of the one pattern `NAME{0,16}?\s?(CODE)` scanned left to right
# without trying a name at every character of the text.
_NAME_CHARS = r"[\u4e00-\u9fffA-Za-z0-9\-·＊*&＆]"
_NAME_BEFORE = re.compile(rf"{_NAME_CHARS}{{0,16}}\Z")
_CODE_IN_PARENS = re.compile(
    r"\s?[（(]\s*"
    r"(?:(?P<a_code>\d{6})(?:\.(?P<a_suffix>SH|SZ|BJ|SS))?"
    r"|(?P<hk_code>\d{4,5})\.(?P<hk_suffix>HK)"
    r"|(?P<hk_plain>0\d{4})"
    r"|(?P<us_code>[A-Z]{1,5})\.(?P<us_suffix>[ONA]))"
    r"\s*[)）]"
)
# The name before a code is the run of name characters up to it, which can start with the words
# that led into it (`其中颐海国际(1579.HK)`, `首予信义能源(03868)`, `将渣打集团(2888.HK)`). Read left to
# right, each lead-in word found moves the name's start past it (so the last one wins), under these rules:
# - a word of two characters or more (`其中`, `维持`) cuts wherever it stands, when two or more
#   characters are left after it;
# - a one-character word (`将`, `为`) also stands inside names (`恒为科技`, `天和防务`, `万向钱潮`): it
#   cuts where the name so far starts when two or more characters are left, and inside the name only
#   when three or more are left (`有研稀土为有研新材` gives `有研新材`, `恒为科技` stays whole);
# - a lead-in word that also begins names (`和邦生物`, `向日葵`, `是德科技`, `龙头股份`) never cuts
#   where the name so far starts, only inside it;
# - a market's name (`港股`, `A股`) cuts only where the name so far starts: fund names hold them
#   (`恒生港股通ETF`).
# Longer words are tried first (`龙头股` before `龙头`). Words that stand inside names (`显示` in
# `某某显示科技`, `如` in `如意集团`) are not lead-in words.
_LEAD_IN_WORDS = tuple(sorted(("其中", "首予", "给予", "维持", "下调", "上调", "调升", "调降", "重申", "预计", "首选", "包括", "以及", "龙头",
                              "旗下", "子公司", "股东", "记者", "据悉", "此外", "另外", "同时", "随后", "此前", "目前", "今日", "昨日", "盘中",
                              "午后", "早盘", "尾盘", "例如", "比如", "个股方面", "公告显示", "龙头股", "受益股", "标的", "合计", "港股", "美股",
                              "A股", "H股"), key=len, reverse=True))
_LEAD_IN_CHARS = frozenset("将为予及和与从对列把据称是在向由被令使让获而但的")
_NAME_INITIALS = frozenset(("和", "向", "是", "龙头"))
_MARKET_WORDS = frozenset(("港股", "美股", "A股", "H股"))


@dataclass
class Mention:
    secid: str
    market_id: int
    code: str
    name: str | None = None
    count: int = 0
    sources: set[str] = field(default_factory=set)

    @property
    def security_type(self) -> str:
        return markets.security_type(self.market_id, self.code)


@dataclass(frozen=True)
class MentionScan:
    mentions: dict[str, Mention]
    problems: tuple[str, ...]
    """Markup that names no security (empty or garbage `data-code`), skipped: why a link made no
    mention, for whoever inspects a parse. The warehouse does not store it."""


def strip_attribution(html: str) -> str:
    """The markup without its attribution paragraphs (`<p class="em_media">` to the next `</p>`)."""
    kept: list[str] = []
    position = 0
    while tag := _next_tag(html, position, _PARAGRAPH_START, _EM_MEDIA_CLASS):
        end = _PARAGRAPH_END.search(html, tag[1] + 1)
        if end is None:  # nor can any later paragraph end
            break
        kept.append(html[position : tag[0].start()])
        position = end.end()
    kept.append(html[position:])
    return "".join(kept)


def _tags_with_code(html: str) -> Iterator[tuple[str, str]]:
    """(attributes, text up to the next tag) of each `<a>` or `<span>` with a `data-code`."""
    position = 0
    while tag := _next_tag(html, position, _CODE_TAG_START, _DATA_CODE):
        start, close = tag
        after = html.find("<", close + 1)
        position = len(html) if after < 0 else after
        yield html[start.end() : close], html[close + 1 : position]


def _next_tag(html: str, position: int, opening: re.Pattern, marked: re.Pattern) -> tuple[re.Match, int] | None:
    """The first tag from `position` that starts with `opening` and holds `marked` before its first
    `>`: the match of `opening` and the index of that `>`.

    A tag without the mark hides none: a tag that starts inside it ends at the same `>` and holds
    less. With no `>` after a start, no tag from there on can end.
    """
    while start := opening.search(html, position):
        close = html.find(">", start.end())
        if close < 0:
            return None
        if marked.search(html, start.end(), close):
            return start, close
        position = close + 1
    return None


def find_mentions(html: str | None, body_text: str, digest: str | None = None, title: str | None = None) -> MentionScan:
    """Mentions in an article: markup in `html`, codes written in the clean body, digest and title.

    Occurrences are counted in the digest and body; a code only in the title still makes a mention.
    """
    found: dict[str, Mention] = {}
    problems: list[str] = []
    if html:
        _scan_markup(strip_attribution(html), found, problems)
    markup_names = {m.secid: m.name for m in found.values() if m.name}
    _scan_text(body_text, found, markup_names, source="text")
    _scan_text(digest or "", found, {}, source="text")
    _scan_text(title or "", found, {}, source="title", counted=False)
    for mention in found.values():
        mention.count = max(mention.count, 1)
    return MentionScan(found, tuple(problems))


def _scan_markup(html: str, found: dict[str, Mention], problems: list[str]) -> None:
    outside, charts = split_chart_blocks(html)
    for chart in charts:
        for attributes, _ in _tags_with_code(chart):
            data_code = dict(_ATTRIBUTE.findall(attributes)).get("data-code", "")
            if data_code.startswith("K "):
                continue  # the chart's image repeats its link's code
            parsed = _CHART_CODE.match(data_code)
            if not parsed:
                problems.append(f"chart data-code {data_code!r} is not CODE|MARKET|TYPE")
                continue
            _record(found, problems, parsed.group(2), parsed.group(1), None, "chart", occurrences=0)
    for attributes, inner in _tags_with_code(outside):
        attrs = dict(_ATTRIBUTE.findall(attributes))
        kind = attrs.get("class", "")
        if kind not in ("keytip", "em_stock_key_common"):
            continue
        parsed = _MARKUP_CODE.match(attrs.get("data-code", ""))
        if not parsed:
            problems.append(f"{kind} data-code {attrs.get('data-code', '')!r} is not MARKET,CODE")
            continue
        source = "keytip" if kind == "keytip" else "repeat"
        _record(found, problems, parsed.group(1), parsed.group(2), _unescape(inner).strip() or None, source)


def _record(found, problems, market, code, name, source, occurrences=1) -> None:
    market, code = market.strip(), code.strip()
    if not market.isdigit() or not code or not code.replace(".", "").isalnum():
        problems.append(f"{source} markup names no security: market {market!r}, code {code!r}")
        return
    market_id = int(market)
    key = markets.secid(market_id, code)
    mention = found.get(key)
    if mention is None:
        mention = found[key] = Mention(key, market_id, markets.normalize_code(market_id, code))
    mention.name = mention.name or name
    mention.count += occurrences
    mention.sources.add(source)


def _scan_text(text: str, found: dict[str, Mention], markup_names: dict[str, str], *, source: str,
               counted: bool = True) -> None:
    counts: Counter[str] = Counter()
    for name, groups in _codes_in_text(text):
        code = groups["a_code"] or groups["hk_code"] or groups["hk_plain"] or groups["us_code"]
        suffix = groups["a_suffix"] or groups["hk_suffix"] or groups["us_suffix"]
        market_id = markets.market_for_code(code, suffix)
        if market_id is None:
            continue
        key = markets.secid(market_id, code)
        # `<keytip>名称</keytip>(002752)`: the code restates the markup, one occurrence not two.
        if markup_names.get(key) and name.endswith(markup_names[key]):
            continue
        name = trim_name(name)
        counts[key] += counted
        mention = found.get(key)
        if mention is None:
            mention = found[key] = Mention(key, market_id, markets.normalize_code(market_id, code))
        mention.name = mention.name or name
        mention.sources.add(source)
    for key, count in counts.items():
        found[key].count += count


def _codes_in_text(text: str) -> Iterator[tuple[str, dict[str, str | None]]]:
    """(name as written before it, code groups) of every code in parentheses, left to right."""
    name_from = 0
    for code in _CODE_IN_PARENS.finditer(text):
        # The longest run of name characters (16 at most) right before the code, not reaching
        # into the previous match.
        start = code.start()
        yield _NAME_BEFORE.search(text, max(name_from, start - 16), start).group(), code.groupdict()
        name_from = code.end()


def trim_name(raw: str) -> str | None:
    """The security's name as written before its code, without the words that led into it (the
    rules stand above `_LEAD_IN_WORDS`)."""
    start = index = 0
    while index < len(raw):
        word = next((w for w in _LEAD_IN_WORDS if raw.startswith(w, index)), None)
        word = word or (raw[index] if raw[index] in _LEAD_IN_CHARS else None)
        if word and _cuts(word, at_start=index == start, left=len(raw) - index - len(word)):
            start = index = index + len(word)
        else:
            index += 1
    return raw[start:].strip("-·") or None


def _cuts(word: str, *, at_start: bool, left: int) -> bool:
    """Whether a lead-in word ends the words before the name, `left` characters before the code."""
    if at_start:
        return left >= 2 and word not in _NAME_INITIALS
    return word not in _MARKET_WORDS and left >= (2 if len(word) > 1 else 3)


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ")

"""Securities named without a code (`某某股份：股东某某集团拟减持…`, `某某证券：汇率展望`).

A `NameMatcher` is built once from the security dictionary: names learned from the code and markup
mentions (`origin="learned"`) and an imported security master with its aliases (`"imported"`). It
reads an article's title, digest and body, joined, with one Aho-Corasick pass (`ahocorasick-rs`:
every match, overlapping ones included, whatever the number of names), and reports each security
it finds as a `NameMention`.

Rules
1. Leftmost, then longest. Of overlapping candidates the one that starts first wins, then the
   longest: a name never counts inside a longer known name (`中国平安` inside `中国平安银行`) nor
   inside a blocking phrase, which is matched like a name and then dropped: `BLOCKING_PHRASES`
   (words that hold a name but are not it: `中国银行业协会`, `在港交所上市`, where the exchange is a
   place), an EastMoney board's name (a board is a topic such as `新能源`, never read as a company
   name), the media name the caller passes, and source attributions (`文章来源：…`, `图片来源：…`,
   and the `（媒体）` that closes a text). A name never spans a line break: a name holding one
   (a link's text broken over two lines) is never matched, in the dictionary or claimed.
2. The article's own codes and links win. `claimed` maps each security that the code and markup
   parser found in the article to the name written there (secid → name or None). Those names are
   matched too, dictionary or not, and in this article they mean that security; so do dictionary
   names of a claimed security. The words before a code (`贵州茅台(600519)`) are therefore never a
   second security, and after `中国铝业(02600.HK)` a plain `中国铝业` is the H share. Claimed
   securities are reported with `claimed=True`: their mention row exists already, the flags and
   counts serve its relevance score.
3. Short names, of two characters or fewer (`格力`, `中信`, `FF`), are too often plain words or
   parts of words. A learned short name never counts from the dictionary (one article's link text is
   not evidence enough: the code parser once read `Lp` off `Sunoco Lp`); an imported one counts only
   where it stands apart: where it opens a clause (the text's start, or after a character that is
   not a CJK ideograph: `茅台重回2000元`, `，立讯为…`) unless a place word follows (`_PLACE_WORDS`:
   `红星路`, `红星大厦`); elsewhere where the character before it is one of `_SHORT_BEFORE` (`和`, `与`,
   `据`…) and the one after it is not a CJK ideograph or is one of `_SHORT_AFTER` (`涨`, `跌`, `股`,
   `表`示, `公`司, `董`事长, `午`后, `盘`中…). A claimed short name counts anywhere: the article ties
   it. Names glued into other words (`龙头红星大涨`, `一颗红星`) are missed on purpose, and a short
   alias that is also a common word belongs in `STOP_WORDS` (rule 4): docs/name-accuracy.md measures
   both.
4. Common words. `STOP_WORDS` are generic words that are also some security's name or alias
   (`中国`, `平安`, `机器人`, `数字经济`, `氢能`). A learned one never counts; an imported one counts
   only where it reads as a company: it opens a clause (the text's start, after punctuation, or
   after `据`) and goes on with what companies do (`_COMPANY_AFTER`: `公告`, `表示`, `股价`, `涨停`, a
   title's `：`…): `机器人公告称` counts, `工业机器人产量` and `数字经济核心产业` do not. Never names:
   names of one character, and a learned name equal to a board's name (the markup linked a topic
   word). An imported name equal to a board's name stays a name (the master says so: `特斯拉` is a
   board and Tesla).
5. ASCII: a name that begins (ends) with an ASCII letter or digit matches only where the character
   before (after) it is not one (`NIO` not in `NIOX`, `沪深300` not in `沪深300ETF`), except a letter
   next to a digit (`远航生物-B10月28日公告`, `NIO2021年`). Letters match in either case, full-width
   forms as half-width.
6. One name, several securities (an A share and its H share, `中国铝业` 1.601600 and 116.02600),
   chosen for each occurrence: where Hong Kong trading is spoken of (`港股`, `港元`, `H股`, `恒指`…) in
   the title (`港股午评`, `目标价30港元`: the whole article) or in the sentence of the occurrence
   (`远航铝业H股午后拉升`), a Hong Kong one, the claimed first; else the claimed one if the article
   claims one of them; else A shares (Shanghai, Shenzhen and Beijing) before Hong Kong, before US,
   before the rest; then the most articles (`article_count`,
   the most of its entries); then the secid. The others are the mention's `also_secids`. A Hong
   Kong name that is another name plus `股份` (`青岛啤酒股份`, EastMoney's style for the H share of an
   A+H company) makes the shorter name stand for both (`青岛啤酒H股` is the H share).
7. A company named as a research source (`光大证券：…` opening a title, `据中信证券研报`) is
   mentioned like any other: nothing is dropped for being a source of analysis. Only the
   attribution and the media name (rule 1) are not mentions, even when they hold a company's name
   (`文章来源：东岳证券报`).
8. A longer name the dictionary does not know, where the text tells: a name followed by the rest of a
   legal name ending in `有限公司` without `股份` (`远航科技智造有限公司`) is inside another, unlisted
   company's name (a company listed in China is a `股份有限公司`), unless only a group's form stands
   between (`远航控股有限公司`, `远航(集团)有限公司`: Hong Kong listings). `远航科技股份有限公司` is the
   company itself, and so is `远航科技` in `远航科技与某某有限公司签约` (a connective stands between).
   Written bare, a longer name is told by the word that follows the name directly: an industry
   word makes another company (`京东方精电`, `远航科技物业`, `远航生物医药`: `_INDUSTRY_ENDINGS`); the
   words that go on naming the same company do not (`股份`, `集团`, `控股`, `科技`, `汽车`, `国际`:
   `蔚来汽车`, `小米科技`). A claimed name is not subject to this: the article ties it.
9. Concepts: a name followed by `概念` (`特斯拉概念股`), or closing an enumeration that is
   (`稀土、特斯拉、光伏等概念股`), is a theme of the market, not the company.

Counting follows `stock_mention.mention_count`: occurrences in the digest and the body; a name only
in the title still makes a mention, with `count` 0. `first_offset` is the character offset of the
first occurrence in the body text.

Relevance of a security to an article, in [0, 1]:
    relevance = (4 * in_title + 2 * in_lead + min(count, 3) / 3) / 7
where `in_lead` is an occurrence in the digest or in the first `LEAD_CHARS` characters of the body.
The weights make the order lexicographic: named in the title beats anything without the title, the
lead beats any count, and counts rank only among equals (a fourth occurrence adds nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick_rs

from etl.posts import markets

ORIGINS = ("learned", "imported")
LEAD_CHARS = 200
SHORT_NAME = 2
"""Names of at most this many characters follow rule 3."""

STOP_WORDS = frozenset((
    "中国", "东方", "平安", "中信", "国际", "科技", "银行", "证券", "保险", "人民", "国家", "集团", "控股", "股份",
    "机器人", "新能源", "半导体", "芯片", "光伏", "医药", "白酒", "汽车", "地产", "房地产", "电力", "军工", "物流",
    "传媒", "教育", "旅游", "钢铁", "煤炭", "化工", "环保", "通信", "电子", "互联网", "元宇宙", "创业板", "科创板",
    "数字经济", "人工智能", "氢能", "储能", "锂电", "风电", "核电", "水电", "云计算", "大数据", "物联网", "区块链",
    "工业互联网", "新能源汽车", "生物医药", "高端装备", "智能制造", "碳中和", "现代农业", "跨境电商", "新材料",
    "太阳能", "风能", "核能",
))
"""Common words that are also some security's name or alias: rule 4."""
BLOCKING_PHRASES = (
    "中国银行业", "中国银行间", "中国银行保险监督管理委员会", "中国人民银行",
    "在港交所", "于港交所", "向港交所", "登陆港交所", "港交所上市", "港交所主板", "港交所公告", "港交所披露",
)
_SHORT_BEFORE = frozenset("和与及跟同据对将在的")
_SHORT_AFTER = frozenset("和与及跟同的在将等称涨跌股公表发宣推已再也旗董午盘早尾今近此拟获预总子")
# Rule 3: what makes a short name that opens a clause a place (`某某路`, `某某大厦`).
_PLACE_WORDS = ("路", "街", "道", "巷", "村", "镇", "乡", "区", "县", "市", "省", "大厦", "广场", "中心", "公园",
                "小区", "花园", "山", "湖", "河", "桥")
# Rule 4: what a common word needs around it to name a company (in folded text).
_COMPANY_AFTER = ("公告", "表示", "披露", "回购", "股价", "涨停", "跌停", "董事", "股东", "在互动平台", "称", ":")
_COMPANY_BEFORE = frozenset("据")
# Rule 8: a legal name that holds a name and ends in 有限公司 without 股份 is another, unlisted company
# (a company listed in China is a 股份有限公司), unless all that stands between is a group's form. What
# stands between holds no connective: `远航科技与远航新材料有限公司签约` names 远航科技.
_LEGAL_NAME_AFTER = re.compile(r"(?:[^\W\d_与和及同跟向对在将为是从的]|[()]){0,12}?有限(?:责任)?公司")
# Rule 8: words that, right after a name, make another company's name (`某某精电`, `某某物业`); not the
# words that go on naming the same company (`股份`, `集团`, `控股`, `科技`, `汽车`, `国际`).
_INDUSTRY_ENDINGS = ("精电", "智造", "电子", "智能", "新材", "能源", "生物", "医药", "医疗", "健康", "电气", "光电",
                     "材料", "物流", "地产", "置业", "物业", "实业", "投资", "资本", "通信", "软件", "网络", "信息",
                     "传媒", "文化", "音乐", "教育", "环保", "化工", "电力", "矿业", "金融", "银行", "证券", "保险")
# Rule 9: `特斯拉概念股`, `稀土、特斯拉、光伏等概念股` (in folded text: `，；！？` are `,;!?` there).
_CONCEPT_AFTER = re.compile(r"(?:、[^,;!?。、\s]{1,8}?){0,6}等?概念")
_H_SHARE_SUFFIX = "股份"
_OWN_LEGAL_FORMS = frozenset(("", "集团", "控股", "(集团)", "(控股)", "控股集团"))

_SENTENCE_ENDS = "。！？!?；;\n"
_SENTENCE_SPAN = 200
_HONG_KONG_TRADING = re.compile(r"港股|港元|港币|[Hh]股|恒指|恒生指数|恒生科技指数")
_SECID = re.compile(r"^\d+\.[A-Za-z0-9]+$")
_MARKET_RANK = {markets.SHANGHAI: 0, markets.SHENZHEN: 0, markets.HONG_KONG: 1,
                markets.NASDAQ: 2, markets.NYSE: 2, markets.NYSE_AMERICAN: 2}
# Full-width ASCII to half-width and upper case to lower case, one character for one, so offsets in
# the folded text are offsets in the text.
_FOLD = str.maketrans({c: chr(c - 0xFEE0).lower() for c in range(0xFF01, 0xFF5F)}
                      | {c: chr(c).lower() for c in range(ord("A"), ord("Z") + 1)})
# The characters `_FOLD` changes, in runs: a text is mostly CJK, which folding leaves alone, and
# translating only the runs spares the table lookup of every other character. Chinese punctuation
# that `_FOLD` changes is replaced first, each in one pass, so that few runs are left.
_FOLDED_RUN = re.compile("[A-Z\uff01-\uff5e]+")
_FOLDED_PUNCTUATION = tuple((c, c.translate(_FOLD)) for c in "，：；（）！？")
# In folded text (full-width brackets and colons are half-width there).
_ATTRIBUTION = re.compile(r"(?:文章|图片|资料)来源:[^()\n]*")
_CLOSING_SOURCE = re.compile(r"\((?:[^()\n、，,。；;:]|\([^()\n、，,。；;:]{1,8}\)){1,30}\)\s*\Z")
_CLAIMED_CACHE_ENTRIES = 65536
"""Claimed (secid, name) pairs a matcher keeps compiled; the same few recur in article after article."""
_CLOSING_TAIL = 40
"""Characters at the end of a text searched for a closing `（媒体）`: the longest it can be, and spaces."""


@dataclass(frozen=True)
class SecurityName:
    """One security of the dictionary, with the names it is written by."""

    secid: str
    name: str
    origin: str = "learned"
    aliases: tuple[str, ...] = ()
    article_count: int = 0
    """Articles that mention it (learned names): ranks securities that share a name."""

    def __post_init__(self) -> None:
        problem = None
        if not _SECID.match(self.secid or ""):
            problem = "secid is not MARKET.CODE"
        elif self.origin not in ORIGINS:
            problem = f"origin {self.origin!r} is not one of {', '.join(ORIGINS)}"
        elif not isinstance(self.name, str) or not self.name.strip():
            problem = "name is empty"
        if problem:
            raise ValueError(f"security name {self.secid!r} {self.name!r}: {problem}")


class NameMention(NamedTuple):
    """A security found in one article (a tuple: one is made for each security of each article)."""

    secid: str
    names: tuple[str, ...]
    """The names as written in the article, sorted."""
    in_title: bool
    first_offset: int | None
    """Character offset of the first occurrence in the body text; None when it is not there."""
    in_lead: bool
    count: int
    """Occurrences in the digest and the body."""
    also_secids: tuple[str, ...] = ()
    """Other securities the same name stands for (rule 6), best first."""
    claimed: bool = False
    """The article's codes or markup name this security already (rule 2)."""

    @property
    def relevance(self) -> float:
        return relevance(self.in_title, self.in_lead, self.count)


def relevance(in_title: bool, in_lead: bool, count: int) -> float:
    """The relevance score of the module docstring."""
    return (4 * in_title + 2 * in_lead + min(count, 3) / 3) / 7


@dataclass(frozen=True)
class _Target:
    """What an automaton key stands for: securities best first, or none for a blocking phrase."""

    secids: tuple[str, ...]
    short: bool = False
    common: bool = False
    """A stop word that the master gives as a name (rule 4)."""


_BLOCK = _Target(())


class NameMatcher:
    """The security dictionary compiled for matching; pickles as its entries and is rebuilt."""

    def __init__(self, entries: Iterable[SecurityName], *, stop_words: Iterable[str] = STOP_WORDS,
                 blocking_phrases: Iterable[str] = BLOCKING_PHRASES) -> None:
        self._entries = tuple(entries)
        self._stop_words = frozenset(_fold(w) for w in stop_words)
        self._blocking_phrases = tuple(blocking_phrases)
        self._targets = self._compile()
        self._claimed_cache: dict[tuple[str, str | None], tuple[str, _Target | None]] = {}
        keys = list(self._targets)
        self._keys = [(key, self._targets[key], _ascii_edge(key)) for key in keys]
        # Every match, overlapping ones included: the rules drop candidates before the leftmost
        # longest of the rest are kept, so the automaton cannot choose among them.
        self._automaton = ahocorasick_rs.AhoCorasick(keys, implementation=ahocorasick_rs.Implementation.ContiguousNFA) \
            if keys else None

    def __reduce__(self):
        return _rebuild, (self._entries, self._stop_words, self._blocking_phrases)

    def __len__(self) -> int:
        """Names that can match (blocking phrases not counted)."""
        return sum(1 for target in self._targets.values() if target.secids)

    def secids(self, name: str) -> tuple[str, ...]:
        """The securities a name stands for, best first (rule 6); empty when it never matches."""
        target = self._targets.get(_fold(name.strip()))
        return target.secids if target else ()

    def known_suffix(self, written: str) -> str | None:
        """The longest end of `written` that is a name of the dictionary, as written; None when no end
        of two characters or more is. For the name before a code, after `trim_name` (etl.posts.mentions):
        where the words before a name are not in its closed list (`有消息称远航科技(600999)`), the
        dictionary knows where the name starts."""
        folded = _fold(written)
        for start in range(len(folded) - 1):
            if self._targets.get(folded[start:], _BLOCK).secids:
                return written[start:]
        return None

    def _compile(self) -> dict[str, _Target]:
        board = f"{markets.BOARDS}."
        boards = {_fold(n.strip()) for e in self._entries if e.secid.startswith(board) for n in (e.name, *e.aliases)}
        by_name: dict[str, list[SecurityName]] = {}
        for entry in self._entries:
            if entry.secid.startswith(board):
                continue
            for name in {_fold(n.strip()) for n in (entry.name, *entry.aliases)}:
                if len(name) < 2 or "\n" in name:  # rule 1: find_names joins texts with line breaks
                    continue
                if entry.origin == "learned" and (len(name) <= SHORT_NAME or name in boards
                                                  or name in self._stop_words):
                    continue
                by_name.setdefault(name, []).append(entry)
        # Rule 6: `青岛啤酒股份` is the Hong Kong share of `青岛啤酒`, which then names either.
        hong_kong = f"{markets.HONG_KONG}."
        for name, entries in list(by_name.items()):
            stem = name.removesuffix(_H_SHARE_SUFFIX)
            if stem != name and stem in by_name:
                by_name[stem] += [e for e in entries if e.secid.startswith(hong_kong) and e not in by_name[stem]]
        targets = {key: _BLOCK for key in boards - self._stop_words - by_name.keys()}
        targets |= {_fold(p): _BLOCK for p in self._blocking_phrases}
        for key, entries in by_name.items():
            if key not in targets:
                secids = (entries[0].secid,) if len(entries) == 1 else _ranked(entries)
                targets[key] = _Target(secids, short=len(key) <= SHORT_NAME, common=key in self._stop_words)
        return targets

    def find_names(self, title: str | None, body_text: str, digest: str | None = None, *,
                   media: str | None = None, claimed: Mapping[str, str | None] | None = None
                   ) -> dict[str, NameMention]:
        """Securities named in an article, by secid (the rules of the module docstring).

        `claimed`: secid → name as written, for every security the code and markup parser found
        (`{m.secid: m.name for m in scan.mentions.values()}`); `media`: the article's media name."""
        claimed = claimed or {}
        extra = self._claimed_keys(claimed)
        blocked = [_fold(media.strip())] if media and len(media.strip()) >= 2 else []
        title, digest, body_text = title or "", digest or "", body_text or ""
        # One pass over the three parts joined by line breaks: no name holds one, and every rule
        # reads a line break as the end of a text (rule 1's closing source is looked for at each end).
        text = f"{title}\n{digest}\n{body_text}"
        digest_start = len(title) + 1
        body_start = digest_start + len(digest) + 1
        hong_kong_title = bool(_HONG_KONG_TRADING.search(title))
        tallies: dict[str, _Tally] = {}
        for start, end, secids in self._occurrences(text, (digest_start - 1, body_start - 1, len(text)), extra, blocked):
            if len(secids) == 1:
                chosen, also = secids[0], ()
            else:
                chosen = _choose(secids, claimed, hong_kong_title or _hong_kong_sentence(text, start, end))
                also = [s for s in secids if s != chosen]
            tally = tallies.get(chosen)
            if tally is None:
                tally = tallies[chosen] = _Tally()
            written = text[start:end]
            if start >= body_start:
                tally.add_body(start - body_start, written, also)
            elif start >= digest_start:
                tally.add_digest(written, also)
            else:
                tally.add_title(written, also)
        return {secid: tally.mention(secid, secid in claimed) for secid, tally in sorted(tallies.items())}

    def _claimed_keys(self, claimed: Mapping[str, str | None]) -> dict[str, _Target]:
        extra: dict[str, _Target] = {}
        for secid, name in sorted(claimed.items()):
            key, target = self._claimed_key(secid, name)
            if target and key not in extra:
                extra[key] = target
        return extra

    def _claimed_key(self, secid: str, name: str | None) -> tuple[str, _Target | None]:
        """The key and target of one claimed name (None when it cannot be a key); the same few
        recur in article after article."""
        found = self._claimed_cache.get((secid, name))
        if found is None:
            key = _fold(name.strip()) if name else ""
            target = None
            if len(key) >= 2 and key not in self._stop_words and "\n" not in key:
                known = self._targets.get(key, _BLOCK).secids
                target = _Target((secid, *(s for s in known if s != secid)))
            if len(self._claimed_cache) >= _CLAIMED_CACHE_ENTRIES:
                self._claimed_cache.clear()
            found = self._claimed_cache[(secid, name)] = (key, target)
        return found

    def _occurrences(self, text: str, ends: tuple[int, ...], extra: dict[str, _Target], blocked: list[str]
                     ) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, securities) of each name that counts in `text`, left to right; `ends`: where
        each of the texts joined in `text` ends."""
        folded = _fold(text)
        # What a rule looks for must be in the text for the rule to apply: each is looked for once here
        # rather than at every candidate.
        legal = "有限" in folded
        concept = "概念" in folded
        candidates: list[tuple[int, int, _Target]] = []
        if self._automaton:
            keys = self._keys
            for index, start, end in self._automaton.find_matches_as_indexes(folded, overlapping=True):
                key, target, ascii_edge = keys[index]
                if (ascii_edge and not _fits(folded, start, end, key)) or (legal and _inside_legal_name(folded, end)):
                    continue
                if key in extra:  # rule 2: the article ties it, whatever the other rules say
                    candidates.append((start, end, extra[key]))
                    continue
                if folded.startswith(_INDUSTRY_ENDINGS, end) or (concept and _CONCEPT_AFTER.match(folded, end)):
                    continue
                if target.common:
                    if not _names_a_company(folded, start, end):
                        continue
                elif target.short and not _stands_apart(folded, start, end):
                    continue
                candidates.append((start, end, target))
        for key, target in extra.items():
            if key not in self._targets and key in folded:  # the automaton found the others
                ascii_edge = _ascii_edge(key)
                candidates += [(s, s + len(key), target) for s in _find_all(folded, key)
                               if not (ascii_edge and not _fits(folded, s, s + len(key), key))
                               and not (legal and _inside_legal_name(folded, s + len(key)))]
        if not candidates:
            return []
        for phrase in blocked:
            if phrase in folded:
                candidates += [(s, s + len(phrase), _BLOCK) for s in _find_all(folded, phrase)]
        if "来源" in folded:
            candidates += [(m.start(), m.end(), _BLOCK) for m in _ATTRIBUTION.finditer(folded)]
        begin = 0
        for end in ends:
            tail = max(begin, end - _CLOSING_TAIL)
            closing = _CLOSING_SOURCE.search(folded, tail, end) if ")" in folded[tail:end] else None
            if closing:
                candidates.append((closing.start(), closing.end(), _BLOCK))
            begin = end + 1
        found = []
        reached = 0
        for start, end, target in sorted(candidates, key=lambda c: (c[0], -c[1])):
            if start < reached:
                continue
            reached = end
            if target.secids:
                found.append((start, end, target.secids))
        return found


def _rebuild(entries: tuple[SecurityName, ...], stop_words: frozenset[str], blocking_phrases: tuple[str, ...]
             ) -> NameMatcher:
    return NameMatcher(entries, stop_words=stop_words, blocking_phrases=blocking_phrases)


def _hong_kong_sentence(text: str, start: int, end: int) -> bool:
    """Rule 6: the sentence around `text[start:end]` speaks of Hong Kong trading. A sentence is read at
    most `_SENTENCE_SPAN` characters either side, so a text without punctuation costs each
    occurrence a bounded look, not the whole text."""
    first, last = max(0, start - _SENTENCE_SPAN), min(len(text), end + _SENTENCE_SPAN)
    opening = max(max(text.rfind(c, first, start) for c in _SENTENCE_ENDS) + 1, first)
    closing = min((at for at in (text.find(c, end, last) for c in _SENTENCE_ENDS) if at >= 0), default=last)
    return bool(_HONG_KONG_TRADING.search(text, opening, closing))


def _choose(secids: tuple[str, ...], claimed: Mapping[str, str | None], hong_kong: bool) -> str:
    """Rule 6 for one occurrence: the claimed ones first, and Hong Kong first where Hong Kong is spoken of."""
    ordered = sorted(secids, key=lambda secid: secid not in claimed)  # stable: the ranking stays
    if hong_kong:
        ordered.sort(key=lambda secid: not secid.startswith(f"{markets.HONG_KONG}."))
    return ordered[0]


def _ranked(entries: list[SecurityName]) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.secid] = max(counts.get(entry.secid, 0), entry.article_count)

    def rank(secid: str) -> tuple:
        return _MARKET_RANK.get(int(secid.split(".", 1)[0]), 3), -counts[secid], secid

    return tuple(sorted(counts, key=rank))


@dataclass
class _Tally:
    also: dict[str, None] = field(default_factory=dict)
    """Other securities of the names that found it, in the order met (an ordered set)."""
    names: set[str] = field(default_factory=set)
    in_title: bool = False
    in_digest: bool = False
    first_offset: int | None = None
    count: int = 0

    def add_title(self, written: str, also: Iterable[str]) -> None:
        self._add(written, also)
        self.in_title = True

    def add_digest(self, written: str, also: Iterable[str]) -> None:
        self._add(written, also)
        self.count += 1
        self.in_digest = True

    def add_body(self, offset: int, written: str, also: Iterable[str]) -> None:
        self._add(written, also)
        self.count += 1
        if self.first_offset is None:
            self.first_offset = offset

    def _add(self, written: str, also: Iterable[str]) -> None:
        self.names.add(written)
        if also:
            self.also.update(dict.fromkeys(also))

    def mention(self, secid: str, claimed: bool) -> NameMention:
        in_lead = self.in_digest or (self.first_offset is not None and self.first_offset < LEAD_CHARS)
        return NameMention(secid, tuple(sorted(self.names)), self.in_title, self.first_offset, in_lead,
                           self.count, tuple(s for s in self.also if s != secid), claimed)


def _fold(text: str) -> str:
    for punctuation, folded in _FOLDED_PUNCTUATION:
        text = text.replace(punctuation, folded)
    return _FOLDED_RUN.sub(_fold_run, text)


def _fold_run(run: re.Match) -> str:
    return run.group().translate(_FOLD)


def _ascii_edge(key: str) -> bool:
    """Rule 5 can apply: the key begins or ends with an ASCII letter or digit."""
    return _is_ascii_word(key[0]) or _is_ascii_word(key[-1])


def _find_all(text: str, key: str) -> Iterator[int]:
    at = text.find(key)
    while at >= 0:
        yield at
        at = text.find(key, at + 1)


def _is_ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def _fits(text: str, start: int, end: int, key: str) -> bool:
    """Rule 5: an ASCII end of a name is not glued to another ASCII letter or digit, except a letter
    to a digit."""
    return not ((start > 0 and _glued(key[0], text[start - 1])) or (end < len(text) and _glued(key[-1], text[end])))


def _glued(edge: str, neighbour: str) -> bool:
    return _is_ascii_word(edge) and _is_ascii_word(neighbour) and not (edge.isalpha() and neighbour.isdigit())


def _names_a_company(text: str, start: int, end: int) -> bool:
    """Rule 4: a common word opens a clause (the text's start, after punctuation or `据`) and goes on
    as a company does (`公告`, `表示`, `股价`, a title's `：`...)."""
    before = text[start - 1] if start > 0 else ""
    return (not before or not _is_cjk(before) or before in _COMPANY_BEFORE) and text.startswith(_COMPANY_AFTER, end)


def _inside_legal_name(text: str, end: int) -> bool:
    """Rule 8: the name is followed by the rest of another company's legal name (`…智造有限公司`)."""
    legal = _LEGAL_NAME_AFTER.match(text, end)
    if legal is None:
        return False
    between = text[end : legal.end()].removesuffix("公司").removesuffix("有限责任").removesuffix("有限")
    return not between.endswith("股份") and between not in _OWN_LEGAL_FORMS


def _stands_apart(text: str, start: int, end: int) -> bool:
    """Rule 3 for an imported short name."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if not _is_cjk(before) and not text.startswith(_PLACE_WORDS, end):
        return True  # it opens a clause: a subject
    return all(not c or not _is_cjk(c) or c in allowed
               for c, allowed in ((before, _SHORT_BEFORE), (after, _SHORT_AFTER)))


@dataclass(frozen=True)
class LabeledArticle:
    """An article, and the securities a reader sees named in it that its codes and links do not give."""

    article_id: str
    title: str | None
    body_text: str
    expected: frozenset[str]
    digest: str | None = None
    media: str | None = None
    claimed: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Accuracy:
    """Name mentions found against labels, by (article, secid); claimed securities left out on both
    sides (the code and markup parser found them). A name that picks another security of the same
    name than the label (rule 6) is one false positive and one false negative."""

    true_positives: int
    false_positives: tuple[tuple[str, str], ...]
    false_negatives: tuple[tuple[str, str], ...]

    @property
    def precision(self) -> float | None:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positives + len(self.false_negatives)
        return self.true_positives / expected if expected else None


def measure(matcher: NameMatcher, articles: Iterable[LabeledArticle]) -> Accuracy:
    """Precision and recall of the name mentions `matcher` adds to labeled articles."""
    hits = 0
    false_positives: list[tuple[str, str]] = []
    false_negatives: list[tuple[str, str]] = []
    for article in articles:
        found = matcher.find_names(article.title, article.body_text, article.digest, media=article.media,
                                   claimed=article.claimed)
        added = {secid for secid, mention in found.items() if not mention.claimed}
        expected = set(article.expected) - set(article.claimed)
        hits += len(added & expected)
        false_positives += [(article.article_id, secid) for secid in sorted(added - expected)]
        false_negatives += [(article.article_id, secid) for secid in sorted(expected - added)]
    return Accuracy(hits, tuple(false_positives), tuple(false_negatives))

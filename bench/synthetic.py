"""Synthetic finews posts: a seedable corpus in the real formats and proportions, with ground truth.

`generate_corpus` writes `_posts/` and `old_post/` Markdown files the way the finews scraper did
(docs in `corpus.md`; every quirk described there shows up here) and `manifest.json`, which
records for every file its article, layout and quirks, and for every article the securities it
mentions and how often. All text is assembled from the made-up vocabulary below: no real post is
copied, and the ~300 securities have invented names.

Layouts (share of files): "plain" (~35%, the 2021-12 emnews digests: one paragraph and a link),
"digest_html" (~40%, emnews from 2022: a `> digest` line, a blank line, HTML) and "media_html"
(~25%, `NW` media posts: HTML only).

Mention counts follow the warehouse rules. In the digest and body, every keytip or repeat span and
every code written in text (`名称(600519)`, `名称(0027.HK)`) is one occurrence; a code right after
the markup of the same security restates it and is not counted again; a K-line chart counts as one
when the security appears nowhere else; the auto-linked media name inside the attribution is not a
mention. Titles never carry codes, so no title-only mention exists. An article's count for a
security is the largest over its files (media/emnews twins, `_posts`/`old_post` copies).

Names without a code: beside the manifest, `names.jsonl` gives for every article the securities it
names without a code or link anywhere (titles, plain digests, securities the auto-linker leaves
unlinked, and sentences of the risky cases: short aliases, common-word names, A/H pairs, names inside
longer names, legal names, research sources), each with its case and the other securities of its
name, and the decoys: securities whose names are written only where they do not count (inside
words, inside longer names, inside a media name). `securities.csv` is the security master, in the
format `etl securities import` reads. These are drawn from a generator of their own, so the codes
and markup of a corpus are those it had before names were added. `bench.name_accuracy` scores
name matching against them.

Quirk names in the manifest (per file):
  front matter: bom, blank_line_before_front_matter, title_with_quote, title_with_backslash,
    empty_title, empty_date (file named `-<id>.md`, also empty title), date_without_offset,
    crlf_body, crlf_file, final_newline
  body: title_as_digest, split_html_lines, code_after_markup, chart_only_mention,
    attribution_autolink, empty_link, no_link, no_nav, nav_two_lines, nav_relative
  relations: twin (the story is in both feeds), copy (the file is in both folders),
    digest_only_version (plain copy of a story whose other copy has HTML)

Run `python -m bench.synthetic --out DIR --posts N --seed S`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
import time
from bisect import bisect
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

LAYOUTS = ("plain", "digest_html", "media_html")
# Shares of stories by primary layout. Media twins add emnews files, so files land near 35/40/25.
STORY_LAYOUT_SHARES = {"plain": 0.36, "digest_html": 0.38, "media_html": 0.26}
HTML_ERA_START = date(2022, 1, 1)
"""The archive's posts from 2021-12 are all plain digests; HTML and the media feed start in 2022."""
FRESH_DAYS = 3
"""The scraper moved files older than three days from `_posts/` into `old_post/` (not always)."""

RATES = {
    # story level
    "twin": 0.15,
    "copy": 0.10,
    "digest_only_version": 0.30,
    "title_as_digest": 0.12,
    "title_with_quote": 0.025,
    "title_with_backslash": 0.015,
    "chart_only_mention": 0.25,
    "attribution_autolink": 0.5,
    # file level
    "bom": 0.01,
    "blank_line_before_front_matter": 0.03,
    "empty_title": 0.01,
    "empty_date": 0.006,
    "date_without_offset": 0.03,
    "crlf_file": 0.01,
    "crlf_body": 0.02,
    "final_newline": 0.03,
    "split_html_lines": 0.3,
    "empty_link": 0.04,
    "no_link": 0.04,
}
PLAIN_DATE_WITHOUT_OFFSET_RATE = 0.2
"""The 2021-12 digests lack `+0800` far more often than later posts."""

# Ids are a global sequence that grows about 13 per second (2206672930 on 2021-12-08).
SEQUENCE_REFERENCE = (datetime(2021, 12, 8), 2_206_000_000)
SEQUENCE_PER_SECOND = 13


def _bag(weights: dict) -> tuple:
    """Values repeated by their integer weight: a weighted draw is then one `random()` call,
    where `Random.choices` costs ten times more on this hot path."""
    return tuple(value for value, weight in weights.items() for _ in range(weight))


def _pick(rng: random.Random, values):
    """A uniform draw, for bags and other short sequences."""
    return values[int(rng.random() * len(values))]


STORY_SECURITIES = _bag({0: 25, 1: 35, 2: 22, 3: 12, 4: 6})
MAX_CAST = max(STORY_SECURITIES)
STORY_BOARDS = _bag({0: 45, 1: 40, 2: 15})
STORY_CHARTS = _bag({0: 55, 1: 35, 2: 10})
DIGEST_SENTENCES = _bag({1: 5, 2: 4, 3: 1})
PARAGRAPH_SENTENCES = _bag({1: 3, 2: 4, 3: 3, 4: 2})
# Mostly 1-6 KB of HTML, a few long articles up to about 20 KB.
HTML_PARAGRAPHS = _bag({1: 5, 2: 9, 3: 11, 4: 12, 5: 11, 6: 10, 8: 10, 10: 8, 13: 7, 17: 6, 24: 4, 30: 2, 38: 1})
WEEKEND_VOLUME = 0.3
OUTAGE_RATE = 0.02
"""Days on which the scraper wrote nothing."""
PUBLICATION_HOURS = _bag(dict(enumerate((1, 1, 1, 1, 1, 1, 2, 4, 7, 10, 10, 10, 8, 9, 10, 10, 8, 7, 6, 6, 5, 4, 3, 2))))

# ---------------------------------------------------------------------------------------------
# Vocabulary: all made up.

NAME_CHARS = "华瑞鼎恒泰鑫远通宏达盛嘉凯信安康泽合海川峰星晨源新宇博创天润丰德隆祥兴辰誉锦朗弘昊骏聚裕沃锐拓启智联航金"
A_SHARE_SUFFIXES = ("股份", "科技", "电子", "药业", "新材", "能源", "智能", "控股", "集团", "生物", "医疗", "环保",
                    "化工", "精工", "重工", "食品", "电气", "汽车", "光电", "软件", "材料", "矿业", "物流", "动力",
                    "通信", "制造", "建设", "农业", "酒业", "纺织")
STAR_SUFFIXES = ("微电子", "半导体", "芯片", "生物", "光电", "智能", "科技", "医疗", "软件", "新材", "生物-U")
HK_SUFFIXES = ("控股", "集团", "国际", "生物-B", "医疗-B", "地产", "能源", "汽车", "科技", "资本", "教育")
US_SUFFIXES = ("汽车", "教育", "科技", "云", "生物", "金融", "出行", "音乐", "视频", "物流")
FUND_THEMES = ("储能", "光伏", "半导体", "芯片", "创新药", "消费", "军工", "证券", "银行", "红利", "新能源车",
               "云计算", "数字经济", "碳中和", "有色", "煤炭", "农业", "游戏", "传媒", "智能制造", "稀土", "家电")
ETF_KINDS = ("ETF", "ETF", "龙头ETF", "指数ETF")
# Board names that media names contain, so the auto-linker can fire inside an attribution.
MEDIA_BOARDS = ("证券", "保险", "银行", "传媒")
OTHER_BOARDS = ("新能源", "光伏设备", "半导体", "储能", "锂电池", "医疗器械", "中药", "白酒", "汽车整车", "风电设备",
                "煤炭行业", "有色金属", "房地产开发", "旅游酒店", "航运港口", "军工", "数字货币", "元宇宙",
                "云计算", "充电桩", "氢能源", "预制菜", "知识产权", "工程机械", "电力行业", "化肥行业", "养殖业",
                "食品饮料", "物业管理", "跨境电商")
INDEX_NAMES = ("环太平洋指数", "北欧综合指数", "南洋五十指数", "大西洋科技指数", "欧陆蓝筹指数")
SHANGHAI_COMPOSITE = (1, "000001", "上证指数")

MEDIA = (  # (name, pinyin category) — tags are the name plus 新闻
    ("东岳证券报", "dongyuezhengquanbao"),
    ("华夏金融时报·金融网", "huaxiajinrongshibao·jinrongwang"),
    ("21世纪商业评论 21商业APP", "21shijishangyepinglun 21shangyeAPP"),
    ("瑞丰国际证券(香港)", "ruifengguojizhengquan(xianggang)"),
    ("每日商讯", "meirishangxun"),
    ("新潮财经客户端", "xinchaocaijingkehuduan"),
    ("海川财联", "haichuancailian"),
    ("星辰保险报", "xingchenbaoxianbao"),
    ("金桥银行家", "jinqiaoyinhangjia"),
    ("财道传媒", "caidaochuanmei"),
    ("北辰证券日报", "beichenzhengquanribao"),
    ("云帆Fintech", "yunfanFintech"),
    ("深港通讯社", "shengangtongxunshe"),
    ("中原商报·证券网", "zhongyuanshangbao·zhengquanwang"),
)
EMNEWS_CATEGORY, EMNEWS_TAG = "emnews", "东财滚动新闻"
EMNEWS_COLUMNS = _bag({  # host and column of the EastMoney article link
    ("finance", 1354): 30, ("finance", 1355): 17, ("finance", 1353): 13, ("finance", 1351): 11,
    ("finance", 1345): 8, ("finance", 1344): 3, ("finance", 11158): 6, ("finance", 1350): 3,
    ("stock", 1768): 7, ("stock", 1611): 5, ("stock", 1405): 2, ("hk", 1533): 6, ("hk", 1535): 6,
    ("hk", 1797): 5, ("hk", 11362): 4, ("futures", 1513): 2, ("futures", 1516): 1, ("mss", 11059): 3,
})
INFOKEYS = (  # (word, data page): keyword links, not securities
    ("业绩", "/bbsj/"), ("公告", "/notices/"), ("券商", "/other/qsjy.html"), ("理财", "/wtlc/"),
    ("基金", "/zlsj/"), ("融资融券", "/rzrq/"), ("龙虎榜", "/stock/lhb.html"), ("研报", "/report/"),
    ("大宗交易", "/dzjy/"), ("股东增持", "/executive/"),
)
CITIES = ("杭州", "成都", "苏州", "合肥", "西安", "长沙", "青岛", "厦门", "重庆", "武汉", "南京", "宁波", "郑州",
          "昆明", "天津")
ORGS = ("国家统计局", "央行", "财政部", "商务部", "工信部", "国家发改委", "证监会", "银保监会", "海关总署",
        "国家能源局", "外汇局")
FIELDS = ("新能源汽车", "储能", "半导体", "生物医药", "高端装备", "数字经济", "绿色低碳", "现代农业", "跨境电商",
          "工业互联网", "人工智能", "氢能")
PROJECTS = ("年产十万吨正极材料", "智能制造产业园", "数据中心", "研发总部", "锂电池生产基地", "光伏组件",
            "生产线技改", "物流枢纽")
PRODUCTS = ("动力电池", "碳化硅衬底", "工业机器人", "储能变流器", "医用敷料", "车规级芯片", "光伏逆变器",
            "高端轴承")
PRODUCT_CODE_WORDS = ("加强针", "型储能柜", "号高炉", "型动力电池", "加铝佐剂", "系列芯片")
RATINGS = ("买入", "增持", "跑赢行业", "推荐", "强烈推荐")
BROKERS = ("鼎川证券", "启辰证券", "汇岳证券", "朗峰研究", "沃德资本")
INDICATORS = ("社会消费品零售总额", "规模以上工业增加值", "固定资产投资", "出口总额", "居民人均可支配收入", "发电量")
POLICIES = ("稳增长政策", "减税降费", "专项债发行", "普惠金融", "新型基础设施建设", "区域协调发展")
PERSONS = ("首席经济学家", "研究所所长", "行业分析师", "公司董事长", "基金经理")
DOCUMENTS = ("产业促进条例", "绿色金融指引", "数据安全办法", "碳排放核算规则")
RUMORS = ("减持", "停产", "重组", "退市", "裁员")
SLOGANS = ("稳字当头", "双碳", "专精特新", "先立后破")
ABBREVIATIONS = (("国内生产总值", "GDP"), ("居民消费价格指数", "CPI"), ("工业生产者出厂价格指数", "PPI"),
                 ("制造业采购经理指数", "PMI"), ("国际指数公司", "MSCI"), ("环境、社会和公司治理", "ESG"),
                 ("贷款市场报价利率", "LPR"))
IMAGE_CAPTIONS = ("图片来源：{media}", "{city}{project}项目现场", "（图为{product}生产线）", "（资料图）")

# Sentence templates by topic. {S} a security of the story (successive {S} are different ones), {B}
# a board, {I} an index, {K...} a keyword link, {lt}/{gt}/{amp} characters written as entities in
# HTML; the other slots take words and numbers. Parenthesised years, amounts, product codes and
# abbreviations are there to look like codes without being any.
COMPANY_SENTENCES = (
    "{S}公告称，公司{period}实现营业收入{amount}，同比{updown}{pct}。",
    "{S}{date}晚间{K_notice}，预计{period}归母净利润为{amount}至{amount}，同比增长{pct}。",
    "截至发稿，{S}报{price}元/股，{move}{pct_small}，成交额{amount}。",
    "{S}表示，公司将继续聚焦{field}主业，加快推进{project}项目建设。",
    "{broker}维持{S}“{rating}”评级，目标价上调至{price}元。",
    "{S}在投资者互动平台表示，公司{product}产品已实现批量供货，客户反馈良好。",
    "{S}拟使用自有资金{amount}回购公司股份，回购价格不超过{price}元/股。",
    "{S}控股股东计划在未来{num}个月内增持公司股份，增持金额不低于{amount}。",
    "午后{S}快速拉升，盘中一度触及涨停，{S}跟涨超{pct_small}。",
    "{S}与{S}签署战略合作协议，双方将在{field}领域开展深度合作。",
    "{S}发布{K_notice}称，公司中标{city}{project}项目，中标金额约{amount}。",
    "据{S}披露，公司{period}研发投入{amount}，占营业收入比例超过{pct_small}。",
    "{S}此前披露的定增预案显示，公司拟募资不超过{amount}，用于{project}项目建设。",
    "公司研发的新型疫苗{product_code}已获批开展临床试验，{S}{move}{pct_small}。",
    "{S}最新市盈率{lt}{num}倍，股息率{gt}{pct_small}，估值处于历史低位。",
    "{S}年报{year}显示，公司资产负债率降至{pct}。",
    "{S}总投资额{amount_paren}的{project}项目预计明年投产。",
    "据{K}数据显示，{S}近五个交易日获机构净买入{amount}。",
)
BOARD_SENTENCES = (
    "{B}板块午后走强，{S}涨超{pct_small}，{S}、{S}跟涨。",
    "今日{B}板块整体表现活跃，主力资金净流入{amount}。",
    "分析人士指出，{B}行业景气度有望延续，龙头公司业绩确定性较高。",
    "{B}概念股集体{move_verb}，{S}领涨。",
    "{broker}认为，{B}赛道长期成长空间广阔，建议关注产业链上游环节。",
)
MARKET_SENTENCES = (
    "{I}收盘{move}{pct_small}，两市成交额{amount}。",
    "截至午间收盘，{I}报{points}点，北向资金净{inout}{amount}。",
)
GENERAL_SENTENCES = (
    "{org}{date}发布数据显示，{month}全国{indicator}同比{updown}{pct}。",
    "{org}表示，将进一步加大对{field}的支持力度，推动{policy}落地见效。",
    "业内人士认为，随着{policy}持续推进，{field}有望迎来新的发展机遇。",
    "{city}出台{num}条措施，支持{field}企业纾困发展。",
    "数据显示，{period}{city}实现地区生产总值{amount}，同比增长{pct}。",
    "{period}{abbreviation}同比{updown}{pct}，{indicator}保持稳定。",
    "《{city}{field}产业发展规划{year}》提出，到{future_year}年产业规模突破{amount}。",
    "《{lt}{document}{gt}补充规定》{date}起施行，{field}企业合规要求进一步明确。",
    "机构预计{month}{indicator}将小幅回升，{policy}仍有加码空间。",
    "{person}指出，持续加大研发投入(R{amp}D)是企业提升竞争力的关键。",
    "会议强调，要统筹发展和安全，保持{field}产业链供应链稳定。",
    "{org}数据显示，{month}新增人民币贷款{amount}，社会融资规模存量同比增长{pct}。",
    "{city}一位{K_broker}分析师表示，当前市场估值处于历史较低水平，中长期配置价值凸显。",
    "项目建成后预计年产值{amount_paren}，可带动就业{num}00余人。",
)
# How often a sentence is about the story's securities, its boards, the index or anything else.
SENTENCE_TOPIC_WEIGHTS = {"company": 30, "board": 10, "market": 1.5, "general": 58.5}
SUBHEADINGS = ("{field}迎来新机遇", "业绩增长超预期", "机构看好后市表现", "多地出台支持政策", "行业景气度持续回升",
               "影响有多大？")
TITLES_WITH_COMPANY = (
    "{N}：{period}净利同比预增{pct}",
    "{N}拟回购不超过{amount}公司股份",
    "{BN}板块午后拉升 {N}涨停",
    "{broker}：维持{N}“{rating}”评级",
    "{N}中标{city}{project}项目｜公告速递",
    "{N}：{product}产品已批量供货",
    "{N}控股股东拟增持 金额不低于{amount}",
)
TITLES_GENERAL = (
    "{org}：加大{field}支持力度",
    "{city}出台{num}条措施支持{field}发展",
    "{month}{indicator}同比{updown}{pct}",
    "北向资金净{inout}{amount}",
    "{IN}收{move}{pct_small} {BN}板块领涨",
    "{broker}：{field}景气度有望延续",
    "{org}：推动{policy}落地见效",
)
# The scraper wrapped titles in double quotes without escaping them: these make invalid YAML.
TITLES_WITH_QUOTE = ('{org}：坚持"{slogan}"不动摇', '{person}："{field}"仍是最确定的赛道', '{city}回应"{rumor}"传闻')
TITLES_WITH_BACKSLASH = ("{BN}\\{field}概念股午后异动", "{city}{product}\\{product}产线投产")

SPACERS = ('<p style="display:none;height:1px;overflow:hidden;"><br /></p>',) * 6 + (
    '<p style="display:none;height:1px;overflow:hidden;"> </p>',)
KLINE_TOKEN = "7c1e5a09b3d24f68a0e4c2d9f51b8e36"
QUOTE_URL = "http://quote.eastmoney.com/unify/r/"
SITE = "//finews.withounder.com"
DECEMBER_NAV_BASES = _bag({"..": 20, "//finews.zning.me": 19, SITE: 17, ".": 4})

MENTION, ENTITY, KEYWORD = 0, 1, 2
"""Kinds of non-text parts of a sentence; text parts are plain strings."""


# ---------------------------------------------------------------------------------------------
# Securities


class Security:
    """One security of the made-up universe, with its markup pre-rendered (rendering is the hot loop)."""

    __slots__ = ("secid", "name", "text_codes", "keytip", "repeat", "chart")

    def __init__(self, market: int, code: str, name: str, text_codes: tuple[str, ...] = (),
                 chart_types: tuple[int, int] | None = None):
        self.secid = f"{market}.{code}"
        self.name = name
        self.text_codes = text_codes
        url = QUOTE_URL + self.secid
        span, quote = ("bk", "bkquote") if market == 90 else ("stock", "quote")
        self.keytip = (f'<span id="{span}_{self.secid}"><a href="{url}" class="keytip" data-code="{market},{code}">'
                       f'{name}</a></span><span id="{quote}_{self.secid}"></span>')
        self.repeat = (f'<span web="1" href="{url}" class="em_stock_key_common" data-code="{market},{code}">'
                       f'{name}</span>')
        self.chart = None
        if chart_types:
            kind, kind2 = chart_types
            self.chart = (
                f'<!-- EM_StockImg_Start --><p style="text-align:center;"><a href="{url}" '
                f'data-code="{code}|{market}|{kind}" data-code2="{code}|{market}|{kind2}|" class="EmImageRemark" '
                f'target="_blank"><img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid={self.secid}'
                f'&imageType=k&token={KLINE_TOKEN}&at=1" border="0" alt="K图 {code}_0" '
                f'data-code="K {code}|{market}|{kind}" data-code2="K {code}|{market}|{kind2}|" '
                f'style="border:#d1d1d1 1px solid;" width="578" height="276" /></a></p><!-- EM_StockImg_End -->')


def _digit_forms(code: str, suffix: str | None) -> tuple[str, ...]:
    forms = (f"({code})", f"({code})", f"（{code}）")  # half-width parentheses are the most common
    return forms + (f"({code}.{suffix})",) if suffix else forms


def _hong_kong_forms(code: str) -> tuple[str, ...]:
    return (f"({code}.HK)", f"({code[1:]}.HK)", f"({code})", f"（{code}）")


@dataclass
class Universe:
    companies: list[Security]
    company_weights: list[float]
    """Cumulative popularity: a few securities are in the news far more often than the rest."""
    boards: list[Security]
    board_weights: list[float]
    indices: list[Security]
    charted: list[Security]
    board_by_name: dict[str, Security]


def build_universe(rng: random.Random) -> Universe:
    used_names: set[str] = set()
    used_codes: set[str] = set()

    def unique(make):
        while True:
            value = make()
            if value not in used_names and value not in used_codes:
                return value

    def company_name(suffixes):
        return unique(lambda: rng.choice(NAME_CHARS) + rng.choice(NAME_CHARS) + rng.choice(suffixes))

    def digits(prefixes):
        def make():
            prefix = rng.choice(prefixes)
            return prefix + "".join(rng.choice("0123456789") for _ in range(6 - len(prefix)))
        return unique(make)

    def letters(low, high):
        return unique(lambda: "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(low, high))))

    companies: list[Security] = []
    popularity: list[float] = []

    def add(security: Security, weight: float) -> None:
        used_names.add(security.name)
        used_codes.add(security.secid.split(".", 1)[1])
        companies.append(security)
        popularity.append(weight * min(rng.paretovariate(1.2), 30.0))

    a_shares = (  # market, code prefixes, count, name suffixes, suffix written after codes, chart types
        (1, ("600", "601", "603", "605"), 55, A_SHARE_SUFFIXES, "SH", (1, 2)),
        (1, ("688",), 20, STAR_SUFFIXES, "SH", (1, 2)),
        (0, ("000", "001", "002", "003"), 45, A_SHARE_SUFFIXES, "SZ", (2, 6)),
        (0, ("300", "301"), 25, A_SHARE_SUFFIXES, "SZ", (2, 6)),
        (0, ("83", "87", "43", "920"), 14, A_SHARE_SUFFIXES, "BJ", (2, 6)),
    )
    for market, prefixes, count, suffixes, suffix, chart in a_shares:
        for _ in range(count):
            code = digits(prefixes)
            add(Security(market, code, company_name(suffixes), _digit_forms(code, suffix), chart), 1.0)
    for market, prefixes in ((1, ("900",)), (0, ("200",))):  # B shares
        for _ in range(4):
            code = digits(prefixes)
            add(Security(market, code, company_name(("",)) + "B股", _digit_forms(code, None)), 0.3)
    funds = ((1, ("510", "512", "515", "516", "518"), 10, ETF_KINDS), (0, ("159",), 8, ETF_KINDS),
             (0, ("160", "161", "163"), 4, ("LOF",)))
    for market, prefixes, count, kinds in funds:
        for _ in range(count):
            code = digits(prefixes)
            name = unique(lambda: rng.choice(FUND_THEMES) + rng.choice(kinds))
            add(Security(market, code, name, _digit_forms(code, None)), 0.5)
    for _ in range(40):
        code = unique(lambda: f"0{rng.randrange(1, 10000):04d}")
        add(Security(116, code, company_name(HK_SUFFIXES), _hong_kong_forms(code), (5, 3)), 0.8)
    for market, suffix, count in ((105, "O", 8), (106, "N", 6), (107, "A", 3)):
        for _ in range(count):
            ticker = letters(2, 4)
            add(Security(market, ticker, company_name(US_SUFFIXES), (f"({ticker}.{suffix})",), (7, 3)), 0.6)

    boards = []
    for name in MEDIA_BOARDS + tuple(rng.sample(OTHER_BOARDS, 26)):
        boards.append(Security(90, unique(lambda: f"BK{rng.randrange(400, 1200):04d}"), name))
        used_codes.add(boards[-1].secid.split(".", 1)[1])
    indices = [Security(*SHANGHAI_COMPOSITE)] + [Security(100, letters(3, 4), name) for name in INDEX_NAMES]
    return Universe(
        companies=companies,
        company_weights=list(accumulate(popularity)),
        boards=boards,
        board_weights=list(accumulate(min(rng.paretovariate(1.2), 30.0) for _ in boards)),
        indices=indices,
        charted=[security for security in companies if security.chart],
        board_by_name={board.name: board for board in boards},
    )


# ---------------------------------------------------------------------------------------------
# Templates


def _parse(template: str) -> tuple[tuple[str, str | None], ...]:
    """`"{S}公告称"` -> `(("", "S"), ("公告称", None))`: literal text, then the slot that follows it."""
    pieces = re.split(r"\{(\w+)\}", template)
    pairs = [(pieces[i], pieces[i + 1]) for i in range(0, len(pieces) - 1, 2)]
    return tuple(pairs + [(pieces[-1], None)])


_COMPANY_SENTENCES = [_parse(text) for text in COMPANY_SENTENCES]
_BOARD_SENTENCES = [_parse(text) for text in BOARD_SENTENCES]
_MARKET_SENTENCES = [_parse(text) for text in MARKET_SENTENCES]
_GENERAL_SENTENCES = [_parse(text) for text in GENERAL_SENTENCES]
_SUBHEADINGS = [_parse(text) for text in SUBHEADINGS]
_TITLES_WITH_COMPANY = [_parse(text) for text in TITLES_WITH_COMPANY]
_TITLES_GENERAL = [_parse(text) for text in TITLES_GENERAL]
_TITLES_WITH_QUOTE = [_parse(text) for text in TITLES_WITH_QUOTE]
_TITLES_WITH_BACKSLASH = [_parse(text) for text in TITLES_WITH_BACKSLASH]
_IMAGE_CAPTIONS = [_parse(text) for text in IMAGE_CAPTIONS]

_ENTITIES = {"lt": (ENTITY, "<", "&lt;"), "gt": (ENTITY, ">", "&gt;"), "amp": (ENTITY, "&", "&amp;")}
_KEYWORDS = {word: (KEYWORD, word, f'<span id="Info.{3291 + 3 * i}"><a href="http://data.eastmoney.com{page}" '
                                   f'class="infokey">{word}</a></span>')
             for i, (word, page) in enumerate(INFOKEYS)}
_DATA_KEYWORDS = tuple(part for word, part in _KEYWORDS.items() if word not in ("公告", "券商"))
_MARKUP_SLOTS = {"S", "B", "I", "K", "K_notice", "K_broker", *_ENTITIES}
"""Slots that become markup in HTML; the others are plain words."""

WORD_LISTS = {
    "period": ("2021年", "2021年前三季度", "2022年一季度", "上半年", "今年以来", "报告期内"),
    "future_year": ("2025", "2030"),
    "updown": ("增长", "增长", "下降"),
    "move": ("上涨", "下跌", "涨", "跌"),
    "move_verb": ("走高", "拉升", "走弱", "回调"),
    "inout": ("流入", "流出"),
    "abbreviation": tuple(f"{words}({letters})" for words, letters in ABBREVIATIONS),
    "media": tuple(name for name, _ in MEDIA),
    "city": CITIES, "org": ORGS, "field": FIELDS, "project": PROJECTS, "product": PRODUCTS, "rating": RATINGS,
    "broker": BROKERS, "indicator": INDICATORS, "policy": POLICIES, "person": PERSONS, "document": DOCUMENTS,
    "rumor": RUMORS, "slogan": SLOGANS,
}


def _word_maker(rng: random.Random):
    """A function giving a fresh word or number for a slot, drawn with `random()` alone
    (`Random.choice` and `randint` cost several times more)."""
    random_ = rng.random

    def pick(words):
        return words[int(random_() * len(words))]

    def number(low, high):
        return low + int(random_() * (high - low + 1))

    formatted = {
        "pct": lambda: f"{1 + 59 * random_():.2f}%",
        "pct_small": lambda: f"{number(2, 10)}%",
        "amount": lambda: f"{0.5 + 949.5 * random_():.2f}{pick(('亿元', '亿元', '万元'))}",
        "amount_paren": lambda: f"({pick(('', '约'))}{0.3 + 98.7 * random_():.1f}亿元)",
        "year": lambda: f"({number(2019, 2022)})",
        "product_code": lambda: f"({number(1000, 9999)}{pick(PRODUCT_CODE_WORDS)})",
        "price": lambda: f"{3 + 277 * random_():.2f}",
        "points": lambda: f"{2800 + 900 * random_():.2f}",
        "num": lambda: str(number(3, 36)),
        "date": lambda: f"{number(1, 12)}月{number(1, 28)}日",
        "month": lambda: f"{number(1, 12)}月份",
    }

    def word(slot: str) -> str:
        words = WORD_LISTS.get(slot)
        return pick(words) if words is not None else formatted[slot]()

    return word


VARIANTS_PER_TEMPLATE = 40
"""Each sentence template is filled with words this many times per corpus and posts draw from
these, so a post only resolves its securities and other markup (filling every word of every
sentence made generation several times slower)."""


def _prefill(template, word) -> str | tuple:
    """A template with its word slots filled, merged into the text before the next markup slot;
    just the text when no markup is left."""
    pairs, text = [], ""
    for literal, slot in template:
        text += literal
        if slot in _MARKUP_SLOTS:
            pairs.append((text, slot))
            text = ""
        elif slot:
            text += word(slot)
    if not pairs:
        return text
    pairs.append((text, None))
    return tuple(pairs)


def _naming_at_most(templates, securities: int) -> list:
    return [template for template in templates if sum(slot == "S" for _, slot in template) <= securities]


def _sentence_choices(word) -> dict:
    """Pre-filled sentences a story can use and their cumulative weights, by (number of
    securities, has boards)."""
    variants = {template: [_prefill(template, word) for _ in range(VARIANTS_PER_TEMPLATE)]
                for template in _COMPANY_SENTENCES + _BOARD_SENTENCES + _MARKET_SENTENCES + _GENERAL_SENTENCES}
    choices = {}
    for cast in range(MAX_CAST + 1):
        for has_boards in (False, True):
            groups = [(_naming_at_most(_COMPANY_SENTENCES, cast), SENTENCE_TOPIC_WEIGHTS["company"]),
                      (_naming_at_most(_BOARD_SENTENCES, cast) if has_boards else [], SENTENCE_TOPIC_WEIGHTS["board"]),
                      (_MARKET_SENTENCES, SENTENCE_TOPIC_WEIGHTS["market"]),
                      (_GENERAL_SENTENCES, SENTENCE_TOPIC_WEIGHTS["general"])]
            sentences = [filled for group, _ in groups for template in group for filled in variants[template]]
            weights = [weight / len(group) / VARIANTS_PER_TEMPLATE
                       for group, weight in groups for _ in group for _ in range(VARIANTS_PER_TEMPLATE)]
            choices[cast, has_boards] = (sentences, list(accumulate(weights)))
    return choices


# ---------------------------------------------------------------------------------------------
# Plans: what files a story has and when it was published, decided before any text is written


@dataclass
class FilePlan:
    feed: str
    """`media` (an `NW` file) or `emnews`."""
    folder: str
    layout: str
    quirks: list[str] = field(default_factory=list)


@dataclass
class StoryPlan:
    published: datetime
    media: tuple[str, str]
    files: list[FilePlan]
    article_id: str = ""


class _Dice:
    """Rolls for rare features; each one is also forced once early, so that even a 40-post sample
    carries every quirk. Forcing happens at the first eligible story at or after a random position."""

    def __init__(self, rng: random.Random, n_posts: int):
        self._rng = rng
        early = max(1, n_posts // 4)
        self._due = {name: rng.randrange(early) for name in RATES}

    def roll(self, name: str, position: int, rate: float | None = None) -> bool:
        due = self._due.get(name)
        hit = (due is not None and position >= due) or self._rng.random() < (RATES[name] if rate is None else rate)
        if hit:
            self._due.pop(name, None)
        return hit


class _Planner:
    def __init__(self, rng: random.Random, dice: _Dice, start: date, end: date):
        self.rng, self.dice, self.end = rng, dice, end
        self.days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        weights = [0.0 if rng.random() < OUTAGE_RATE
                   else (1.0 if day.weekday() < 5 else WEEKEND_VOLUME) * rng.uniform(0.5, 1.6) for day in self.days]
        if not any(weights):
            weights = [1.0] * len(self.days)
        self.day_weights = list(accumulate(weights))
        # The December digests count towards the plain share; 2022 makes up the rest of each share.
        december = sum(w for day, w in zip(self.days, weights) if day < HTML_ERA_START) / sum(weights)
        plain = max(0.0, STORY_LAYOUT_SHARES["plain"] - december) / (1 - december) if december < 1 else 0.0
        html = STORY_LAYOUT_SHARES["digest_html"] + STORY_LAYOUT_SHARES["media_html"]
        self.html_era_weights = [plain] + [(1 - plain) * STORY_LAYOUT_SHARES[name] / html for name in LAYOUTS[1:]]

    def plan(self, n_posts: int) -> list[StoryPlan]:
        stories: list[StoryPlan] = []
        planned = 0
        while planned < n_posts:
            story = self._story(len(stories))
            story.files = story.files[:n_posts - planned]
            _tag_relations(story)
            stories.append(story)
            planned += len(story.files)
        return stories

    def _story(self, position: int) -> StoryPlan:
        rng = self.rng
        day = rng.choices(self.days, cum_weights=self.day_weights)[0]
        hour = _pick(rng, PUBLICATION_HOURS)
        published = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
        layout = "plain" if day < HTML_ERA_START else rng.choices(LAYOUTS, self.html_era_weights)[0]
        if self.end - day < timedelta(days=FRESH_DAYS):
            folder = "_posts"
        else:
            folder = "old_post" if rng.random() < 0.6 else "_posts"
        if layout != "media_html":
            files = [FilePlan("emnews", folder, layout)]
        elif self.dice.roll("twin", position):
            files = [FilePlan("media", folder, layout), FilePlan("emnews", folder, "digest_html")]
        else:
            files = [FilePlan("media", folder, layout)]
        for original in list(files):
            if self.dice.roll("copy", position):
                layout_of_copy = original.layout
                if original.layout == "digest_html" and self.dice.roll("digest_only_version", position):
                    layout_of_copy = "plain"
                other = "_posts" if original.folder == "old_post" else "old_post"
                files.append(FilePlan(original.feed, other, layout_of_copy))
        return StoryPlan(published, rng.choice(MEDIA), files)


def _tag_relations(story: StoryPlan) -> None:
    """Mark the twins and copies that survived trimming the last story to the requested count."""
    feeds = Counter(plan.feed for plan in story.files)
    layouts = {plan.layout for plan in story.files}
    for plan in story.files:
        if len(feeds) == 2:
            plan.quirks.append("twin")
        if feeds[plan.feed] == 2:
            plan.quirks.append("copy")
            if plan.layout == "plain" and "digest_html" in layouts:
                plan.quirks.append("digest_only_version")


def _assign_ids(stories: list[StoryPlan], rng: random.Random) -> None:
    """18-digit ids: the publication day, then a sequence number that grows with time."""
    reference, base = SEQUENCE_REFERENCE
    previous = 0
    for story in stories:
        seconds = int((story.published - reference).total_seconds())
        sequence = max(base + seconds * SEQUENCE_PER_SECOND + rng.randrange(SEQUENCE_PER_SECOND), previous + 1)
        if not 10**9 <= sequence < 10**10:
            raise ValueError(f"{story.published:%Y-%m-%d} is too far from 2021-12 for a 10-digit sequence")
        story.article_id = f"{story.published:%Y%m%d}{sequence:010d}"
        previous = sequence


# ---------------------------------------------------------------------------------------------
# Names without a code: what name matching must find, and the risky cases it must not get wrong

NAMES_FILE = "names.jsonl"
"""Per article, the securities named without a code or link (the ground truth of name matching)."""
SECURITIES_FILE = "securities.csv"
"""The security master of the made-up universe, in the format `etl securities import` reads."""
LISTED_BROKERS = ("东岳证券", "北辰证券", "瑞丰国际证券")
"""Listed brokers whose names are inside media names (`东岳证券报`): named as a research source they
are mentions, inside the attribution or the media name they are not."""
COMMON_WORD_NAMES = ("机器人", "数字经济", "氢能")
"""Listed companies named by a common word, which the text also uses as the word."""
LONGER_LISTED_ENDING = "精电"
"""`<name>精电` is another listed company, whose name holds a listed name."""
LONGER_UNLISTED_ENDINGS = ("智造有限公司", "物业服务有限公司", "新材料科技有限公司", "智造", "数科")
"""`<name>智造有限公司`: an unlisted company whose name holds a listed name, also written bare
(`<name>智造`, `<name>数科`), where only the word after the name tells them apart."""
NAME_CASE_RATES = {  # the chance that a story carries a sentence of each case
    "other_company": 0.12, "short": 0.08, "short_decoy": 0.04, "common_word": 0.03, "common_word_decoy": 0.05,
    "a_share_of_pair": 0.03, "h_share_of_pair": 0.04, "longer_listed": 0.03, "longer_unlisted": 0.03,
    "legal_name": 0.03, "research_source": 0.06, "research_title": 0.03,
}
NAME_SENTENCES = {  # {n} the name as written; the other slots take words
    "other_company": ("{n}同日发布公告称，公司{period}营业收入同比增长{pct}。", "{n}在互动平台表示，公司{product}订单饱满。",
                      "另据了解，{n}也在加快布局{field}业务。"),
    "short": ("截至收盘，{n}涨{pct_small}。", "{n}午后一度涨停。", "{n}董事长在股东大会上表示，公司订单饱满。",
              "据{n}公告，公司拟回购股份。", "同板块的{n}跌{pct_small}。", "{n}旗下子公司获得{product}订单。",
              "{n}全年营业收入同比增长{pct}。", "龙头{n}大涨{pct_small}。"),
    "short_decoy": ("位于{city}{n}路的{project}项目已开工。", "{n}大厦的展厅{date}起对外开放。", "{city}{n}村的合作社规模扩大。"),
    "common_word": ("{n}公告称，公司{period}净利润同比增长{pct}。", "{n}在互动平台表示，公司订单饱满。",
                    "{city}国资与{n}签署战略合作协议。"),
    "common_word_decoy": {"机器人": "{city}工业机器人产量同比增长{pct}。", "数字经济": "{city}数字经济核心产业规模持续扩大。",
                          "氢能": "{city}出台措施推动氢能产业链加快布局。"},
    "a_share_of_pair": ("{n}公告称，公司A股{period}营业收入同比增长{pct}。",),
    "h_share_of_pair": ("港股{n}涨{pct_small}，成交额{amount}港元。", "{n}H股午后拉升，涨幅扩大至{pct_small}。"),
    "longer_listed": ("{n}发布公告，{period}营业收入同比增长{pct}。",),
    "longer_unlisted": ("{n}宣布完成{amount}融资，将用于{project}项目。",),
    "legal_name": ("{n}{date}发布公告称，公司{period}营业收入同比增长{pct}。",),
    "research_source": ("据{n}研报，{field}行业景气度有望延续。", "{n}认为，{policy}仍有加码空间。",
                        "{n}首席经济学家表示，{indicator}将小幅回升。"),
    "research_title": ("{n}：{field}景气度有望延续", "{n}：{policy}仍有加码空间"),
}


@dataclass(frozen=True)
class NamedSecurity:
    secid: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class NameCast:
    """The securities of the risky cases, added to the universe for names only (they have no code
    written in text and no markup), and the security master that name matching is given."""

    brokers: list[NamedSecurity]
    common_words: dict[str, NamedSecurity]
    pairs: list[tuple[Security, NamedSecurity]]
    """An A share and the H share of the same name."""
    longer: list[tuple[Security, NamedSecurity]]
    """A listed company and the listed `<name>精电` whose name holds its name."""
    short: list[tuple[Security, str]]
    """A company and its two-character alias."""
    plain_named: list[Security]
    """Companies whose names can take a legal or an unlisted longer form."""
    master: list[NamedSecurity]
    same_name: dict[str, list[str]]
    """secid → the other secids of the same name."""


def build_name_cast(rng: random.Random, universe: Universe) -> NameCast:
    """Drawn from `rng` alone, which is not the universe's, so the codes and markup of a corpus are
    those it had before names were added."""
    codes = {security.secid.split(".", 1)[1] for security in universe.companies + universe.boards + universe.indices}

    def code(make) -> str:
        while True:
            value = make()
            if value not in codes:
                codes.add(value)
                return value

    def digits(prefix: str) -> str:
        return code(lambda: prefix + "".join(rng.choice("0123456789") for _ in range(6 - len(prefix))))

    brokers = [NamedSecurity(f"1.{digits('601')}", name) for name in LISTED_BROKERS]
    common_words = {name: NamedSecurity(f"0.{digits('300')}", name) for name in COMMON_WORD_NAMES}
    stocks = [s for s in universe.companies if s.secid.split(".")[0] in ("0", "1") and s.chart and len(s.name) == 4]
    names = {s.name for s in universe.companies}
    prefixes = Counter(name[:2] for name in names)
    chosen = rng.sample(stocks, 26)

    def hong_kong(name: str) -> NamedSecurity:
        return NamedSecurity(f"116.{code(lambda: f'0{rng.randrange(1, 10000):04d}')}", name)

    pairs = [(a, hong_kong(a.name)) for a in chosen[:6]]
    longer = [(s, hong_kong(s.name + LONGER_LISTED_ENDING)) for s in chosen[6:10]]
    short = [(s, s.name[:2]) for s in chosen[10:] if prefixes[s.name[:2]] == 1][:8]
    plain_named = [s for s in stocks if not s.name.endswith(("股份", "集团", "控股"))]
    aliases = dict((s.secid, (alias,)) for s, alias in short)
    master = [NamedSecurity(s.secid, s.name, aliases.get(s.secid, ()))
              for s in universe.companies + universe.indices]
    master += brokers + list(common_words.values()) + [h for _, h in pairs] + [s for _, s in longer]
    by_name: dict[str, list[str]] = {}
    for entry in master:
        by_name.setdefault(entry.name, []).append(entry.secid)
    same_name = {secid: [other for other in secids if other != secid]
                 for secids in by_name.values() if len(secids) > 1 for secid in secids}
    return NameCast(brokers, common_words, pairs, longer, short, plain_named, sorted(master, key=lambda e: e.secid),
                    same_name)


def write_master(path: Path, master: list[NamedSecurity]) -> None:
    """`secid,name,aliases` (aliases separated by `|`), UTF-8 with a header: `etl securities import`'s format."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("secid", "name", "aliases"))
        writer.writerows((entry.secid, entry.name, "|".join(entry.aliases)) for entry in master)


class _NameWriter:
    """Sentences that name securities without a code, one case at a time, and what each names."""

    def __init__(self, rng: random.Random, cast: NameCast, companies: list[Security]):
        self.rng, self.cast, self.companies = rng, cast, companies
        self.word = _word_maker(rng)

    def _fill(self, template: str, name: str) -> str:
        return "".join(text + (name if slot == "n" else self.word(slot) if slot else "")
                       for text, slot in _parse(template))

    def title(self) -> tuple[str, dict[str, str]] | None:
        """A research source's title, now and then: `东岳证券：…`."""
        if self.rng.random() >= NAME_CASE_RATES["research_title"]:
            return None
        broker = self.rng.choice(self.cast.brokers)
        return self._fill(self.rng.choice(NAME_SENTENCES["research_title"]), broker.name), \
            {broker.secid: "research_title"}

    def sentences(self) -> list[tuple[str, dict[str, str], dict[str, str]]]:
        """(text, secid → case named, secid → case of a decoy that must not count) for each case drawn."""
        rng, cast = self.rng, self.cast
        out = []
        for case, rate in NAME_CASE_RATES.items():
            if case == "research_title" or rng.random() >= rate:
                continue
            named: dict[str, str] = {}
            decoy: dict[str, str] = {}
            templates = NAME_SENTENCES[case]
            if case == "other_company":
                security = rng.choice(self.companies)
                name, named[security.secid] = security.name, case
            elif case in ("short", "short_decoy"):
                security, name = rng.choice(cast.short)
                (named if case == "short" else decoy)[security.secid] = case
            elif case in ("common_word", "common_word_decoy"):
                name = rng.choice(COMMON_WORD_NAMES)
                (named if case == "common_word" else decoy)[cast.common_words[name].secid] = case
                if case == "common_word_decoy":
                    templates = (templates[name],)
            elif case in ("a_share_of_pair", "h_share_of_pair"):
                a_share, h_share = rng.choice(cast.pairs)
                name = a_share.name
                named[a_share.secid if case == "a_share_of_pair" else h_share.secid] = case
            elif case == "longer_listed":
                inner, outer = rng.choice(cast.longer)
                name, named[outer.secid], decoy[inner.secid] = outer.name, case, case
            elif case == "longer_unlisted":
                security = rng.choice(cast.plain_named)
                name, decoy[security.secid] = security.name + rng.choice(LONGER_UNLISTED_ENDINGS), case
            elif case == "legal_name":
                security = rng.choice(cast.plain_named)
                name, named[security.secid] = security.name + "股份有限公司", case
            else:  # research_source
                broker = rng.choice(cast.brokers)
                name, named[broker.secid] = broker.name, case
            out.append((self._fill(rng.choice(templates), name), named, decoy))
        return out


# ---------------------------------------------------------------------------------------------
# Writing: the text of a story, then each of its files


@dataclass
class _Content:
    title: str
    digest: str
    digest_counts: Counter
    html_lines: list[str]
    """HTML paragraphs; a file joins them on one line or on several starting with ` <p>`."""
    html_counts: Counter
    charted: list[str]
    html_quirks: list[str]
    link: str
    title_named: dict[str, str] = field(default_factory=dict)
    """Securities whose names the title writes (secid → case), codes or not; so for the digest and the HTML."""
    digest_named: dict[str, str] = field(default_factory=dict)
    html_named: dict[str, str] = field(default_factory=dict)
    digest_decoys: dict[str, str] = field(default_factory=dict)
    """Securities whose names are written inside words that do not name them (secid → case)."""
    html_decoys: dict[str, str] = field(default_factory=dict)


class _Author:
    """Makes up the text of stories and renders their files."""

    def __init__(self, rng: random.Random, dice: _Dice, universe: Universe, names: _NameWriter):
        self.rng, self.dice, self.universe, self.names = rng, dice, universe, names
        self.word = _word_maker(rng)
        self.sentence_choices = _sentence_choices(self.word)

    # -- the story ----------------------------------------------------------------------------

    def compose(self, story: StoryPlan, position: int) -> _Content:
        rng = self.rng
        has_html = any(plan.layout != "plain" for plan in story.files)
        self.cast = list(dict.fromkeys(rng.choices(self.universe.companies, cum_weights=self.universe.company_weights,
                                                   k=_pick(rng, STORY_SECURITIES))))
        self.boards = list(dict.fromkeys(rng.choices(self.universe.boards, cum_weights=self.universe.board_weights,
                                                     k=_pick(rng, STORY_BOARDS))))
        # The auto-linker marks a security everywhere in an article or, when it does not know it, nowhere.
        self.unlinked = {security for security in self.cast if security.text_codes and rng.random() < 0.15}
        self.named: set[Security] = set()
        self.first_code_rate = 0.5 if has_html else 0.6
        self.title_named: dict[str, str] = {}
        title = self._title(story, position)
        research_title = self.names.title()
        if research_title and '"' not in title and "\\" not in title:
            title, self.title_named = research_title
        media_name = story.media[0]
        # Sentences naming securities without a code, drawn from the names' own generator: the main
        # one draws what it drew before names were added.
        name_sentences = self.names.sentences()

        digest_counts: Counter = Counter()
        html_lines: list[str] = []
        html_counts: Counter = Counter()
        charted: list[str] = []
        html_quirks: list[str] = []
        digest_named: dict[str, str] = {}
        html_named: dict[str, str] = {}
        digest_decoys: dict[str, str] = {}
        html_decoys: dict[str, str] = {}
        if has_html:
            paragraphs = self._paragraphs()
            for text, named, decoys in name_sentences:
                at = int(self.names.rng.random() * len(paragraphs))
                paragraphs[at].append(text)
                html_named |= named
                html_decoys |= decoys
                if at == 0:
                    digest_named |= named
                    digest_decoys |= decoys
            digest = _plain(paragraphs[0], digest_counts, digest_named) + f"（{media_name}）"
            html_lines, charted, html_quirks = self._html(paragraphs, media_name, html_counts, position, html_named)
        elif self.dice.roll("title_as_digest", position):
            digest = title
            digest_named = dict(self.title_named)
        else:
            parts = self._paragraph(_pick(rng, DIGEST_SENTENCES))
            for text, named, decoys in name_sentences:
                parts.append(text)
                digest_named |= named
                digest_decoys |= decoys
            digest = _plain(parts, digest_counts, digest_named)
            if rng.random() < 0.5:
                digest += rng.choice(("({})", "（{}）")).format(media_name)
        host, column = _pick(rng, EMNEWS_COLUMNS)
        link = f"<http://{host}.eastmoney.com/news/{column},{story.article_id}.html>"
        return _Content(title, digest, digest_counts, html_lines, html_counts, charted, html_quirks, link,
                        self.title_named, digest_named, html_named, digest_decoys, html_decoys)

    def _title(self, story: StoryPlan, position: int) -> str:
        rng = self.rng
        if self.dice.roll("title_with_quote", position):
            templates = _TITLES_WITH_QUOTE
        elif self.dice.roll("title_with_backslash", position):
            templates = _TITLES_WITH_BACKSLASH
        elif self.cast and rng.random() < 0.7:
            templates = _TITLES_WITH_COMPANY
        else:
            templates = _TITLES_GENERAL
        def named(security: Security) -> str:
            self.title_named.setdefault(security.secid, "name")
            return security.name

        names = {
            "N": lambda: named(self.cast[0]),
            "BN": lambda: (rng.choice(self.boards) if self.boards else rng.choice(self.universe.boards)).name,
            "IN": lambda: named(rng.choice(self.universe.indices)),
        }
        word = self.word
        return "".join(text + (names[slot]() if slot in names else word(slot) if slot else "")
                       for text, slot in rng.choice(templates))

    def _paragraphs(self) -> list[list]:
        rng = self.rng
        return [self._paragraph(_pick(rng, PARAGRAPH_SENTENCES)) for _ in range(_pick(rng, HTML_PARAGRAPHS))]

    def _paragraph(self, sentences: int) -> list:
        parts: list = []
        candidates, weights = self.sentence_choices[len(self.cast), bool(self.boards)]
        random_, total = self.rng.random, weights[-1]
        for _ in range(sentences):
            sentence = candidates[bisect(weights, random_() * total)]
            if sentence.__class__ is str:
                parts.append(sentence)
            else:
                self._fill(sentence, parts)
        return parts

    def _fill(self, sentence, parts: list) -> None:
        """Append a pre-filled sentence's text and the markup parts its slots stand for."""
        rng, cast = self.rng, self.cast
        # Successive {S} of a sentence name different securities, most often starting with the lead.
        nth_security = 0 if rng.random() < 0.6 or not cast else rng.randrange(len(cast))
        for text, slot in sentence:
            parts.append(text)
            if slot is None:
                continue
            if slot == "S":
                parts.append(self._mention(cast[nth_security % len(cast)]))
                nth_security += 1
            elif slot == "B":
                parts.append((MENTION, rng.choice(self.boards), ""))
            elif slot == "I":
                parts.append((MENTION, rng.choice(self.universe.indices), ""))
            elif slot == "K":
                parts.append(rng.choice(_DATA_KEYWORDS))
            elif slot == "K_notice":
                parts.append(_KEYWORDS["公告"])
            elif slot == "K_broker":
                parts.append(_KEYWORDS["券商"])
            else:
                parts.append(_ENTITIES[slot])

    def _mention(self, security: Security) -> tuple:
        code = ""
        rate = 0.12 if security in self.named else self.first_code_rate
        if security.text_codes and self.rng.random() < rate:
            code = security.text_codes[int(self.rng.random() * len(security.text_codes))]
        self.named.add(security)
        return (MENTION, security, code)

    # -- HTML ---------------------------------------------------------------------------------

    def _html(self, paragraphs: list[list], media_name: str, counts: Counter, position: int,
              named: dict[str, str]):
        rng = self.rng
        marked: set[Security] = set()
        keywords_linked: set[str] = set()
        code_after_markup = False
        quirks = []

        def render(parts) -> str:
            nonlocal code_after_markup
            out = []
            for part in parts:
                if part.__class__ is str:
                    out.append(part)
                elif part[0] == MENTION:
                    security, code = part[1], part[2]
                    named.setdefault(security.secid, "name")
                    if security in self.unlinked:
                        out.append(security.name)
                    elif security in marked:
                        out.append(security.repeat)
                    else:
                        marked.add(security)
                        out.append(security.keytip)
                    out.append(code)
                    if code or security not in self.unlinked:
                        counts[security.secid] += 1
                    code_after_markup = code_after_markup or bool(code and security not in self.unlinked)
                elif part[0] == ENTITY:
                    out.append(part[2])
                elif part[1] in keywords_linked:
                    out.append(part[1])
                else:
                    keywords_linked.add(part[1])
                    out.append(part[2])
            return "".join(out)

        lines = []
        for index, parts in enumerate(paragraphs):
            if index and rng.random() < 0.08:
                lines.append(f"<p><strong>{self._words_only(rng.choice(_SUBHEADINGS))}</strong></p>")
            ending = "<br /></p>" if rng.random() < 0.12 else "</p>"
            lines.append(f"<p>{render(parts)}{ending}")
            if rng.random() < 0.06:
                lines[-1] += self._image()

        charted = self._charts(position)
        head = "".join(rng.choice(SPACERS) + security.chart for security in charted)
        if not charted and rng.random() < 0.5:
            head = rng.choice(SPACERS)
        lines[0] = head + lines[0]

        source = media_name
        board_name = next((name for name in MEDIA_BOARDS if name in media_name), None)
        if board_name and self.dice.roll("attribution_autolink", position):
            board = self.universe.board_by_name[board_name]
            source = media_name.replace(board_name, board.repeat if board in marked else board.keytip, 1)
            quirks.append("attribution_autolink")
        lines[-1] += f'<p class="em_media">（文章来源：{source}）</p>'
        if code_after_markup:
            quirks.append("code_after_markup")
        return lines, [security.secid for security in charted], quirks

    def _charts(self, position: int) -> list[Security]:
        rng = self.rng
        wanted = _pick(rng, STORY_CHARTS)
        if not wanted:
            return []
        charted = [security for security in self.cast if security.chart][:wanted]
        if self.dice.roll("chart_only_mention", position):
            outsider = rng.choice(self.universe.charted)
            if outsider not in self.cast:
                charted = charted[:wanted - 1] + [outsider]
        return charted

    def _image(self) -> str:
        rng = self.rng
        picture = (f'<center><img src="https://dfscdn.dfcfw.com/download/D{rng.randrange(10**19, 10**20)}'
                   f'_w800h{rng.randrange(180, 600)}.jpg" alt="Image" width="552" '
                   'style="border:#d1d1d1 1px solid;padding:3px;margin:5px 0;" /></center>')
        if rng.random() < 0.6:
            picture += f'<p style="text-align:center;">{self._words_only(rng.choice(_IMAGE_CAPTIONS))}</p>'
        return picture

    def _words_only(self, template) -> str:
        return "".join(text + (self.word(slot) if slot else "") for text, slot in template)

    # -- files --------------------------------------------------------------------------------

    def render_file(self, story: StoryPlan, plan: FilePlan, content: _Content, position: int):
        """The file's path, bytes, quirks and mention counts."""
        dice = self.dice
        quirks = list(plan.quirks)
        media_name, media_category = story.media
        is_media = plan.feed == "media"
        html_era = story.published.date() >= HTML_ERA_START

        title = content.title
        stamp = f"{story.published:%Y-%m-%d %H:%M:%S}"
        empty_date = plan.folder == "_posts" and dice.roll("empty_date", position)
        if empty_date or dice.roll("empty_title", position):
            title = ""
            quirks.append("empty_title")
        if empty_date:
            date_text = " +0800"
            quirks.append("empty_date")
        elif dice.roll("date_without_offset", position,
                       PLAIN_DATE_WITHOUT_OFFSET_RATE if plan.layout == "plain" else None):
            date_text = stamp
            quirks.append("date_without_offset")
        else:
            date_text = stamp + " +0800"
        if "\\" in title:
            quirks.append("title_with_backslash")
        if '"' in title:
            quirks.append("title_with_quote")
        category, tag = (media_category, media_name + "新闻") if is_media else (EMNEWS_CATEGORY, EMNEWS_TAG)
        front = f'---\nlayout: post\ntitle: "{title}"\ndate: {date_text}\ncategories: {category}\ntags: {tag}\n---\n'

        counts: Counter = Counter()
        if plan.layout == "plain":
            main = "\n" + content.digest
            counts.update(content.digest_counts)
            if content.digest == content.title:
                quirks.append("title_as_digest")
        else:
            html = self._join_lines(content.html_lines, position, quirks)
            quirks.extend(content.html_quirks)
            counts.update(content.html_counts)
            if is_media:
                main = html
            else:
                main = f"> {content.digest}\n\n{html}"
                counts.update(content.digest_counts)
            for secid in content.charted:
                if not counts[secid]:
                    quirks.append("chart_only_mention")
                    counts[secid] = 1

        sections = [main]
        if is_media:
            link = f"<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW{story.article_id}>"
        else:
            link = content.link
        if plan.layout == "plain":
            sections.append(link)
        elif dice.roll("empty_link", position):
            sections.append("<>")
            quirks.append("empty_link")
        elif dice.roll("no_link", position):
            quirks.append("no_link")
        else:
            sections.append(link)
        navigation = self._navigation(is_media, story.media, html_era, quirks)
        if navigation:
            sections.append(navigation)
        body = "\n\n".join(sections)

        if dice.roll("final_newline", position):
            body += "\n"
            quirks.append("final_newline")
        if dice.roll("blank_line_before_front_matter", position):
            front = "\n" + front
            quirks.append("blank_line_before_front_matter")
        if dice.roll("crlf_file", position):
            text = (front + body).replace("\n", "\r\n")
            quirks.append("crlf_file")
        elif dice.roll("crlf_body", position):
            text = front + body.replace("\n", "\r\n")
            quirks.append("crlf_body")
        else:
            text = front + body
        data = text.encode("utf-8")
        if dice.roll("bom", position):
            data = b"\xef\xbb\xbf" + data
            quirks.append("bom")

        day = "" if empty_date else f"{story.published:%Y-%m-%d}"
        path = f"{plan.folder}/{day}-{'NW' if is_media else ''}{story.article_id}.md"
        return path, data, sorted(set(quirks)), +counts

    def _join_lines(self, lines: list[str], position: int, quirks: list[str]) -> str:
        if len(lines) < 2 or not self.dice.roll("split_html_lines", position):
            return "".join(lines)
        quirks.append("split_html_lines")
        rng = self.rng
        return lines[0] + "".join(("\n " if rng.random() < 0.6 else "") + line for line in lines[1:])

    def _navigation(self, is_media: bool, media: tuple[str, str], html_era: bool, quirks: list[str]) -> str | None:
        rng = self.rng
        if not html_era:  # December digests: two lines, under one of the site's addresses, or none
            if rng.random() < 0.35:
                quirks.append("no_nav")
                return None
            base = _pick(rng, DECEMBER_NAV_BASES)
            quirks.append("nav_two_lines")
            if not base.startswith("//"):
                quirks.append("nav_relative")
            return f"[返回{EMNEWS_TAG}]({base}/emnews/)\n[返回首页]({base}/)"
        label, path = (media[0] + "新闻", f"category/{media[1]}.html") if is_media else (EMNEWS_TAG, "emnews/")
        style = rng.random()
        if style < 0.05:
            quirks.append("no_nav")
            return None
        if style < 0.10:
            quirks.append("nav_relative")
            return f"[返回{label}](../{path})｜[返回首页](../)"
        if style < 0.16:
            quirks.append("nav_two_lines")
            return f"[返回{label}]({SITE}/{path})\n[返回首页]({SITE}/)"
        return f"[返回{label}]({SITE}/{path})｜[返回首页]({SITE}/)"


def _plain(parts: list, counts: Counter, named: dict[str, str]) -> str:
    """Text of parts as the plain digests carry it: names with their codes, if any, and no markup."""
    out = []
    for part in parts:
        if part.__class__ is str:
            out.append(part)
        elif part[0] == MENTION:
            named.setdefault(part[1].secid, "name")
            out.append(part[1].name)
            if part[2]:
                out.append(part[2])
                counts[part[1].secid] += 1
        else:
            out.append(part[1])
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Output


class _BatchWriter:
    """Writes files in batches, each batch split over a few threads while generation waits.

    Creating a file costs the file system more than generating its text, and threads overlap
    that latency because file I/O releases the GIL. Writing in the background while generating
    is slower still: the CPU-bound generator keeps the GIL and starves the writing threads.
    """

    def __init__(self, threads: int = 4, batch_size: int = 2000):
        self._threads, self._batch_size = threads, batch_size
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="synthetic-writer")
        self._batch: list[tuple[str, bytes]] = []

    def write(self, path: str, data: bytes) -> None:
        self._batch.append((path, data))
        if len(self._batch) >= self._batch_size:
            self._flush()

    def _flush(self) -> None:
        shares = [self._batch[i::self._threads] for i in range(self._threads)]
        for _ in self._pool.map(_write_files, shares):
            pass  # surfaces the first error
        self._batch = []

    def __enter__(self) -> _BatchWriter:
        return self

    def __exit__(self, exc_type, *_) -> None:
        try:
            if exc_type is None:
                self._flush()
        finally:
            self._pool.shutdown()


def _write_files(files: list[tuple[str, bytes]]) -> None:
    for path, data in files:
        with open(path, "wb") as handle:
            handle.write(data)


def _write_manifest(path: Path, manifest: dict) -> None:
    """JSON with one file or article per line: readable in a diff of the bundled sample, and
    encoded by the C encoder (`indent` would switch to the pure-Python one, ~10x slower)."""

    def entries(mapping: dict) -> str:
        return ",\n".join(f"  {json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
                           for key, value in mapping.items())

    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f'{{"seed": {json.dumps(manifest["seed"])}, "n_posts": {manifest["n_posts"]},\n'
                     f' "files": {{\n{entries(manifest["files"])}\n }},\n'
                     f' "articles": {{\n{entries(manifest["articles"])}\n }}}}\n')


def generate_corpus(out_dir: Path, n_posts: int, seed: int = 0, start: date = date(2021, 12, 8),
                    end: date = date(2022, 6, 30)) -> dict:
    """Write `n_posts` post files (copies and twins included) under `out_dir` and their manifest.

    The same arguments always give the same bytes. `out_dir` must not hold posts already: stale
    files would be loaded but missing from the manifest.
    """
    out_dir = Path(out_dir)
    if n_posts < 0:
        raise ValueError("n_posts must not be negative")
    if end < start:
        raise ValueError("end is before start")
    for folder in ("_posts", "old_post"):
        if any((out_dir / folder).glob("*.md")):
            raise FileExistsError(f"{out_dir / folder} already holds posts; generate into an empty directory")
        (out_dir / folder).mkdir(parents=True, exist_ok=True)

    rng = random.Random(seed)
    dice = _Dice(rng, n_posts)
    universe = build_universe(rng)
    stories = _Planner(rng, dice, start, end).plan(n_posts)
    stories.sort(key=lambda story: story.published)
    _assign_ids(stories, rng)

    names_rng = random.Random(f"names-{seed}")
    cast = build_name_cast(names_rng, universe)
    author = _Author(rng, dice, universe, _NameWriter(names_rng, cast, universe.companies))
    files: dict[str, dict] = {}
    articles: dict[str, dict] = {}
    with _BatchWriter() as files_out, open(out_dir / NAMES_FILE, "w", encoding="utf-8") as names_out:
        for position, story in enumerate(stories):
            content = author.compose(story, position)
            mentions: Counter = Counter()
            named: dict[str, str] = {}
            decoys: dict[str, str] = {}
            titled = False
            for plan in story.files:
                path, data, quirks, counts = author.render_file(story, plan, content, position)
                files_out.write(os.path.join(out_dir, path), data)
                files[path] = {"article_id": story.article_id, "layout": plan.layout, "quirks": quirks}
                mentions |= counts  # the largest count over the article's files
                titled = titled or "empty_title" not in quirks
                _written_names(plan.layout, "empty_title" not in quirks, content, named, decoys)
            articles[story.article_id] = {
                "mentions": dict(sorted(mentions.items())),
                "title": content.title if titled else "",
                "published_date": story.published.date().isoformat(),
            }
            media_name = story.media[0]
            if any(plan.layout != "plain" for plan in story.files) or media_name in content.digest:
                # The attribution, the closing `（媒体）` or the tag writes the media name.
                decoys |= {broker.secid: "attribution" for broker in cast.brokers if broker.name in media_name}
            names_out.write(_names_line(story.article_id, named, decoys, mentions, cast.same_name))

    manifest = {"seed": seed, "n_posts": len(files), "files": dict(sorted(files.items())), "articles": articles}
    _write_manifest(out_dir / "manifest.json", manifest)
    write_master(out_dir / SECURITIES_FILE, cast.master)
    return manifest


def _written_names(layout: str, titled: bool, content: _Content, named: dict[str, str], decoys: dict[str, str]) -> None:
    """Add the names one file of a story writes: its title, its digest (a plain file's text, the
    `> ` line of an emnews HTML file; a media file has none) and its HTML."""
    if titled:
        named |= content.title_named
    if layout != "media_html":
        named |= content.digest_named
        decoys |= content.digest_decoys
    if layout != "plain":
        named |= content.html_named
        decoys |= content.html_decoys


def _names_line(article_id: str, named: dict[str, str], decoys: dict[str, str], coded: Counter,
                same_name: dict[str, list[str]]) -> str:
    """The article's line of `names.jsonl`: each security named without a code or link anywhere in
    it (boards are topics, not names), its case and the other securities of its name; and the
    securities written only inside words that do not name them."""
    names = {secid: {"case": case, "also": same_name.get(secid, [])}
             for secid, case in sorted(named.items()) if secid not in coded and not secid.startswith("90.")}
    decoys = {secid: case for secid, case in sorted(decoys.items()) if secid not in named and secid not in coded}
    return json.dumps({"article_id": article_id, "names": names, "decoys": decoys}, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic finews corpus and its manifest.json.")
    parser.add_argument("--out", type=Path, required=True, help="directory to write _posts/ and old_post/ into")
    parser.add_argument("--posts", type=int, default=40, help="number of post files (default 40)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    manifest = generate_corpus(args.out, args.posts, seed=args.seed)
    layouts = Counter(entry["layout"] for entry in manifest["files"].values())
    print(f"wrote {manifest['n_posts']} posts ({layouts['plain']} plain, {layouts['digest_html']} digest+html, "
          f"{layouts['media_html']} media) of {len(manifest['articles'])} articles to {args.out} "
          f"in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

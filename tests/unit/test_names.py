"""The security-name matcher: each rule of etl/posts/names.py, on hand-written sentences."""

import pickle
import signal

import pytest

from etl.posts.names import (
    LEAD_CHARS,
    Accuracy,
    LabeledArticle,
    NameMatcher,
    SecurityName,
    measure,
    relevance,
)


def imported(secid, name, *aliases, count=0):
    return SecurityName(secid, name, "imported", aliases=aliases, article_count=count)


def learned(secid, name, count=1):
    return SecurityName(secid, name, "learned", article_count=count)


DICTIONARY = [
    imported("1.601999", "远航平安"),
    imported("0.000999", "远航平安银行"),
    imported("1.601988", "中国银行", "中行"),
    imported("1.601998", "远航铝业"),
    imported("116.02998", "远航铝业"),
    imported("0.002999", "红星电器", "红星"),
    imported("106.NIO", "NIO", "蔚来"),
    imported("1.601798", "远航证券"),
    imported("1.600998", "沪深300"),
    imported("1.510998", "沪深300ETF"),
    imported("105.TSLA", "特斯拉"),
    imported("1.601918", "平安", "机器人"),
    learned("0.300999", "远航科技"),
    learned("0.300998", "银海"),
    learned("106.SUN", "Lp"),
    learned("0.300997", "储能电池"),
    learned("90.BK0999", "储能电池"),
    learned("90.BK0800", "特斯拉"),
    learned("90.BK0998", "锂电池概念"),
    learned("1.600997", "锂电池"),
]


@pytest.fixture(scope="module")
def matcher():
    return NameMatcher(DICTIONARY)


def found(matcher, body, title=None, **kwargs):
    return {secid: m.names for secid, m in matcher.find_names(title, body, **kwargs).items()}


def test_longest_leftmost_match_wins(matcher):
    assert found(matcher, "远航平安银行公告，远航平安回购。") == {"0.000999": ("远航平安银行",), "1.601999": ("远航平安",)}


def test_blocking_phrases_and_board_names_hold_no_name(matcher):
    assert found(matcher, "中国银行业协会发布报告，中国银行间市场活跃。") == {}
    assert found(matcher, "中国银行发布报告。") == {"1.601988": ("中国银行",)}
    # A board's name is a topic: it is not matched, and no name inside it is.
    assert found(matcher, "锂电池概念走强。") == {}


def test_learned_name_equal_to_a_board_is_dropped_but_an_imported_one_stays(matcher):
    assert matcher.secids("储能电池") == ()
    assert matcher.secids("特斯拉") == ("105.TSLA",)
    assert found(matcher, "特斯拉交付新车，储能电池业务增长。") == {"105.TSLA": ("特斯拉",)}


def test_common_words_count_only_where_they_read_as_a_company(matcher):
    assert found(matcher, "平安夜，机器人展会。") == {}
    assert found(matcher, "工业机器人产量增长，与机器人签约。") == {}
    assert found(matcher, "机器人公告称，订单增长。据机器人披露，回购完成。") == {"1.601918": ("机器人",)}
    assert set(matcher.find_names("机器人：净利预增", "正文。")) == {"1.601918"}
    # A learned common word never counts.
    assert NameMatcher([learned("0.300996", "数字经济", count=9)]).find_names(None, "数字经济公告称增长。") == {}


def test_a_name_inside_an_unlisted_company_s_legal_name_does_not_count(matcher):
    assert found(matcher, "远航科技智造有限公司获得融资。") == {}
    assert found(matcher, "远航科技新材料科技有限责任公司成立。") == {}
    assert found(matcher, "远航科技股份有限公司发布公告。") == {"0.300999": ("远航科技",)}
    assert found(matcher, "远航科技集团股份有限公司发布公告。") == {"0.300999": ("远航科技",)}
    assert found(matcher, "远航科技与某某新材料有限公司签约。") == {"0.300999": ("远航科技",)}
    assert found(matcher, "远航科技为某某(北京)科技有限公司供货。") == {"0.300999": ("远航科技",)}
    assert found(matcher, "远航科技(北京)智造有限公司成立。") == {}


def test_a_name_followed_by_an_industry_word_is_another_company(matcher):
    assert found(matcher, "远航科技物业开业，远航科技医药获批，远航平安银行公告。") == {"0.000999": ("远航平安银行",)}
    # Words that go on naming the same company do not make another one.
    assert found(matcher, "远航科技汽车销量增长，远航科技集团公告。") == {"0.300999": ("远航科技",)}
    # The article's own name of a security is not subject to it.
    assert found(matcher, "远航科技(300999)公告，远航科技能源业务增长。", claimed={"0.300999": "远航科技"}) == {
        "0.300999": ("远航科技",)}
    # Hong Kong listings are 有限公司; a group's form between is still the company.
    assert found(matcher, "远航铝业有限公司、远航铝业(集团)有限公司公告。", title="港股") == {
        "116.02998": ("远航铝业",)}


def test_a_concept_is_not_the_company(matcher):
    assert found(matcher, "特斯拉概念股走强。") == {}
    assert found(matcher, "稀土、特斯拉、光伏等概念股表现活跃。") == {}
    assert found(matcher, "特斯拉、远航证券涨超5%。") == {"105.TSLA": ("特斯拉",), "1.601798": ("远航证券",)}


def test_short_names(matcher):
    # Learned short names never count from the dictionary alone.
    assert found(matcher, "今日银海涨停。") == {}
    # An imported short name counts where it stands apart, not glued inside other words.
    assert found(matcher, "家电股走强，红星涨5%，中行跟涨。") == {"0.002999": ("红星",), "1.601988": ("中行",)}
    assert found(matcher, "一颗红星照耀，星星点点。") == {}
    assert found(matcher, "红星表示将扩产。") == {"0.002999": ("红星",)}
    assert found(matcher, "红星董事长称，红星午后涨停。") == {"0.002999": ("红星",)}
    # Opening a clause, a short name is the subject, whatever follows but a place word.
    assert found(matcher, "“红星”重回高位！红星飙升。") == {"0.002999": ("红星",)}
    assert found(matcher, "红星路的项目开工，红星大厦开放。") == {}
    assert found(matcher, "他说红星在路上，龙头红星大涨。") == {}  # glued into words: missed on purpose
    # Claimed (tied to a code in the article), a short name counts anywhere.
    assert found(matcher, "今日银海涨停，银海(300998)公告。", claimed={"0.300998": "银海"}) == {"0.300998": ("银海",)}


def test_ascii_names_match_on_word_boundaries_in_any_case_and_width(matcher):
    assert found(matcher, "NIOX 与 NIOS 上涨") == {}
    assert found(matcher, "美股NIO涨5%，nio与ＮＩＯ") == {"106.NIO": ("NIO", "nio", "ＮＩＯ")}
    assert found(matcher, "沪深300ETF成交放量") == {"1.510998": ("沪深300ETF",)}
    assert found(matcher, "沪深3000点") == {}
    # A letter that ends a name may touch a digit.
    assert found(matcher, "NIO2021年交付") == {"106.NIO": ("NIO",)}
    biotech = NameMatcher([imported("116.09997", "远航生物-B")])
    assert set(biotech.find_names(None, "远航生物-B10月28日晚间公告。")) == {"116.09997"}


def test_a_name_of_a_and_h_shares_picks_one_and_keeps_the_other(matcher):
    mention = matcher.find_names(None, "远航铝业公告称收购完成。")["1.601998"]
    assert mention.also_secids == ("116.02998",)
    assert set(matcher.find_names(None, "港股远航铝业涨5%。")) == {"116.02998"}
    assert set(matcher.find_names("目标价30港元", "维持远航铝业评级。")) == {"116.02998"}
    # Without Hong Kong in the title, the sentence of each occurrence decides.
    result = matcher.find_names(None, "远航铝业公告称收购完成。另，远航铝业H股午后拉升。")
    assert set(result) == {"1.601998", "116.02998"}
    assert result["1.601998"].also_secids == ("116.02998",) and result["116.02998"].also_secids == ("1.601998",)
    # Hong Kong spoken of beats the article's claim of the A share.
    result = matcher.find_names(None, "远航铝业(601998)公告。远航铝业H股午后拉升。", claimed={"1.601998": "远航铝业"})
    assert {k: m.claimed for k, m in result.items()} == {"1.601998": True, "116.02998": False}


def test_a_hong_kong_name_with_gu_fen_is_the_h_share_of_the_shorter_name():
    beer = NameMatcher([imported("1.600995", "远航啤酒"), imported("116.00995", "远航啤酒股份")])
    assert beer.secids("远航啤酒") == ("1.600995", "116.00995")
    assert set(beer.find_names(None, "远航啤酒公告称销量增长。")) == {"1.600995"}
    assert set(beer.find_names(None, "升远航啤酒H股评级至买入。")) == {"116.00995"}
    assert set(beer.find_names(None, "远航啤酒股份涨5%。")) == {"116.00995"}


def test_the_article_s_own_codes_win(matcher):
    # The name before a code is that code's mention, counted there, never a second security.
    result = matcher.find_names(None, "远航铝业(02998.HK)发布公告。远航铝业称业绩稳定。",
                                claimed={"116.02998": "远航铝业"})
    assert list(result) == ["116.02998"]
    assert result["116.02998"].claimed and result["116.02998"].count == 2
    assert result["116.02998"].also_secids == ("1.601998",)
    # A dictionary name is the security the article claims among those it stands for.
    result = matcher.find_names(None, "远航铝业股份(02998.HK)上涨。远航铝业称业绩稳定。",
                                claimed={"116.02998": "远航铝业股份"})
    assert {k: (m.names, m.claimed) for k, m in result.items()} == {
        "116.02998": (("远航铝业", "远航铝业股份"), True)}
    # A claimed name unknown to the dictionary swallows the known name inside it.
    result = matcher.find_names(None, "远航平安控股(09998.HK)上涨，远航平安控股再涨。",
                                claimed={"116.09998": "远航平安控股"})
    assert list(result) == ["116.09998"]
    # A dictionary name of a claimed security is that security, named without its code too.
    result = matcher.find_names("远航科技：储能业务增长", "公告称增长。", claimed={"0.300999": None})
    assert result["0.300999"].claimed and result["0.300999"].in_title


def test_attribution_and_media_are_not_mentions(matcher):
    body = "远航证券发布研报。（文章来源：远航平安银行）"
    assert set(matcher.find_names(None, body)) == {"1.601798"}
    assert set(matcher.find_names(None, "行业数据向好。（远航证券）")) == set()
    assert set(matcher.find_names(None, "图片来源：远航证券官网\n\n正文。")) == set()
    assert set(matcher.find_names(None, "远航证券报记者获悉。", media="远航证券报")) == set()
    assert set(matcher.find_names(None, "行业数据向好。（远航证券(香港)）")) == set()
    assert set(matcher.find_names(None, "远航证券涨5%。(远航证券(香港))")) == {"1.601798"}
    # A closing bracket that is a list, not a source, is read.
    assert set(matcher.find_names(None, "两家公司(远航证券、中国银行)")) == {"1.601798", "1.601988"}


def test_a_research_source_is_a_mention(matcher):
    result = matcher.find_names("远航证券：明年汇率展望", "据远航证券研报，汇率或将双向波动。")
    assert result["1.601798"].in_title and result["1.601798"].count == 1


def test_counts_offsets_and_lead(matcher):
    body = "开头的话。" + "无关。" * 100 + "远航科技表示，远航科技增长。"
    result = matcher.find_names("远航科技发布公告", body, "远航科技今日公告。")
    mention = result["0.300999"]
    assert (mention.in_title, mention.count, mention.first_offset) == (True, 3, body.index("远航科技"))
    assert mention.first_offset > LEAD_CHARS and mention.in_lead  # the digest is the lead
    late = matcher.find_names(None, body)["0.300999"]
    assert not late.in_lead and not late.in_title
    title_only = matcher.find_names("远航科技发布公告", "正文没有名字。")["0.300999"]
    assert (title_only.count, title_only.first_offset, title_only.in_lead) == (0, None, False)


def test_relevance_orders_title_then_lead_then_count():
    assert relevance(True, True, 3) == 1.0
    assert relevance(False, False, 0) == 0.0
    assert relevance(True, False, 0) > relevance(False, True, 99)
    assert relevance(False, True, 0) > relevance(False, False, 99)
    assert relevance(False, False, 2) > relevance(False, False, 1)
    assert relevance(False, False, 3) == relevance(False, False, 4)
    assert relevance(True, False, 1) == pytest.approx((4 + 1 / 3) / 7)


def test_relevance_of_a_mention(matcher):
    mention = matcher.find_names("远航科技发布公告", "远航科技表示增长。")["0.300999"]
    assert mention.relevance == relevance(True, True, 1)


def test_pickles_and_finds_the_same(matcher):
    copy = pickle.loads(pickle.dumps(matcher))
    text = "远航平安银行公告，港股远航铝业涨5%，NIO与红星涨。"
    assert copy.find_names("标题", text) == matcher.find_names("标题", text)
    assert len(copy) == len(matcher)


def test_bad_entries_are_refused_with_the_entry_named():
    with pytest.raises(ValueError, match="'1.600001' '远航': origin 'guessed'"):
        SecurityName("1.600001", "远航", "guessed")
    with pytest.raises(ValueError, match="secid is not MARKET.CODE"):
        SecurityName("600001", "远航")
    with pytest.raises(ValueError, match="name is empty"):
        SecurityName("1.600001", " ")


def test_an_empty_dictionary_finds_only_claimed_names():
    empty = NameMatcher([])
    assert empty.find_names("标题", "远航科技上涨") == {}
    assert set(empty.find_names(None, "远航科技上涨", claimed={"0.300999": "远航科技"})) == {"0.300999"}


def test_ten_thousand_names_build_and_match():
    """Bounds the work by the input size: 10,000 names and a 100,000-character text finish well
    within the alarm (a loop over names per text would not)."""
    entries = [imported(f"1.{600000 + i}", f"远航{i:05d}号") for i in range(10_000)]
    text = "".join(f"远航{i:05d}号涨。" for i in range(10_000))
    signal.alarm(60)
    try:
        big = NameMatcher(entries)
        result = pickle.loads(pickle.dumps(big)).find_names(None, text)
    finally:
        signal.alarm(0)
    assert len(big) == 10_000 and len(result) == 10_000


def test_a_long_text_of_shared_names_without_punctuation_is_read_in_bounded_time(matcher):
    """Each occurrence of a name of several securities looks for its sentence a bounded span either
    side: a post of them at the size limit, with no punctuation, finishes well within the alarm."""
    text = "远航铝业" * 175_000  # 700,000 characters: a post at the 2 MiB limit
    signal.alarm(60)
    try:
        result = matcher.find_names(None, text)
    finally:
        signal.alarm(0)
    assert set(result) == {"1.601998"} and result["1.601998"].count == 175_000


def test_measure_counts_hits_misses_and_false_alarms(matcher):
    articles = [
        LabeledArticle("a1", "远航证券：汇率展望", "红星涨5%。", frozenset({"1.601798", "0.002999"})),
        LabeledArticle("a2", None, "远航平安回购，远航铝业(02998.HK)上涨。", frozenset({"0.000999", "116.02998"}),
                       claimed={"116.02998": "远航铝业"}),
        LabeledArticle("a3", None, "没有公司。", frozenset()),
    ]
    accuracy = measure(matcher, articles)
    assert accuracy == Accuracy(2, (("a2", "1.601999"),), (("a2", "0.000999"),))
    assert accuracy.precision == pytest.approx(2 / 3) and accuracy.recall == pytest.approx(2 / 3)
    assert measure(matcher, []).precision is None and measure(matcher, []).recall is None


def test_known_suffix_is_the_longest_end_that_the_dictionary_knows(matcher):
    assert matcher.known_suffix("有消息称远航平安银行") == "远航平安银行"
    assert matcher.known_suffix("其中远航科技") == "远航科技"
    assert matcher.known_suffix("ＮＩＯ") == "ＮＩＯ"
    assert matcher.known_suffix("有消息称远航新材") is None
    assert matcher.known_suffix("中国银行业") is None  # a blocking phrase is no name


def test_a_name_never_spans_a_line_break_nor_joins_the_title_to_the_digest():
    matcher = NameMatcher([learned("0.300999", "远航科技"), learned("0.300998", "远航\n科技")])
    assert matcher.find_names("今日看远航", "正文。", "科技股走强", claimed={"0.300998": "远航\n科技"}) == {}
    assert matcher.find_names(None, "远航\n科技公告。") == {}
    assert set(matcher.find_names("远航科技", "正文。", "远航科技公告")) == {"0.300999"}

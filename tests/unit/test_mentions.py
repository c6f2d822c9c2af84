from etl.posts.mentions import find_mentions, trim_name
from tests.unit.html_samples import HTML, PLAIN_BODY


def _pairs(scan):
    return {key: (m.name, m.count, sorted(m.sources)) for key, m in scan.mentions.items()}


def test_every_markup_kind_and_attribution_excluded():
    scan = find_mentions(HTML, body_text="远航科技发布公告，储能业务增长。远航科技表示业绩稳定。")
    assert _pairs(scan) == {
        "1.600777": (None, 1, ["chart"]),
        "0.300999": ("远航科技", 2, ["keytip", "repeat"]),
        "90.BK0999": ("储能", 1, ["keytip"]),
    }
    assert "90.BK0473" not in scan.mentions  # the auto-link inside 文章来源
    assert scan.problems == ()


def test_text_codes_with_markets_and_distractors():
    scan = find_mentions(None, body_text=PLAIN_BODY.split("\n\n")[0])
    assert _pairs(scan) == {
        "1.600999": ("红星酒业", 1, ["text"]),
        "116.00388": ("港联交易所", 1, ["text"]),
        "116.00027": ("东方娱乐", 1, ["text"]),
        "0.002999": ("华南生物", 1, ["text"]),
        "116.03999": ("海湾能源", 1, ["text"]),
    }


def test_digest_occurrences_count_and_code_after_markup_is_one_occurrence():
    scan = find_mentions(
        HTML.replace("发布公告", "(300999)发布公告"),
        body_text="远航科技(300999)发布公告。远航科技表示业绩稳定。",
        digest="远航科技(300999)今日发布公告。",
    )
    mention = scan.mentions["0.300999"]
    assert mention.count == 3  # keytip + repeat in the body, one in the digest
    assert mention.sources == {"keytip", "repeat", "text"}


def test_code_only_in_title_is_a_mention_without_occurrences():
    scan = find_mentions(None, body_text="没有代码的正文。", title="远航控股(09999.HK)发布公告")
    assert _pairs(scan) == {"116.09999": ("远航控股", 1, ["title"])}


def test_us_tickers_and_suffixes():
    scan = find_mentions(None, body_text="北美芯片(ABCD.O)与北美银行(XYZ.N)，沪市银行(601999.SH)")
    assert set(scan.mentions) == {"105.ABCD", "106.XYZ", "1.601999"}


def test_garbage_and_unknown_markup():
    html = (
        '<span class="em_stock_key_common" data-code="777,ABC">未知市场</span>'
        '<span class="em_stock_key_common" data-code="1,">空代码</span>'
        '<span class="em_stock_key_common" data-code="乱码">乱码</span>'
    )
    scan = find_mentions(html, body_text="")
    assert set(scan.mentions) == {"777.ABC"}
    assert scan.mentions["777.ABC"].security_type == "unknown"
    assert len(scan.problems) == 2


def test_trim_name_drops_the_leading_verb():
    assert trim_name("维持远航科技") == "远航科技"
    assert trim_name("白酒股龙头红星酒业") == "红星酒业"
    assert trim_name("远航科技") == "远航科技"
    assert trim_name("储能指数ETF") == "储能指数ETF"


def test_trim_name_drops_every_word_that_led_into_the_name():
    assert trim_name("其中远航国际") == "远航国际"
    assert trim_name("首予远航能源") == "远航能源"
    assert trim_name("将远航集团") == "远航集团"
    assert trim_name("为远航新材") == "远航新材"
    assert trim_name("及远航") == "远航"
    assert trim_name("据悉将远航集团") == "远航集团"  # the last lead-in word wins
    assert trim_name("远航稀土为远航新材") == "远航新材"  # inside the run, three characters follow


def test_trim_name_drops_connectives_and_market_words_from_its_closed_list():
    assert trim_name("据悉远航科技") == "远航科技"
    assert trim_name("此外远航科技") == "远航科技"
    assert trim_name("午后远航科技") == "远航科技"
    assert trim_name("龙头股远航科技") == "远航科技"  # the longer word first
    assert trim_name("领涨的远航科技") == "远航科技"
    assert trim_name("港股远航科技") == "远航科技"
    # A market's name cuts only where the name so far starts; words inside names are not in the list.
    assert trim_name("恒生港股通ETF") == "恒生港股通ETF"
    assert trim_name("远航显示科技") == "远航显示科技"
    assert trim_name("远航的科技") == "远航的科技"


def test_trim_name_keeps_names_that_hold_a_lead_in_character():
    # One-character words inside a name with two characters after them are the name's own.
    assert trim_name("恒为科技") == "恒为科技"
    assert trim_name("天和防务") == "天和防务"
    assert trim_name("维持恒为科技") == "恒为科技"
    # Names that begin with a lead-in word keep it where the name starts.
    assert trim_name("和邦生物") == "和邦生物"
    assert trim_name("向日葵") == "向日葵"
    assert trim_name("龙头股份") == "龙头股份"
    assert trim_name("其中和林微纳") == "和林微纳"
    assert trim_name("将向日葵") == "向日葵"
    # Nothing is cut that would leave less than two characters.
    assert trim_name("将远") == "将远"
    assert trim_name("其中") == "其中"


def test_name_before_a_code_in_text_is_trimmed():
    scan = find_mentions(None, body_text="港股餐饮股走强，其中远航国际(1579.HK)涨5%；首予远航能源(03999)买入评级。")
    assert {key: m.name for key, m in scan.mentions.items()} == {"116.01579": "远航国际", "116.03999": "远航能源"}

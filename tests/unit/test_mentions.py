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

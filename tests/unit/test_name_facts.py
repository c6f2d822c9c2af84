"""The rows name matching writes for one article (etl/posts/name_facts.py)."""

import pytest

from etl.posts.name_facts import article_name_facts
from etl.posts.names import LEAD_CHARS, NameMatcher, SecurityName

MATCHER = NameMatcher([
    SecurityName("1.600901", "晨光电气", "learned", article_count=3),
    SecurityName("1.601600", "远航铝业", "imported"),
    SecurityName("116.02600", "远航铝业", "imported"),
    SecurityName("0.002901", "远海物流", "learned"),
])
FAR = "行情平稳。" * (LEAD_CHARS // 5 + 1)


def facts(title, body, coded=(), digest=None, media=None):
    article = {"article_id": "A", "title": title, "body_text": body, "digest": digest, "media": media,
               "coded": list(coded)}
    return {row.secid: row for row in article_name_facts(MATCHER, article)}


def coded(secid, name, code, sources=("text",), mention_count=1, security_type="stock"):
    return {"secid": secid, "market_id": int(secid.split(".")[0]), "code": code, "name": name,
            "security_type": security_type, "sources": list(sources), "mention_count": mention_count}


def test_a_name_alone_makes_a_new_mention_with_its_place_and_relevance():
    rows = facts("盘面观察", f"远海物流涨停。{FAR}晨光电气小幅回落。")
    lead, passing = rows["0.002901"], rows["1.600901"]
    assert (lead.claimed, lead.in_title, lead.first_offset, lead.name_count) == (False, False, 0, 1)
    assert (lead.market_id, lead.code, lead.name, lead.security_type) == (0, "002901", "远海物流", "stock")
    assert (lead.mention_count, lead.sources) == (1, ["name"])
    assert passing.first_offset > LEAD_CHARS
    assert lead.relevance == pytest.approx((2 + 1 / 3) / 7) and passing.relevance == pytest.approx(1 / 21)


def test_a_coded_mention_gets_its_place_from_its_name_or_its_code():
    rows = facts("晨光电气(600901)公告", f"{FAR}据公告，600901将分红。",
                 coded=[coded("1.600901", "晨光电气", "600901", ("title", "text"))])
    row = rows["1.600901"]
    assert row.claimed and row.in_title and row.name == "晨光电气"
    assert row.first_offset == len(FAR) + len("据公告，")  # its code, the body never writing its name
    assert row.name_count == 0 and row.relevance == pytest.approx((4 + 1 / 3) / 7)
    assert row.also_secids == [] and (row.mention_count, row.sources) == (1, ["title", "text"])


def test_a_name_of_two_listings_picks_one_and_records_the_other():
    rows = facts("远航铝业一季度减亏", "远航铝业公告。")
    assert list(rows) == ["1.601600"] and rows["1.601600"].also_secids == ["116.02600"]
    rows = facts("港股收评", "远航铝业涨3%。")
    assert list(rows) == ["116.02600"] and rows["116.02600"].also_secids == ["1.601600"]


def test_the_coded_name_claims_its_security_and_a_chart_only_mention_has_no_place():
    rows = facts("午评", "指数震荡。", coded=[coded("90.BK0999", None, "BK0999", ("chart",), security_type="board")])
    row = rows["90.BK0999"]
    assert (row.in_title, row.first_offset, row.name_count, row.security_type) == (False, None, 0, "board")
    assert row.relevance == pytest.approx(1 / 21)

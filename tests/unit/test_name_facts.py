"""The rows name matching writes for one article (etl/posts/name_facts.py)."""

import pytest

from etl.core.rows import MentionPlaceRow, NameMentionRow
from etl.posts.name_facts import CodedMention, article_name_facts
from etl.posts.names import LEAD_CHARS, NameMatcher, SecurityName

MATCHER = NameMatcher([
    SecurityName("1.600901", "晨光电气", "learned", article_count=3),
    SecurityName("1.601600", "远航铝业", "imported"),
    SecurityName("116.02600", "远航铝业", "imported"),
    SecurityName("0.002901", "远海物流", "learned"),
])
FAR = "行情平稳。" * (LEAD_CHARS // 5 + 1)


def facts(title, body, coded=(), digest=None, media=None):
    """The article's rows by secid: a `NameMentionRow` for a name alone, a `MentionPlaceRow` for a coded one."""
    places, names = [], []
    article_name_facts(MATCHER, "A", title, digest, body, media, coded, places, names)
    assert not {row.secid for row in places} & {row.secid for row in names}
    return {row.secid: row for row in places + names}


def coded(secid, name, code, in_title=False, mention_count=1):
    return CodedMention(secid, name, code, mention_count, in_title)


def test_a_name_alone_makes_a_new_mention_with_its_place_and_relevance():
    rows = facts("盘面观察", f"远海物流涨停。{FAR}晨光电气小幅回落。")
    lead, passing = rows["0.002901"], rows["1.600901"]
    assert isinstance(lead, NameMentionRow) and isinstance(passing, NameMentionRow)
    assert (lead.in_title, lead.first_offset, lead.name_count) == (False, 0, 1)
    assert (lead.market_id, lead.code, lead.name, lead.security_type) == (0, "002901", "远海物流", "stock")
    assert (lead.mention_count, lead.sources) == (1, ["name"])
    assert passing.first_offset > LEAD_CHARS
    assert lead.relevance == pytest.approx((2 + 1 / 3) / 7) and passing.relevance == pytest.approx(1 / 21)


def test_a_coded_mention_gets_its_place_from_its_name_or_its_code():
    rows = facts("晨光电气(600901)公告", f"{FAR}据公告，600901将分红。",
                 coded=[coded("1.600901", "晨光电气", "600901", in_title=True)])
    row = rows["1.600901"]
    assert isinstance(row, MentionPlaceRow) and row.in_title
    assert row.first_offset == len(FAR) + len("据公告，")  # its code, the body never writing its name
    assert row.name_count == 0 and row.relevance == pytest.approx((4 + 1 / 3) / 7)


def test_a_coded_mention_named_in_the_lead_ranks_by_the_more_of_its_counts():
    rows = facts("公告", "晨光电气发布公告。晨光电气(600901)拟分红。",
                 coded=[coded("1.600901", "晨光电气", "600901", mention_count=3)])
    row = rows["1.600901"]
    assert (row.in_title, row.first_offset, row.name_count) == (False, 0, 2)
    assert row.relevance == pytest.approx((2 + 3 / 3) / 7)


def test_a_name_of_two_listings_picks_one_and_records_the_other():
    rows = facts("远航铝业一季度减亏", "远航铝业公告。")
    assert list(rows) == ["1.601600"] and rows["1.601600"].also_secids == ["116.02600"]
    rows = facts("港股收评", "远航铝业涨3%。")
    assert list(rows) == ["116.02600"] and rows["116.02600"].also_secids == ["1.601600"]


def test_the_coded_name_claims_its_security_and_a_chart_only_mention_has_no_place():
    rows = facts("午评", "指数震荡。", coded=[coded("90.BK0999", None, "BK0999")])
    row = rows["90.BK0999"]
    assert (row.in_title, row.first_offset, row.name_count) == (False, None, 0)
    assert row.relevance == pytest.approx(1 / 21)

import pytest

from etl.posts import markets


@pytest.mark.parametrize(
    "code, suffix, market",
    [
        ("600519", None, 1), ("688001", None, 1), ("900901", None, 1), ("516380", None, 1),
        ("000001", None, 0), ("300750", None, 0), ("200002", None, 0), ("159915", None, 0),
        ("161725", None, 0), ("184801", None, 0), ("830799", None, 0), ("430047", None, 0),
        ("920001", None, 0), ("03868", None, 116), ("0027", "HK", 116), ("600000", "SZ", 0),
        ("000001", "SH", 1), ("NIO", "N", 106), ("INTC", "O", 105),
        ("2021", None, None), ("12345", None, None), ("700000", None, None), ("1018", None, None),
    ],
)
def test_market_for_code(code, suffix, market):
    assert markets.market_for_code(code, suffix) == market


def test_secid_pads_hong_kong_and_upper_cases():
    assert markets.secid(116, "27") == "116.00027"
    assert markets.secid(106, "nio") == "106.NIO"
    assert markets.secid(90, "bk0473") == "90.BK0473"


@pytest.mark.parametrize(
    "market, code, kind",
    [(1, "600519", "stock"), (1, "000001", "index"), (0, "399001", "index"), (1, "510300", "fund"),
     (0, "159915", "fund"), (90, "BK0473", "board"), (100, "NDX", "index"), (116, "00700", "stock"),
     (1, "113050", "bond"), (0, "123001", "bond"), (999, "X", "unknown")],
)
def test_security_type(market, code, kind):
    assert markets.security_type(market, code) == kind


def test_exchange():
    assert markets.exchange(0, "830799") == "BSE"
    assert markets.exchange(0, "000001") == "SZSE"
    assert markets.exchange(1, "600519") == "SSE"
    assert markets.exchange(77, "X") == "unknown market 77"

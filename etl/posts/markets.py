"""EastMoney market ids and the rules that give a security its `secid`, exchange and type."""

from __future__ import annotations

SHENZHEN, SHANGHAI, HONG_KONG = 0, 1, 116
NASDAQ, NYSE, NYSE_AMERICAN = 105, 106, 107
BOARDS, GLOBAL_INDICES = 90, 100

KNOWN_MARKETS = {
    SHENZHEN: "Shenzhen",
    SHANGHAI: "Shanghai",
    HONG_KONG: "Hong Kong",
    NASDAQ: "NASDAQ",
    NYSE: "NYSE",
    NYSE_AMERICAN: "NYSE American",
    BOARDS: "EastMoney board",
    GLOBAL_INDICES: "Global index",
}

SECURITY_TYPES = ("stock", "fund", "board", "index", "bond", "unknown")

# Suffixes written after codes in text; a suffix always wins over the code's own shape.
SUFFIX_MARKETS = {"SH": SHANGHAI, "SS": SHANGHAI, "SZ": SHENZHEN, "BJ": SHENZHEN, "HK": HONG_KONG,
                  "O": NASDAQ, "N": NYSE, "A": NYSE_AMERICAN}


def normalize_code(market_id: int, code: str) -> str:
    code = code.strip().upper()
    if market_id == HONG_KONG and code.isdigit():
        return code.zfill(5)
    return code


def secid(market_id: int, code: str) -> str:
    return f"{market_id}.{normalize_code(market_id, code)}"


def is_beijing(code: str) -> bool:
    return len(code) == 6 and code.isdigit() and (code[0] in "48" or code.startswith("92"))


def market_for_code(code: str, suffix: str | None = None) -> int | None:
    """Market of a code written in text (`600519`, `0027.HK`); None when it is not a security code."""
    if suffix:
        return SUFFIX_MARKETS.get(suffix.upper())
    if not code.isdigit():
        return None
    if len(code) == 5:
        # Plain five-digit numbers are Hong Kong codes only with the leading zero HKEX prints.
        return HONG_KONG if code[0] == "0" else None
    if len(code) != 6:
        return None
    if code.startswith(("60", "68", "900", "5")):
        return SHANGHAI
    if code.startswith(("00", "30", "200", "15", "16", "18")) or is_beijing(code):
        return SHENZHEN
    return None


def security_type(market_id: int, code: str) -> str:
    if market_id == BOARDS:
        return "board"
    if market_id == GLOBAL_INDICES:
        return "index"
    if market_id in (HONG_KONG, NASDAQ, NYSE, NYSE_AMERICAN):
        return "stock"
    if market_id == SHANGHAI and code.isdigit():
        if code.startswith(("60", "68", "900")):
            return "stock"
        if code.startswith("000"):
            return "index"
        if code.startswith("5"):
            return "fund"
        if code.startswith(("01", "02", "10", "11", "12", "13", "2")):
            return "bond"
    if market_id == SHENZHEN and code.isdigit():
        if code.startswith(("00", "30", "200")) or is_beijing(code):
            return "stock"
        if code.startswith("399"):
            return "index"
        if code.startswith(("15", "16", "18")):
            return "fund"
        if code.startswith(("10", "11", "12")):
            return "bond"
    return "unknown"


def exchange(market_id: int, code: str) -> str:
    if market_id == SHENZHEN:
        return "BSE" if is_beijing(code) else "SZSE"
    if market_id == SHANGHAI:
        return "SSE"
    if market_id == HONG_KONG:
        return "HKEX"
    return KNOWN_MARKETS.get(market_id, f"unknown market {market_id}")

"""The regular expressions the parser once used where it now scans: the reference for what the scans
must find. They are right, only slow on some inputs (they retry from many places to the end of the
text), so the tests run them on short inputs only."""

import re

CHART_BLOCK = re.compile(r"<!--\s*EM_StockImg_Start\s*-->(.*?)<!--\s*EM_StockImg_End\s*-->", re.S)
ATTRIBUTION = re.compile(r"^[（(]\s*文章来源[:：]\s*(.*?)\s*[）)]$", re.S)
PLAIN_ATTRIBUTION = re.compile(r"[（(]\s*文章来源[:：]\s*([^）)]*?)\s*[）)]\s*$")
NAV_LINE = re.compile(r"^(?:\s*[｜|]?\s*\[返回[^\]]*\]\([^)]*\))+\s*$")
ATTRIBUTION_PARAGRAPH = re.compile(r"<p[^>]*class=\"?em_media\"?[^>]*>.*?</p>", re.S | re.I)
TAG_WITH_CODE = re.compile(r"<(a|span)\b([^>]*\bdata-code=[^>]*)>([^<]*)", re.I)
ATTRIBUTE = re.compile(r"([\w-]+)\s*=\s*\"([^\"]*)\"")

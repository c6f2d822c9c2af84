"""The data-quality suites: one Great Expectations suite per warehouse table, in one place.

Each `Rule` is one expectation and one Dagster asset check of the same name. The rules are plain
data, so Dagster can list the checks without importing Great Expectations (2–3 s); `gx_suite` turns
a table's rules into a `gx.ExpectationSuite` only when checks run.

What a suite sees (`sql/checks/<table>_batch.sql`) is what its asset's check step has not yet
validated cleanly: the rows written since `$since`, the time of the asset's last clean check step,
one in which none of its ERROR checks failed (`sql/checks/last_clean_check.sql`; NULL before the
first, and then everything). That is the articles with `loaded_at` after `$since`, the tags and
mentions of those articles (plus any row whose article or tag is missing, so the referential rules
can see them), and the whole `tag` and `security` tables if any article was loaded after `$since`
(they are derived from the articles: no new article, no new tag or security), else none of them.
So a failed blocking check keeps failing on every load until one fixes the data, and a load after
a clean check that rebuilt nothing has nothing to validate (nor Great Expectations to import).
Computed columns such as `orphan_article_id` are NULL for a good row and name the fault otherwise;
the body is seen only as `body_length` (0 when it has no text), never read whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from etl.core.calendar import ARCHIVE_START, SHANGHAI
from etl.posts.markets import KNOWN_MARKETS, SECURITY_TYPES

ERROR = "ERROR"
"""A failure blocks the assets downstream of the checked one and fails the load."""
WARN = "WARN"
"""A failure is reported (UI, `etl load`, `dq_result`) and the load goes on."""

SECID_PATTERN = r"^\d+\.[A-Z0-9]+$"
LAYOUTS = ("plain", "digest_html", "html", "digest_only")
TAG_KINDS = ("tag", "category")


@dataclass(frozen=True)
class Rule:
    name: str
    """Dagster check name and `dq_result.check_name`; unique within its asset."""
    table: str
    expectation: str
    """Class name under `great_expectations.expectations`."""
    kwargs: dict | Callable[[date], dict]
    """The expectation's arguments, or a function of today's date (Asia/Shanghai) that returns them.
    A `row_condition` is written `(column, operator, value)` with operator `==` or `!=`."""
    severity: str
    description: str

    def arguments(self, today: date) -> dict:
        return self.kwargs(today) if callable(self.kwargs) else dict(self.kwargs)


@dataclass(frozen=True)
class TableSuite:
    table: str
    asset: str
    """The Dagster asset that writes the table; its checks run right after it."""
    sample_columns: tuple[str, ...]
    """Columns that identify a failing row in the sample shown in the UI and in `dq_result.details`."""
    rules: tuple[Rule, ...] = field(default=())

    @property
    def batch_sql(self) -> str:
        return f"checks/{self.table}_batch.sql"


def _corpus_era(today: date) -> dict:
    """From the day the site opened to the end of today, Asia/Shanghai."""
    return {
        "column": "published_at",
        "min_value": datetime.combine(date.fromisoformat(ARCHIVE_START), time(), SHANGHAI),
        "max_value": datetime.combine(today + timedelta(days=1), time(), SHANGHAI),
        "strict_max": True,
    }


def _rules(table: str, *rows: tuple) -> tuple[Rule, ...]:
    return tuple(Rule(name, table, expectation, kwargs, severity, description)
                 for name, expectation, kwargs, severity, description in rows)


_KNOWN_MARKET_IDS = sorted(KNOWN_MARKETS)
_MARKET_NOTE = "; an unknown id is kept as written, so this only asks for a look"

SUITES: tuple[TableSuite, ...] = (
    TableSuite("article", "articles", ("article_id", "best_post_path"), _rules(
        "article",
        ("article_id_not_null", "ExpectColumnValuesToNotBeNull", {"column": "article_id"}, ERROR,
         "Every article has an id."),
        ("article_id_unique", "ExpectColumnValuesToBeUnique", {"column": "article_id"}, ERROR,
         "One row per article id."),
        ("layout_known", "ExpectColumnValuesToBeInSet", {"column": "layout", "value_set": list(LAYOUTS)}, ERROR,
         f"layout is one of {', '.join(LAYOUTS)}."),
        ("body_text_not_empty", "ExpectColumnValuesToBeBetween",
         {"column": "body_length", "min_value": 1, "row_condition": ("layout", "!=", "digest_only")}, ERROR,
         "body_text has text, unless the post is only a digest (layout digest_only)."),
        ("published_at_present", "ExpectColumnValuesToNotBeNull", {"column": "published_at"}, WARN,
         "published_at is known (some posts have an empty date)."),
        ("published_at_in_corpus_era", "ExpectColumnValuesToBeBetween", _corpus_era, WARN,
         f"published_at is between {ARCHIVE_START} (the site opened) and the end of today, Asia/Shanghai."),
        ("title_not_empty", "ExpectColumnValueLengthsToBeBetween", {"column": "title", "min_value": 1}, WARN,
         "The article has a title (some posts have title: \"\")."),
        ("titles_agree", "ExpectColumnValuesToBeNull", {"column": "disagreeing_titles"}, WARN,
         "The article's copies agree on the title (title_variants is empty)."),
    )),
    TableSuite("article_tag", "article_tags", ("article_id", "tag_id"), _rules(
        "article_tag",
        ("article_id_not_null", "ExpectColumnValuesToNotBeNull", {"column": "article_id"}, ERROR,
         "Every article_tag row names its article."),
        ("tag_id_not_null", "ExpectColumnValuesToNotBeNull", {"column": "tag_id"}, ERROR,
         "Every article_tag row names its tag."),
        ("article_tag_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": ["article_id", "tag_id"]}, ERROR,
         "One row per article and tag."),
        ("article_exists", "ExpectColumnValuesToBeNull", {"column": "orphan_article_id"}, ERROR,
         "Every article_tag.article_id exists in article."),
        ("tag_exists", "ExpectColumnValuesToBeNull", {"column": "unknown_tag_id"}, ERROR,
         "Every article_tag.tag_id exists in tag."),
    )),
    TableSuite("tag", "article_tags", ("tag_id",), _rules(
        "tag",
        ("tag_table_id_not_null", "ExpectColumnValuesToNotBeNull", {"column": "tag_id"}, ERROR,
         "Every tag has an id."),
        ("tag_table_id_unique", "ExpectColumnValuesToBeUnique", {"column": "tag_id"}, ERROR,
         "One row per tag id."),
        ("tag_kind_known", "ExpectColumnValuesToBeInSet", {"column": "kind", "value_set": list(TAG_KINDS)}, ERROR,
         "kind is tag or category."),
    )),
    TableSuite("stock_mention", "stock_mentions", ("article_id", "secid"), _rules(
        "stock_mention",
        ("article_id_not_null", "ExpectColumnValuesToNotBeNull", {"column": "article_id"}, ERROR,
         "Every mention names its article."),
        ("secid_not_null", "ExpectColumnValuesToNotBeNull", {"column": "secid"}, ERROR,
         "Every mention names its security."),
        ("mention_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": ["article_id", "secid"]}, ERROR,
         "One row per article and security."),
        ("secid_format", "ExpectColumnValuesToMatchRegex", {"column": "secid", "regex": SECID_PATTERN}, ERROR,
         "secid is MARKET.CODE: digits, a dot, upper-case letters and digits."),
        ("secid_matches_market_and_code", "ExpectColumnPairValuesToBeEqual",
         {"column_A": "secid", "column_B": "secid_from_parts"}, ERROR,
         "secid is market_id.code."),
        ("market_id_known", "ExpectColumnValuesToBeInSet", {"column": "market_id", "value_set": _KNOWN_MARKET_IDS},
         WARN, f"market_id is a known EastMoney market ({', '.join(map(str, _KNOWN_MARKET_IDS))}){_MARKET_NOTE}."),
        ("security_type_known", "ExpectColumnValuesToBeInSet",
         {"column": "security_type", "value_set": list(SECURITY_TYPES)}, ERROR,
         f"security_type is one of {', '.join(SECURITY_TYPES)}."),
        ("mention_count_at_least_1", "ExpectColumnValuesToBeBetween", {"column": "mention_count", "min_value": 1},
         ERROR, "A mention occurs at least once."),
        ("article_exists", "ExpectColumnValuesToBeNull", {"column": "orphan_article_id"}, ERROR,
         "Every stock_mention.article_id exists in article."),
    )),
    TableSuite("security", "securities", ("secid",), _rules(
        "security",
        ("secid_not_null", "ExpectColumnValuesToNotBeNull", {"column": "secid"}, ERROR,
         "Every security has a secid."),
        ("secid_unique", "ExpectColumnValuesToBeUnique", {"column": "secid"}, ERROR,
         "One row per secid."),
        ("secid_format", "ExpectColumnValuesToMatchRegex", {"column": "secid", "regex": SECID_PATTERN}, ERROR,
         "secid is MARKET.CODE: digits, a dot, upper-case letters and digits."),
        ("secid_matches_market_and_code", "ExpectColumnPairValuesToBeEqual",
         {"column_A": "secid", "column_B": "secid_from_parts"}, ERROR,
         "secid is market_id.code."),
        ("market_id_known", "ExpectColumnValuesToBeInSet", {"column": "market_id", "value_set": _KNOWN_MARKET_IDS},
         WARN, f"market_id is a known EastMoney market ({', '.join(map(str, _KNOWN_MARKET_IDS))}){_MARKET_NOTE}."),
        ("security_type_known", "ExpectColumnValuesToBeInSet",
         {"column": "security_type", "value_set": list(SECURITY_TYPES)}, ERROR,
         f"security_type is one of {', '.join(SECURITY_TYPES)}."),
        ("article_count_at_least_1", "ExpectColumnValuesToBeBetween", {"column": "article_count", "min_value": 1},
         ERROR, "Every security is mentioned by at least one article."),
        ("seen_dates_ordered", "ExpectColumnPairValuesAToBeGreaterThanB",
         {"column_A": "last_seen_date", "column_B": "first_seen_date", "or_equal": True}, ERROR,
         "first_seen_date is not after last_seen_date."),
    )),
)

CHECKED_ASSETS = tuple(dict.fromkeys(suite.asset for suite in SUITES))


def suites_for(asset: str) -> list[TableSuite]:
    return [suite for suite in SUITES if suite.asset == asset]


def rules_for(asset: str) -> list[Rule]:
    return [rule for suite in suites_for(asset) for rule in suite.rules]


def gx_suite(suite: TableSuite, today: date):
    """The table's rules as a Great Expectations suite (imports great_expectations: call it only
    when checks run). Each expectation carries its rule's name in `meta["check"]`."""
    import great_expectations as gx

    return gx.ExpectationSuite(
        name=suite.table,
        expectations=[
            getattr(gx.expectations, rule.expectation)(
                **_gx_arguments(rule.arguments(today)),
                meta={"check": rule.name, "severity": rule.severity},
                severity="critical" if rule.severity == ERROR else "warning",
                description=rule.description,
            )
            for rule in suite.rules
        ],
    )


def _gx_arguments(arguments: dict) -> dict:
    """A rule's arguments for GX: the `(column, operator, value)` row condition as a GX Condition."""
    if "row_condition" not in arguments:
        return arguments
    from great_expectations.expectations.row_conditions import Column

    column, operator, value = arguments["row_condition"]
    condition = {"==": Column(column).__eq__, "!=": Column(column).__ne__}[operator](value)
    return arguments | {"row_condition": condition}


def _assert_unique_names() -> None:
    for asset in CHECKED_ASSETS:
        names = [rule.name for rule in rules_for(asset)]
        duplicated = {name for name in names if names.count(name) > 1}
        if duplicated:
            raise ValueError(f"check names repeat within asset {asset}: {sorted(duplicated)}")


_assert_unique_names()

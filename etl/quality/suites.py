"""The data-quality checks: one Great Expectations suite per warehouse table, in one place.

A check is one `Check` entry below, and one Dagster asset check of the same name: its severity,
the Great Expectations expectation it runs, what it means, and for a WARN check the SQL condition
of a row that breaks it. To add one, copy an entry: `expect` is written as in Great Expectations'
own documentation (`gxe.ExpectColumnValuesToNotBeNull(column=...)`, see `gxe` below).

What an expectation sees is its table's batch (`sql/checks/<table>_batch.sql`): the rows written
since its asset's last clean check step, one that ran every ERROR check of the asset and failed
none (`sql/checks/last_clean_check.sql`; everything before the first). That is the articles loaded
since then, their tags and mentions (plus any row whose article or tag is missing, so that the
referential checks see it), and the whole `tag` and `security` tables if any article is new (they
are derived from the articles). So a failed blocking check fails again on every load until the data
is fixed, and a load that rebuilt nothing has nothing to validate (nor Great Expectations to import).
A WARN check also counts, in SQL, the rows of the whole current table that break it (`violation`),
so a warning stays on for as long as its rows are in the table, whatever each load brought.
The batch's computed columns (`orphan_article_id`, ...) are NULL for a good row and name the fault
otherwise; the body is seen only as `body_length` (NULL for a digest_only post), never read whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from etl.core.calendar import ARCHIVE_START, SHANGHAI
from etl.posts.markets import KNOWN_MARKETS, SECURITY_TYPES

ERROR = "ERROR"
"""A failure blocks the assets downstream of the checked one and fails the load."""
WARN = "WARN"
"""A failure is reported (UI, `etl load`, `dq_result`) and the load goes on."""


@dataclass(frozen=True)
class Expectation:
    """A Great Expectations expectation to build when checks run: the class under
    `great_expectations.expectations` and its arguments."""

    type: str
    arguments: dict

    @property
    def columns(self) -> list[str]:
        """The batch columns the expectation reads."""
        named = [self.arguments.get(key) for key in ("column", "column_A", "column_B")]
        return [name for name in [*named, *self.arguments.get("column_list", [])] if name]

    def build(self, **extra):
        import great_expectations.expectations as expectations

        return getattr(expectations, self.type)(**self.arguments, **extra)


class _Expectations:
    """`gxe.ExpectColumnValuesToNotBeNull(column="x")` reads as in Great Expectations' documentation
    (`import great_expectations.expectations as gxe`) but only records the class and its arguments:
    Dagster lists the checks without importing Great Expectations, which is slow to import."""

    def __getattr__(self, name: str):
        if not name.startswith("Expect"):
            raise AttributeError(f"great_expectations.expectations has no {name!r} expectation")
        return lambda **arguments: Expectation(name, arguments)


gxe = _Expectations()

END_OF_TODAY = {"$PARAMETER": "end_of_today"}
"""Great Expectations fills it in when it validates (`parameters`): today changes while Dagster runs."""


def parameters(today: date) -> dict:
    """The values checks refer to by name: `{"$PARAMETER": name}` in an expectation, `$name` in a
    violation's SQL. `today` is today's date in Asia/Shanghai."""
    return {
        "archive_opened": ARCHIVE_OPENED,
        "end_of_today": datetime.combine(today + timedelta(days=1), time(), SHANGHAI),
        "known_markets": KNOWN_MARKET_IDS,
    }


@dataclass(frozen=True)
class Check:
    name: str
    """Dagster check name and `dq_result.check_name`; unique within its asset."""
    severity: str
    expect: Expectation
    description: str
    violation: str | None = None
    """WARN checks: the SQL condition, over the table's batch columns, of a row that breaks the
    check, counted over the whole current table on every check step."""


@dataclass(frozen=True)
class Suite:
    table: str
    asset: str
    """The Dagster asset that writes the table; its checks run right after it."""
    sample_columns: tuple[str, ...]
    """Columns that identify a failing row in the sample shown in the UI and in `dq_result.details`."""
    checks: tuple[Check, ...]

    @property
    def batch_sql(self) -> str:
        return f"checks/{self.table}_batch.sql"


SECID_PATTERN = r"^\d+\.[A-Z0-9]+$"
LAYOUTS = ["plain", "digest_html", "html", "digest_only"]
TAG_KINDS = ["tag", "category"]
KNOWN_MARKET_IDS = sorted(KNOWN_MARKETS)
ARCHIVE_OPENED = datetime.combine(date.fromisoformat(ARCHIVE_START), time(), SHANGHAI)
_MARKETS = ", ".join(map(str, KNOWN_MARKET_IDS))

ARTICLE = Suite("article", asset="articles", sample_columns=("article_id", "best_post_path"), checks=(
    Check(name="article_id_not_null", severity=ERROR,
          expect=gxe.ExpectColumnValuesToNotBeNull(column="article_id"),
          description="Every article has an id."),
    Check(name="article_id_unique", severity=ERROR,
          expect=gxe.ExpectColumnValuesToBeUnique(column="article_id"),
          description="One row per article id."),
    Check(name="layout_known", severity=ERROR,
          expect=gxe.ExpectColumnValuesToBeInSet(column="layout", value_set=LAYOUTS),
          description=f"layout is one of {', '.join(LAYOUTS)}."),
    Check(name="body_text_not_empty", severity=ERROR,
          expect=gxe.ExpectColumnValuesToBeBetween(column="body_length", min_value=1),
          description="body_text has text, unless the post is only a digest (layout digest_only)."),
    Check(name="published_at_present", severity=WARN,
          expect=gxe.ExpectColumnValuesToNotBeNull(column="published_at"),
          description="published_at is known (some posts have an empty date).",
          violation="published_at IS NULL"),
    Check(name="published_at_in_corpus_era", severity=WARN,
          expect=gxe.ExpectColumnValuesToBeBetween(column="published_at", min_value=ARCHIVE_OPENED,
                                                   max_value=END_OF_TODAY, strict_max=True),
          description=f"published_at is between {ARCHIVE_START} (the site opened) and the end of today, "
                      "Asia/Shanghai.",
          violation="published_at < $archive_opened OR published_at >= $end_of_today"),
    Check(name="title_not_empty", severity=WARN,
          expect=gxe.ExpectColumnValueLengthsToBeBetween(column="title", min_value=1),
          description="The article has a title (some posts have title: \"\").",
          violation="title = ''"),
    Check(name="titles_agree", severity=WARN,
          expect=gxe.ExpectColumnValuesToBeNull(column="disagreeing_titles"),
          description="The article's copies agree on the title (title_variants is empty).",
          violation="disagreeing_titles IS NOT NULL"),
))

ARTICLE_TAG = Suite("article_tag", asset="article_tags", sample_columns=("article_id", "tag_id"), checks=(
    Check(name="article_id_not_null", severity=ERROR,
          expect=gxe.ExpectColumnValuesToNotBeNull(column="article_id"),
          description="Every article_tag row names its article."),
    Check(name="tag_id_not_null", severity=ERROR,
          expect=gxe.ExpectColumnValuesToNotBeNull(column="tag_id"),
          description="Every article_tag row names its tag."),
    Check(name="article_tag_unique", severity=ERROR,
          expect=gxe.ExpectCompoundColumnsToBeUnique(column_list=["article_id", "tag_id"]),
          description="One row per article and tag."),
    Check(name="article_exists", severity=ERROR,
          expect=gxe.ExpectColumnValuesToBeNull(column="orphan_article_id"),
          description="Every article_tag.article_id exists in article."),
    Check(name="tag_exists", severity=ERROR,
          expect=gxe.ExpectColumnValuesToBeNull(column="unknown_tag_id"),
          description="Every article_tag.tag_id exists in tag."),
))

TAG = Suite("tag", asset="article_tags", sample_columns=("tag_id",), checks=(
    Check(name="tag_table_id_not_null", severity=ERROR,
          expect=gxe.ExpectColumnValuesToNotBeNull(column="tag_id"),
          description="Every tag has an id."),
    Check(name="tag_table_id_unique", severity=ERROR,
          expect=gxe.ExpectColumnValuesToBeUnique(column="tag_id"),
          description="One row per tag id."),
    Check(name="tag_kind_known", severity=ERROR,
          expect=gxe.ExpectColumnValuesToBeInSet(column="kind", value_set=TAG_KINDS),
          description="kind is tag or category."),
))

SECURITY_IDENTITY = (
    Check(name="secid_format", severity=ERROR,
          expect=gxe.ExpectColumnValuesToMatchRegex(column="secid", regex=SECID_PATTERN),
          description="secid is MARKET.CODE: digits, a dot, upper-case letters and digits."),
    Check(name="secid_matches_market_and_code", severity=ERROR,
          expect=gxe.ExpectColumnPairValuesToBeEqual(column_A="secid", column_B="secid_from_parts"),
          description="secid is market_id.code."),
    Check(name="market_id_known", severity=WARN,
          expect=gxe.ExpectColumnValuesToBeInSet(column="market_id", value_set=KNOWN_MARKET_IDS),
          description=f"market_id is a known EastMoney market ({_MARKETS}); an unknown id is kept as "
                      "written, so this only asks for a look.",
          violation="NOT list_contains($known_markets, market_id)"),
    Check(name="security_type_known", severity=ERROR,
          expect=gxe.ExpectColumnValuesToBeInSet(column="security_type", value_set=list(SECURITY_TYPES)),
          description=f"security_type is one of {', '.join(SECURITY_TYPES)}."),
)
"""What stock_mention and security both say of a security, checked alike in both."""

STOCK_MENTION = Suite("stock_mention", asset="stock_mentions", sample_columns=("article_id", "secid"), checks=(
    Check(name="article_id_not_null", severity=ERROR,
          expect=gxe.ExpectColumnValuesToNotBeNull(column="article_id"),
          description="Every mention names its article."),
    Check(name="secid_not_null", severity=ERROR,
          expect=gxe.ExpectColumnValuesToNotBeNull(column="secid"),
          description="Every mention names its security."),
    Check(name="mention_unique", severity=ERROR,
          expect=gxe.ExpectCompoundColumnsToBeUnique(column_list=["article_id", "secid"]),
          description="One row per article and security."),
    *SECURITY_IDENTITY,
    Check(name="mention_count_at_least_1", severity=ERROR,
          expect=gxe.ExpectColumnValuesToBeBetween(column="mention_count", min_value=1),
          description="A mention occurs at least once."),
    Check(name="article_exists", severity=ERROR,
          expect=gxe.ExpectColumnValuesToBeNull(column="orphan_article_id"),
          description="Every stock_mention.article_id exists in article."),
))

SECURITY = Suite("security", asset="securities", sample_columns=("secid",), checks=(
    Check(name="secid_not_null", severity=ERROR,
          expect=gxe.ExpectColumnValuesToNotBeNull(column="secid"),
          description="Every security has a secid."),
    Check(name="secid_unique", severity=ERROR,
          expect=gxe.ExpectColumnValuesToBeUnique(column="secid"),
          description="One row per secid."),
    *SECURITY_IDENTITY,
    Check(name="article_count_at_least_1", severity=ERROR,
          expect=gxe.ExpectColumnValuesToBeBetween(column="article_count", min_value=1),
          description="Every security is mentioned by at least one article."),
    Check(name="seen_dates_ordered", severity=ERROR,
          expect=gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="last_seen_date", column_B="first_seen_date",
                                                             or_equal=True),
          description="first_seen_date is not after last_seen_date."),
))

SUITES: tuple[Suite, ...] = (ARTICLE, ARTICLE_TAG, TAG, STOCK_MENTION, SECURITY)



@dataclass(frozen=True)
class SqlCheck:
    """A check that is one SQL query over the whole table, without Great Expectations."""

    name: str
    asset: str
    table: str
    severity: str
    description: str
    sql: str
    """Under `sql/`: the failing rows (at most `$limit`), each with their total in a `failing` column."""
    listed: int
    """Failing rows listed in the check's metadata and `dq_result.details` (all are counted)."""


REJECTED_POSTS = SqlCheck(
    name="rejected_posts", asset="articles", table="rejected_post", severity=WARN,
    description="No file is in quarantine (rejected_post): each one there is a post the warehouse does not "
                "have until the file is fixed.",
    sql="checks/rejected_posts.sql", listed=100,
)

CHECKED_ASSETS = tuple(dict.fromkeys(suite.asset for suite in SUITES))


def suites_for(asset: str) -> list[Suite]:
    return [suite for suite in SUITES if suite.asset == asset]


def checks_for(asset: str) -> list[Check]:
    return [check for suite in suites_for(asset) for check in suite.checks]


def gx_suite(suite: Suite, names: frozenset[str] | None = None):
    """The table's checks (those named in `names`, default all) as a Great Expectations suite
    (imports great_expectations: call it only when checks run). Each expectation carries its check's
    name in `meta["check"]`."""
    import great_expectations as gx

    return gx.ExpectationSuite(name=suite.table, expectations=[
        check.expect.build(meta={"check": check.name, "severity": check.severity},
                           severity="critical" if check.severity == ERROR else "warning",
                           description=check.description)
        for check in suite.checks if names is None or check.name in names
    ])


def _assert_well_formed() -> None:
    for asset in CHECKED_ASSETS:
        names = [check.name for check in checks_for(asset)]
        duplicated = {name for name in names if names.count(name) > 1}
        if duplicated:
            raise ValueError(f"check names repeat within asset {asset}: {sorted(duplicated)}")
    for check in (check for suite in SUITES for check in suite.checks):
        if (check.severity == WARN) != (check.violation is not None):
            raise ValueError(f"check {check.name}: a WARN check, and only a WARN check, needs a violation")


_assert_well_formed()

"""The data-quality checks as Dagster asset checks: one check per `Check` of `etl/quality/suites.py`,
run together in one step per checked asset, and `rejected_posts`, the quarantine.

ERROR checks are blocking (a failure stops the assets downstream of the checked one and fails the
run); WARN checks are reported and the run goes on. Each step writes its results to `dq_result`, so
it sits in the DuckDB pool like the assets. A step validates what its asset wrote since the last
clean step (every ERROR check run, none failed), with Great Expectations in the process the
`great_expectations` resource names (a helper started with the run, by default); a step with nothing
new does not call Great Expectations at all. WARN checks also count the rows of the whole current
table that break them, in SQL, so they stay failed while such rows are in the table.

Every check can also run on its own, without materializing its asset (a check-only run from the
UI's "Execute" on a check, or a job that selects checks only): the steps are subsettable.
"""


import dagster as dg

from etl.core.calendar import shanghai_today, utc_now
from etl.defs.resources import DUCKDB_POOL, GreatExpectations, Warehouse
from etl.quality.suites import CHECKED_ASSETS, ERROR, REJECTED_POSTS, Check, suites_for


def _spec(asset: str, table: str, check: Check) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        check.name,
        asset=asset,
        description=f"{check.description} ({check.severity}: {table}, {check.expect.type})",
        blocking=check.severity == ERROR,
        metadata={"table": table, "severity": check.severity, "expectation": check.expect.type},
    )


def _severity(severity: str) -> dg.AssetCheckSeverity:
    return dg.AssetCheckSeverity.ERROR if severity == ERROR else dg.AssetCheckSeverity.WARN


def _result(outcome, summary: str) -> dg.AssetCheckResult:
    metadata = {
        "table": outcome.table,
        "rows_checked": outcome.element_count if outcome.element_count is not None else -1,
        "unexpected_count": outcome.unexpected_count if outcome.unexpected_count is not None else -1,
    }
    if outcome.in_table is not None:
        metadata["violations_in_table"] = outcome.in_table
    if outcome.sample:
        import pandas as pd

        metadata["failing_sample"] = dg.MetadataValue.md(pd.DataFrame(outcome.sample).to_markdown(index=False))
    if outcome.error:
        metadata["error"] = outcome.error
    return dg.AssetCheckResult(
        asset_key=outcome.asset,
        check_name=outcome.check_name,
        passed=outcome.passed,
        severity=_severity(outcome.severity),
        description=summary,
        metadata=metadata,
    )


def build_checks(asset: str) -> dg.AssetChecksDefinition:
    specs = [_spec(asset, suite.table, check) for suite in suites_for(asset) for check in suite.checks]

    @dg.multi_asset_check(
        name=f"{asset}_quality",
        specs=specs,
        description=f"Great Expectations suite over what `{asset}` wrote since its last clean check, and "
                    "for WARN checks the whole table; results also go to dq_result.",
        can_subset=True,
        pool=DUCKDB_POOL,
    )
    def _checks(context: dg.AssetCheckExecutionContext, duckdb: Warehouse, great_expectations: GreatExpectations):
        from etl.quality.validate import run_asset_checks

        selected = frozenset(key.name for key in context.selected_asset_check_keys)
        with duckdb.get_connection() as conn:
            outcomes = run_asset_checks(conn, asset, run_id=context.run.run_id, today=shanghai_today(), now=utc_now(),
                                        validate=great_expectations.validator(),
                                        names=None if len(selected) == len(specs) else selected)
        failed = [o for o in outcomes if not o.passed]
        if failed:
            context.log.info(f"{asset}: {len(failed)} of {len(outcomes)} checks failed: "
                             + ", ".join(f"{o.check_name} ({o.severity})" for o in failed))
        for outcome in outcomes:
            yield _result(outcome, outcome.summary)

    return _checks


QUALITY_CHECKS = [build_checks(asset) for asset in CHECKED_ASSETS]
"""One multi-asset check per checked asset: articles, article_tags, stock_mentions, securities."""


@dg.asset_check(asset=REJECTED_POSTS.asset, name=REJECTED_POSTS.name, blocking=False, pool=DUCKDB_POOL,
                description=f"{REJECTED_POSTS.description} ({REJECTED_POSTS.severity}: {REJECTED_POSTS.table})",
                metadata={"table": REJECTED_POSTS.table, "severity": REJECTED_POSTS.severity})
def rejected_posts(context: dg.AssetCheckExecutionContext, duckdb: Warehouse) -> dg.AssetCheckResult:
    from etl.quality.validate import run_sql_check

    with duckdb.get_connection() as conn:
        outcome = run_sql_check(conn, REJECTED_POSTS, run_id=context.run.run_id, now=utc_now())
    if outcome.passed:
        return _result(outcome, f"{outcome.description} The quarantine is empty.")
    listed = "; ".join(f"{row['post_path']} ({row['reason']})" for row in outcome.sample[:3])
    more = f" ({REJECTED_POSTS.listed} listed in the metadata)" if outcome.in_table > REJECTED_POSTS.listed else ""
    return _result(outcome, f"{outcome.in_table} files in quarantine{more}: {listed}"
                            + ("; ..." if outcome.in_table > 3 else ""))


WAREHOUSE_CHECKS = [*QUALITY_CHECKS, rejected_posts]
"""Every check of the warehouse: the suites per asset and the quarantine."""

"""The suites as Dagster asset checks: one check step per checked asset, one check per rule.

ERROR rules are blocking (a failure stops the assets downstream of the checked one and fails the
run); WARN rules are reported and the run goes on. Each step writes its results to `dq_result`, so
it sits in the DuckDB pool like the assets. A step validates what its asset wrote since the last
clean step (no ERROR check failed), with Great Expectations in the process the `great_expectations`
resource names (a helper started with the run, by default); a step with nothing new does not call
Great Expectations at all, and still reports (and records) every check, passed on 0 rows.
"""


import dagster as dg

from etl.core.calendar import shanghai_today, utc_now
from etl.defs.resources import DUCKDB_POOL, GreatExpectations, Warehouse
from etl.quality.suites import CHECKED_ASSETS, ERROR, Rule, rules_for


def _spec(asset: str, rule: Rule) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        rule.name,
        asset=asset,
        description=f"{rule.description} ({rule.severity}: {rule.table}, {rule.expectation})",
        blocking=rule.severity == ERROR,
        metadata={"table": rule.table, "severity": rule.severity, "expectation": rule.expectation},
    )


def _result(outcome) -> dg.AssetCheckResult:
    metadata = {
        "table": outcome.table,
        "rows_checked": outcome.element_count if outcome.element_count is not None else -1,
        "unexpected_count": outcome.unexpected_count if outcome.unexpected_count is not None else -1,
    }
    if outcome.sample:
        import pandas as pd

        metadata["failing_sample"] = dg.MetadataValue.md(pd.DataFrame(outcome.sample).to_markdown(index=False))
    if outcome.error:
        metadata["error"] = outcome.error
    return dg.AssetCheckResult(
        asset_key=outcome.asset,
        check_name=outcome.check_name,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR if outcome.severity == ERROR else dg.AssetCheckSeverity.WARN,
        description=outcome.summary,
        metadata=metadata,
    )


def build_checks(asset: str) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(
        name=f"{asset}_quality",
        specs=[_spec(asset, rule) for rule in rules_for(asset)],
        description=f"Great Expectations suite over what `{asset}` wrote since its last clean check; "
                    "results also go to dq_result.",
        pool=DUCKDB_POOL,
    )
    def _checks(context: dg.AssetCheckExecutionContext, duckdb: Warehouse, great_expectations: GreatExpectations):
        from etl.quality.validate import run_asset_checks

        with duckdb.get_connection() as conn:
            outcomes = run_asset_checks(conn, asset, run_id=context.run.run_id, today=shanghai_today(), now=utc_now(),
                                        validate=great_expectations.validator())
        failed = [o for o in outcomes if not o.passed]
        if failed:
            context.log.info(f"{asset}: {len(failed)} of {len(outcomes)} checks failed: "
                                + ", ".join(f"{o.check_name} ({o.severity})" for o in failed))
        for outcome in outcomes:
            yield _result(outcome)

    return _checks


QUALITY_CHECKS = [build_checks(asset) for asset in CHECKED_ASSETS]
"""One multi-asset check per checked asset: articles, article_tags, stock_mentions, securities."""

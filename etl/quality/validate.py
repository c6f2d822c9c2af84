"""Running the suites: read back from DuckDB the rows written since the asset's last clean check,
validate them with Great Expectations (pandas data source, whole-dataframe batch: GX cannot query
DuckDB), count in SQL the rows of the whole table that break each WARN check, and store the results
in `dq_result`. A table with no new rows passes its expectations without Great Expectations, which
is imported only when some table has rows to validate.

Plain functions over a DuckDB connection or DataFrames; the Dagster checks in `etl.defs.checks`
are a thin layer over `run_asset_checks`.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
import pyarrow as pa

from etl.quality.suites import ERROR, Check, SqlCheck, Suite, checks_for, gx_suite, parameters, suites_for
from etl.warehouse.loads import transaction
from etl.warehouse.sql import read_sql, run_script

SAMPLE_ROWS = 10
"""Failing rows kept per check, for the UI and `dq_result.details`."""
SAMPLE_TEXT = 80
"""Characters of a failing value kept in the sample (disagreeing titles can be long)."""


@dataclass(frozen=True)
class CheckOutcome:
    asset: str
    table: str
    check_name: str
    severity: str
    passed: bool
    description: str
    expectation: str
    arguments: dict
    element_count: int | None
    unexpected_count: int | None
    sample: list[dict] = field(default_factory=list)
    error: str | None = None
    nothing_new: bool = False
    """True when the table had no row to check, so Great Expectations did not run. A flag, not
    `element_count == 0`: an expectation can skip every row of a batch (NULLs) too."""
    in_table: int | None = None
    """WARN checks: the rows of the whole current table that break the check (None for ERROR checks,
    whose failures stop the load and are validated again until fixed)."""

    @property
    def summary(self) -> str:
        """One line for a person: what was expected and how far the batch is from it."""
        if self.error:
            return f"{self.description} The expectation could not run: {self.error}"
        shown = "; ".join(", ".join(f"{k}={v!r}" if v == "" else f"{k}={v}" for k, v in row.items())
                          for row in self.sample[:3])
        if self.nothing_new:
            batch = f"{self.description} Nothing new to check since the last clean check."
        elif self.unexpected_count == 0:
            batch = f"{self.description} All {self.element_count} new rows pass."
        else:
            batch = f"{self.description} {self.unexpected_count} of {self.element_count} new rows fail, e.g. {shown}"
        if self.in_table is None:
            return batch
        if self.in_table == 0:
            return f"{batch} No row of the whole table breaks it."
        example = f", e.g. {shown}" if self.unexpected_count == 0 else ""
        return f"{batch} The whole table holds {self.in_table} rows that break it{example}."

    def details(self) -> dict:
        return {
            "table": self.table,
            "description": self.description,
            "expectation": self.expectation,
            "arguments": self.arguments,
            "rows_checked": self.element_count,
            "violations_in_table": self.in_table,
            "sample": self.sample,
            "error": self.error,
        }


def _gx_context(gx):
    """A throwaway in-memory context: no files, no progress bars, no usage statistics."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        progress_bars=ProgressBarsConfig(globally=False),
        analytics_enabled=False,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _pandas_source():
    """A Great Expectations pandas data source in a fresh context."""
    import great_expectations as gx  # slow to import: only here, never when Dagster loads the definitions

    return _gx_context(gx).data_sources.add_pandas("warehouse")


def validate_frames(frames: Mapping[str, pd.DataFrame], suites: Sequence[Suite], *,
                    today: date, names: frozenset[str] | None = None) -> list[CheckOutcome]:
    """Validate each table's DataFrame with its suite's checks (those in `names`, default all); one
    outcome per check, in the suites' order. A suite whose DataFrame is empty passes every check
    without running; the others share one Great Expectations context, created (and GX imported) only
    when some DataFrame has rows."""
    source = None
    outcomes: list[CheckOutcome] = []
    for suite in suites:
        frame = frames[suite.table]
        checks = [check for check in suite.checks if names is None or check.name in names]
        if not checks:
            continue
        if frame.empty:
            outcomes += [CheckOutcome(**_identity(suite, check, today), passed=True, element_count=0,
                                      unexpected_count=0, nothing_new=True) for check in checks]
            continue
        if source is None:
            source = _pandas_source()
        batch = (source.add_dataframe_asset(suite.table)
                 .add_batch_definition_whole_dataframe("batch")
                 .get_batch(batch_parameters={"dataframe": frame}))
        index_columns = [c for c in suite.sample_columns if c in frame.columns]
        validation = batch.validate(gx_suite(suite, names), expectation_parameters=parameters(today), result_format={
            "result_format": "SUMMARY",
            "partial_unexpected_count": SAMPLE_ROWS,
            "unexpected_index_column_names": index_columns,
        })
        # GX does not keep the suite's order: match results to checks by name.
        by_name = {r.expectation_config.meta["check"]: r for r in validation.results}
        outcomes += [_outcome(suite, check, by_name.get(check.name), today) for check in checks]
    return outcomes


def validate_asset(asset: str, frames: Mapping[str, pd.DataFrame], *, today: date,
                   names: frozenset[str] | None = None) -> list[CheckOutcome]:
    """Validate the batches of every suite of `asset` (see `validate_frames`)."""
    return validate_frames(frames, suites_for(asset), today=today, names=names)


def _identity(suite: Suite, check: Check, today: date) -> dict:
    """What an outcome says about its check, whatever the result."""
    return dict(asset=suite.asset, table=suite.table, check_name=check.name, severity=check.severity,
                description=check.description, expectation=check.expect.type,
                arguments=_plain(_with_parameters(check.expect.arguments, parameters(today))))


def _with_parameters(arguments: dict, values: dict) -> dict:
    """The arguments as Great Expectations runs them: each `{"$PARAMETER": name}` filled in."""
    return {key: values[value["$PARAMETER"]] if isinstance(value, dict) and "$PARAMETER" in value else value
            for key, value in arguments.items()}


def _outcome(suite: Suite, check: Check, result, today: date) -> CheckOutcome:
    common = _identity(suite, check, today)
    if result is None:
        return CheckOutcome(**common, passed=False, element_count=None, unexpected_count=None,
                            error="Great Expectations returned no result for this expectation")
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return CheckOutcome(**common, passed=False, element_count=None, unexpected_count=None,
                            error=str(info.get("exception_message") or "unknown error"))
    stats = result.result or {}
    return CheckOutcome(
        **common,
        passed=bool(result.success),
        element_count=stats.get("element_count"),
        unexpected_count=int(stats.get("unexpected_count") or 0),
        sample=[] if result.success else _sample(stats, suite.sample_columns),
    )


def _sample(stats: dict, identifying: Sequence[str]) -> list[dict]:
    """Failing rows as {column: value}, identifying columns first, long text cut short."""
    rows = stats.get("partial_unexpected_index_list") or [
        value if isinstance(value, dict) else {"value": value} for value in stats.get("partial_unexpected_list") or []
    ]
    ordered = [{**{column: row[column] for column in identifying if column in row}, **row} for row in rows[:SAMPLE_ROWS]]
    return [{key: _short(_plain(value)) for key, value in row.items()} for row in ordered]


def _short(value):
    if isinstance(value, str) and len(value) > SAMPLE_TEXT:
        return value[: SAMPLE_TEXT - 1] + "…"
    return value


def _plain(value):
    """JSON-ready copy of a value from pandas/numpy/GX: NaN, NaT and NA become None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    if hasattr(value, "item") and not isinstance(value, (datetime, date)):
        try:
            value = value.item()  # numpy scalar
        except (ValueError, TypeError):
            pass
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def last_clean_check(conn, asset: str) -> datetime | None:
    """When the last check step of `asset` that ran all its ERROR checks and failed none ran; None
    before the first."""
    errors = [check.name for check in checks_for(asset) if check.severity == ERROR]
    return conn.execute(read_sql("checks/last_clean_check.sql"), {"asset": asset, "error_checks": errors}).fetchone()[0]


def read_batches(conn, suites: Sequence[Suite], *, since: datetime | None) -> dict[str, pd.DataFrame]:
    """The batch each suite checks, the rows written after `since` (all of them when None), as pandas
    DataFrames read back from DuckDB."""
    return {suite.table: conn.execute(read_sql(suite.batch_sql), {"since": since}).df() for suite in suites}


DQ_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("asset", pa.string()), ("check_name", pa.string()), ("passed", pa.bool_()),
    ("severity", pa.string()), ("unexpected_count", pa.int64()), ("details", pa.large_string()),
    ("checked_at", pa.timestamp("us", tz="UTC")),
])


def record_results(conn, outcomes: Sequence[CheckOutcome], *, run_id: str, now: datetime) -> None:
    """All of a check step's results into `dq_result`, in one transaction (a retried step of the same
    run replaces its rows)."""
    if not outcomes:
        return
    table = pa.table({
        "run_id": [run_id] * len(outcomes),
        "asset": [o.asset for o in outcomes],
        "check_name": [o.check_name for o in outcomes],
        "passed": [o.passed for o in outcomes],
        "severity": [o.severity for o in outcomes],
        "unexpected_count": [o.unexpected_count for o in outcomes],
        "details": [json.dumps(o.details(), ensure_ascii=False) for o in outcomes],
        "checked_at": [now] * len(outcomes),
    }, schema=DQ_SCHEMA)
    conn.register("dq_batch", table)
    try:
        with transaction(conn):
            run_script(conn, "checks/record_results.sql")
    finally:
        conn.unregister("dq_batch")


def run_asset_checks(conn, asset: str, *, run_id: str, today: date, now: datetime,
                     validate: Callable[..., list[CheckOutcome]] = validate_asset,
                     names: frozenset[str] | None = None) -> list[CheckOutcome]:
    """Check what `asset` wrote since its last clean check, count the whole table's rows that break
    each WARN check, and record the results (at `now`, which becomes the next step's `since` if the
    step ran every ERROR check and none failed): the whole job of one check step. `names`: only
    these checks (default all). `validate` runs the suites, as `validate_asset` does (the checks
    pass the helper process's)."""
    suites = suites_for(asset)
    batches = read_batches(conn, suites, since=last_clean_check(conn, asset))
    outcomes = validate(asset, batches, today=today, names=names)
    checks = {(suite.table, check.name): (suite, check) for suite in suites for check in suite.checks}
    outcomes = [_with_table_count(conn, *checks[(o.table, o.check_name)], o, today) for o in outcomes]
    record_results(conn, outcomes, run_id=run_id, now=now)
    return outcomes


def _with_table_count(conn, suite: Suite, check: Check, outcome: CheckOutcome, today: date) -> CheckOutcome:
    """A WARN outcome that also tells the rows of the whole table that break the check, failed while
    there are any; an ERROR outcome as it is."""
    if check.violation is None or outcome.error:
        return outcome
    count, sample = count_violations(conn, suite, check, today)
    return replace(outcome, in_table=count, passed=outcome.passed and count == 0,
                   sample=outcome.sample or sample)


def count_violations(conn, suite: Suite, check: Check, today: date) -> tuple[int, list[dict]]:
    """How many rows of the whole table break `check` (its `violation`, over the table's batch with
    no `since`), and a sample of them. The SQL is put together from the suites' own text, no input."""
    columns = [*suite.sample_columns, *(c for c in check.expect.columns if c not in suite.sample_columns)]
    sql = (f"SELECT {', '.join(columns)}, count(*) OVER () AS violations\n"
           f"FROM (\n{read_sql(suite.batch_sql)}\n) AS whole_table\n"
           f"WHERE {check.violation}\nLIMIT {SAMPLE_ROWS}")
    values = {"since": None, **parameters(today)}
    frame = conn.execute(sql, {k: v for k, v in values.items() if f"${k}" in sql}).df()
    if frame.empty:
        return 0, []
    count = int(frame.pop("violations").iloc[0])
    return count, [{key: _short(_plain(value)) for key, value in row.items()} for row in frame.to_dict("records")]


def failed_errors(outcomes: Sequence[CheckOutcome]) -> list[CheckOutcome]:
    return [o for o in outcomes if not o.passed and o.severity == ERROR]


def run_sql_check(conn, check: SqlCheck, *, run_id: str, now: datetime) -> CheckOutcome:
    """Run a check that is one query over the whole table (`rejected_posts`): failed while it returns
    rows, which are the sample. Recorded in `dq_result` like the suites' checks."""
    frame = conn.execute(read_sql(check.sql), {"limit": check.listed}).df()
    failing = int(frame.pop("failing").iloc[0]) if len(frame) else 0
    outcome = CheckOutcome(
        asset=check.asset, table=check.table, check_name=check.name, severity=check.severity, passed=failing == 0,
        description=check.description, expectation=f"sql/{check.sql}", arguments={},
        element_count=failing, unexpected_count=failing, in_table=failing,
        sample=[{key: _plain(value) for key, value in row.items()} for row in frame.to_dict("records")],
    )
    record_results(conn, [outcome], run_id=run_id, now=now)
    return outcome

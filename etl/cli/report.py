"""The summary `etl load` prints: files, rows per table, checks, and where to look next."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
import duckdb

from etl.cli.load import REFUSED
from etl.defs.materialize import refused
from etl.defs.runs import failure_cause, failure_class, user_error
from etl.warehouse.audit import pending_file
from etl.warehouse.guard import LoadRefused
from etl.warehouse.publish import table_rows


def _metadata(result, asset: str) -> dict:
    for event in result.get_asset_materialization_events():
        if event.asset_key.to_user_string() == asset:
            return {k: v.value for k, v in event.materialization.metadata.items()}
    return {}


def print_load_report(outcome, warehouse: Path) -> int:
    """Print what a load did (`etl.cli.LoadOutcome`); the exit status: 0 only when the load
    committed and no blocking check failed (3: the guard refused it)."""
    plan, result = outcome.plan, outcome.result
    failed_steps = [event for event in result.all_events if event.is_step_failure] if result else []
    for event in failed_steps:  # the cause first, in one line, before the rest of the report
        print(f"error: step {event.step_key} failed: {failure_cause(event.step_failure_data)}",
              file=sys.stderr, flush=True)
    print(plan.describe())
    if result is None:
        counts = _table_rows(warehouse)
        print(f"Files: {plan.files_seen} seen, 0 new, 0 changed, {plan.files_seen} unchanged, 0 deleted, "
              f"0 rejected in this load ({counts.get('rejected_post', 0)} in quarantine); the warehouse and the "
              "analyst snapshot are current (etl load --full checks every date anyway)")
        print("Checks: none run, as nothing was loaded (the last load's results are in dq_result)")
        _print_rows(warehouse, counts)
        return 0
    raw = _metadata(result, "raw_posts")
    built = _metadata(result, "articles")
    if raw:
        # Files outside the run's dates were vouched for by their stamps: unchanged.
        outside = max(plan.files_seen - raw["files_seen"], 0)
        print(
            f"Files: {raw['files_seen'] + outside} seen, {raw['files_new']} new, {raw['files_changed']} changed, "
            f"{raw['files_unchanged'] + outside} unchanged, {raw['files_deleted']} deleted, "
            f"{built.get('files_rejected', 0)} rejected in this load "
            f"({built.get('rejected_post_rows', 0)} in quarantine)"
        )
        if built.get("files_rejected"):
            print(built["rejections"])
    print_derivation(result)
    failed_blocking = _print_checks(result)
    if not result.success:
        _print_failed_steps(failed_steps)
        if pending_file(warehouse).exists():
            print(f"This run's load_run row waits in {pending_file(warehouse)} until the warehouse can be written.")
        if refused(result):
            print("Load REFUSED: see the first line; the analyst snapshot still shows the last good load.")
            return REFUSED
        if failed_blocking and not failed_steps:
            print("Load STOPPED by a failed blocking check: what the load wrote up to the check stays in the "
                  "warehouse, the steps after it did not run, and the analyst snapshot still shows the last "
                  "complete load. Fix the posts (see dq_result) and run etl load again.")
        else:
            print("Load FAILED: every batch committed before the failure stays, the analyst snapshot still "
                  "shows the last complete load, and the next etl load finishes the work.")
        return 1
    _print_rows(warehouse)
    return 1 if failed_blocking else 0


def _print_failed_steps(failed_steps) -> None:
    """Each failed step's cause in one line; the traceback too (on stderr) when the cause is not one
    we foresaw (no `dagster.Failure` of ours, no refusal): it is what a bug report needs."""
    for event in failed_steps:
        failure = event.step_failure_data
        print(f"Step {event.step_key} failed: {failure_cause(failure)}")
        if failure.user_failure_data is None and failure.error and failure_class(failure) != LoadRefused.__name__:
            print(f"Traceback of step {event.step_key}'s failure:\n{user_error(failure.error).to_string()}",
                  file=sys.stderr)


def print_derivation(result) -> None:
    """What the run derived again without a file changing, and why; what name matching did."""
    built = _metadata(result, "articles")
    if built.get("rederive_reason"):
        print(f"Re-derived: {built['articles_rederived']} articles from raw_post ({built['rederive_reason']})")
    names = _metadata(result, "stock_mentions")
    if names:
        print(f"Names: {names['articles_name_matched']} articles matched against the security dictionary "
              f"({names['dictionary_names']} names; {names['articles_rematched']} articles re-matched for "
              f"{names['dictionary_changed_names']} names added, changed or dropped), "
              f"{names['name_mentions']} mentions found by name alone")


def print_run_outcome(result, warehouse: Path) -> int:
    """The checks, failed steps and rows of a run that is not a load of the posts folder (`etl
    rebuild`); the exit status as `print_load_report`'s."""
    print_derivation(result)
    failed_blocking = _print_checks(result)
    if not result.success:
        _print_failed_steps([event for event in result.all_events if event.is_step_failure])
        print("FAILED: every batch committed before the failure stays, the analyst snapshot still shows the last "
              "complete load, and the articles still queued are derived by the next etl load or etl rebuild.")
        return 1
    _print_rows(warehouse)
    return 1 if failed_blocking else 0


def _print_checks(result) -> list[str]:
    """Print the checks' tally and each failure; return the names of failed blocking checks."""
    checks = list(result.get_asset_check_evaluations())
    if not checks:
        return []
    passed = sum(c.passed for c in checks)
    warned = sum(not c.passed and c.severity == dg.AssetCheckSeverity.WARN for c in checks)
    print(f"Checks: {passed} passed, {len(checks) - passed} failed "
          f"({len(checks) - passed - warned} ERROR, {warned} WARN)")
    failed_blocking = []
    for check in checks:
        if not check.passed:
            severity = check.severity.value if check.severity else "ERROR"
            print(f"  {severity:5} {check.asset_key.to_user_string()}.{check.check_name}: {check.description or ''}")
            if severity == "ERROR":
                failed_blocking.append(check.check_name)
    return failed_blocking


def _table_rows(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return table_rows(conn)


def _print_rows(warehouse: Path, counts: dict[str, int] | None = None) -> None:
    counts = counts or _table_rows(warehouse)
    print("Rows: " + ", ".join(f"{table} {rows}" for table, rows in counts.items()))
    print(f"Warehouse: {warehouse}")
    print("Try: etl sql \"SELECT secid, name, article_count FROM security ORDER BY article_count DESC LIMIT 10\"")

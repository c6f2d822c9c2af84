"""The summary `etl load` prints: files, rows per table, checks, and where to look next."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from etl.warehouse.sql import read_sql


def _metadata(result, asset: str) -> dict:
    for event in result.get_asset_materialization_events():
        if event.asset_key.to_user_string() == asset:
            return {k: v.value for k, v in event.materialization.metadata.items()}
    return {}


def print_load_report(result, warehouse: Path) -> int:
    raw = _metadata(result, "raw_posts")
    built = _metadata(result, "articles")
    if raw:
        print(
            f"Files: {raw['files_seen']} seen, {raw['files_new']} new, {raw['files_changed']} changed, "
            f"{raw['files_unchanged']} unchanged, {raw['files_deleted']} deleted, "
            f"{built.get('files_rejected', 0)} rejected in this load "
            f"({built.get('rejected_post_rows', 0)} in quarantine)"
        )
    # ExecuteInProcessResult returns the AssetCheckEvaluation records themselves.
    checks = list(result.get_asset_check_evaluations()) if hasattr(result, "get_asset_check_evaluations") else []
    failed_blocking = []
    if checks:
        passed = sum(c.passed for c in checks)
        warned = sum(not c.passed and c.severity == dg.AssetCheckSeverity.WARN for c in checks)
        print(f"Checks: {passed} passed, {len(checks) - passed} failed "
              f"({len(checks) - passed - warned} ERROR, {warned} WARN)")
        for check in checks:
            if not check.passed:
                severity = check.severity.value if check.severity else "ERROR"
                print(f"  {severity:5} {check.asset_key.to_user_string()}.{check.check_name}: "
                      f"{check.description or ''}")
                if severity == "ERROR":
                    failed_blocking.append(check.check_name)
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure:
                print(f"Step {event.step_key} failed: {event.step_failure_data.error.message.strip()}")
        print("Load FAILED: the warehouse keeps its last committed state.")
        return 1
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        counts = conn.execute(read_sql("metadata/table_counts.sql")).fetchall()
    print("Rows: " + ", ".join(f"{table} {rows}" for table, rows in counts))
    print(f"Warehouse: {warehouse}")
    print(f"Try: etl sql \"SELECT secid, name, article_count FROM security ORDER BY article_count DESC LIMIT 10\"")
    return 1 if failed_blocking else 0

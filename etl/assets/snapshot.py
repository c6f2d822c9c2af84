"""The last step of every load: record the run in `load_run` and publish the analysts' snapshot."""


from collections.abc import Sequence
from datetime import date, datetime, timezone
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from etl.assets.common import TABLE_ASSET, utc_now
from etl.automation.partitions import RANGE_END_TAG, RANGE_START_TAG
from etl.settings import analyst_db_for, analyst_db_storage_version
from etl.warehouse.connection import open_warehouse
from etl.warehouse.publish import LoadRunRow, publish_snapshot, record_load_run

ANALYST_VIEWS = dg.AssetKey("analyst_views")
SECURITIES = dg.AssetKey("securities")
TRIGGER_TAG = "etl/trigger"
TRIGGERS = ("ui", "schedule", "sensor", "cli")



def run_trigger(tags: dict) -> str:
    """What started a run: the `etl/trigger` tag the CLI, the schedule and the sensor set; a run
    launched from the Dagster UI (or a backfill started there) has none and counts as `ui`."""
    trigger = tags.get(TRIGGER_TAG)
    if trigger in TRIGGERS:
        return trigger
    if tags.get("dagster/schedule_name"):
        return "schedule"
    if tags.get("dagster/sensor_name"):
        return "sensor"
    return "ui"


def _partition_range(tags: dict) -> tuple[date | None, date | None]:
    start = tags.get(RANGE_START_TAG) or tags.get("dagster/partition")
    end = tags.get(RANGE_END_TAG) or tags.get("dagster/partition")
    try:
        return (date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None)
    except ValueError:
        return None, None


def _value(metadata: dict, key: str):
    entry = metadata.get(key)
    return getattr(entry, "value", entry)


def load_run_row(instance: dg.DagsterInstance, run_id: str, *, status: str, recorded_by: str,
                 finished_at: datetime | None = None) -> LoadRunRow:
    """What a run did, read from its Dagster event log: the file counts `raw_posts` and `articles`
    reported, the asset checks evaluated so far, and the failed steps."""
    record = instance.get_run_record_by_id(run_id)
    run = record.dagster_run if record else None
    tags = dict(run.tags) if run else {}
    start, end = _partition_range(tags)
    row = LoadRunRow(
        run_id=run_id, trigger=run_trigger(tags), status=status, recorded_by=recorded_by,
        finished_at=finished_at or utc_now(), job_name=run.job_name if run else None,
        partition_start=start, partition_end=end,
        started_at=datetime.fromtimestamp(record.start_time, timezone.utc) if record and record.start_time else None,
    )
    materialized: dict[str, dict] = {}
    checks: list[tuple[str, bool]] = []
    failures: list[str] = []
    for entry in instance.all_logs(run_id, of_type={
        dg.DagsterEventType.ASSET_MATERIALIZATION,
        dg.DagsterEventType.ASSET_CHECK_EVALUATION,
        dg.DagsterEventType.STEP_FAILURE,
        dg.DagsterEventType.RUN_FAILURE,
    }):
        event = entry.get_dagster_event()
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialization = entry.asset_materialization
            materialized[materialization.asset_key.to_user_string()] = dict(materialization.metadata)
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            check = event.asset_check_evaluation_data
            checks.append((f"{check.asset_key.to_user_string()}.{check.check_name}", check.passed))
        elif event.event_type == dg.DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            failures.append(f"{event.step_key}: {error.message.strip() if error else 'failed'}")
        elif not failures and event.message:
            failures.append(event.message)
    raw = materialized.get("raw_posts", {})
    if raw:
        row.files_seen = _value(raw, "files_seen")
        row.files_new = _value(raw, "files_new")
        row.files_changed = _value(raw, "files_changed")
        row.files_unchanged = _value(raw, "files_unchanged")
        row.files_deleted = _value(raw, "files_deleted")
    if "articles" in materialized:
        row.files_rejected = _value(materialized["articles"], "files_rejected")
    row.checks_passed = sum(passed for _, passed in checks)
    row.checks_failed = len(checks) - row.checks_passed
    row.failed_checks = [name for name, passed in checks if not passed]
    row.error = "\n".join(failures)[:4000] or None
    return row


def build_analyst_snapshot(upstream: Sequence[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    """The snapshot asset, downstream of every warehouse asset in `upstream` (so it runs last, once
    all tables of the load are written): of `analyst_views` when that asset is in the graph,
    else of `securities` and its siblings."""
    keys = {key for asset in upstream for key in asset.keys}
    deps = sorted(keys | ({ANALYST_VIEWS} if ANALYST_VIEWS in keys else {SECURITIES}),
                  key=lambda key: key.to_user_string())

    # Not partitioned: it copies the whole warehouse, whatever dates the run loaded (and a partitioned
    # asset would log one materialization per date of a range).
    @dg.asset(**TABLE_ASSET, deps=deps, description=(
        "Read-only copy of the whole warehouse for analysts (`<warehouse>.analyst.duckdb`, or "
        "`ETL_ANALYST_DB`), published after each successful load: written beside the target, then "
        "renamed over it, so open connections keep their consistent view and new ones see the "
        "new data. Also writes this run's `load_run` audit row (status success) first, so the "
        "snapshot carries it."
    ))
    def analyst_snapshot(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
        target = analyst_db_for(Path(duckdb.database))
        row = load_run_row(context.instance, context.run.run_id, status="success", recorded_by="analyst_snapshot")
        with open_warehouse(duckdb.database) as conn:
            record_load_run(conn, row)
            snapshot = publish_snapshot(conn, target, storage_version=analyst_db_storage_version())
        context.log.info(f"published {snapshot.path} ({snapshot.size_bytes} bytes, {snapshot.tables} tables, "
                         f"{snapshot.views} views); load_run trigger={row.trigger}")
        return dg.MaterializeResult(metadata={
            "snapshot_path": dg.MetadataValue.path(str(snapshot.path)),
            "size_bytes": snapshot.size_bytes,
            "tables": snapshot.tables,
            "views": snapshot.views,
            "trigger": row.trigger,
            "checks_passed": row.checks_passed,
            "checks_failed": row.checks_failed,
        })

    return analyst_snapshot

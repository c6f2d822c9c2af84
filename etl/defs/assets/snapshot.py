"""The last step of every load: record the run in `load_run` and publish the analysts' snapshot."""


from collections.abc import Sequence
from pathlib import Path

import dagster as dg

from etl.core.settings import analyst_db_for, analyst_db_storage_version
from etl.defs.assets.common import TABLE_ASSET, nearest, parents_of
from etl.defs.resources import Warehouse
from etl.defs.runs import load_run_row
from etl.warehouse.guard import check_quarantine
from etl.warehouse.publish import publish_snapshot, record_load_run


def build_analyst_snapshot(upstream: Sequence[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    """The snapshot asset, downstream of every warehouse asset in `upstream` (so it runs last, once
    all tables and views of the load are written). Its drawn edges come from the assets nothing else
    reads (the last views): the others are upstream of those, so one edge per branch says it all."""
    parents = parents_of(upstream)
    deps = nearest(set(parents), parents)

    @dg.asset(**(TABLE_ASSET | {"group_name": "analyst"}), deps=deps, description=(
        "Read-only copy of the whole warehouse for analysts (`<warehouse>.analyst.duckdb`, or "
        "`ETL_ANALYST_DB`), published after each successful load: written beside the target, then "
        "renamed over it, so open connections keep their consistent view and new ones see the "
        "new data. Also writes this run's `load_run` audit row (status success) first, so the "
        "snapshot carries it."
    ))
    def analyst_snapshot(context: dg.AssetExecutionContext, duckdb: Warehouse) -> dg.MaterializeResult:
        target = analyst_db_for(Path(duckdb.database))
        row = load_run_row(context.instance, context.run.run_id, status="success", recorded_by="analyst_snapshot")
        with duckdb.get_connection() as conn:
            check_quarantine(conn, limit=duckdb.max_delete_share)  # a source gone bad is not published
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

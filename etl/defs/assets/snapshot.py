"""The last step of every load: record the run in `load_run` and publish the analysts' snapshot."""


from collections.abc import Sequence
from pathlib import Path

import dagster as dg

from etl.core.settings import analyst_db_for, analyst_db_storage_version
from etl.defs.assets.common import TABLE_ASSET
from etl.defs.resources import Warehouse
from etl.defs.runs import load_run_row
from etl.warehouse.guard import check_quarantine
from etl.warehouse.publish import publish_snapshot, record_load_run

ANALYST_VIEWS = dg.AssetKey("analyst_views")
SECURITIES = dg.AssetKey("securities")

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

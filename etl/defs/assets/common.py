"""What every warehouse asset shares: partitions, the one-writer pool, how a run's dates are read."""

from __future__ import annotations

from datetime import date

import dagster as dg

from etl.defs.partitions import daily_posts
from etl.defs.resources import DUCKDB_POOL
from etl.warehouse.ingest import DateWindow

TABLE_ASSET = dict(
    pool=DUCKDB_POOL,
    group_name="warehouse",
    owners=["team:data-engineering"],
    kinds={"duckdb", "python"},
)
"""Assets that work from the queue of articles to rebuild, or on whole tables: not partitioned,
because a date range says nothing about which rows they touch, and each partition would cost the
run an event."""

WAREHOUSE_ASSET = TABLE_ASSET | dict(
    partitions_def=daily_posts,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
"""The asset whose work follows the post dates: which files a run scans."""


def run_window(context: dg.AssetExecutionContext) -> DateWindow:
    keys = context.partition_key_range
    return DateWindow(
        start=date.fromisoformat(keys.start),
        end=date.fromisoformat(keys.end),
        valid_start=date.fromisoformat(daily_posts.get_first_partition_key()),
        valid_end=date.fromisoformat(daily_posts.get_last_partition_key()),
    )


def markdown_table(conn, sql: str, params: dict | None = None) -> dg.MetadataValue:
    frame = conn.execute(sql, params or {}).df()
    return dg.MetadataValue.md(frame.to_markdown(index=False) if len(frame) else "_no rows_")

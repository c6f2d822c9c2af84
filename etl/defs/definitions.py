"""What Dagster loads: `workspace.yaml` points here."""

from __future__ import annotations

import dagster as dg

from etl.defs.assets.articles import article_tags, articles
from etl.defs.assets.mentions import securities, stock_mentions
from etl.defs.assets.raw_posts import raw_posts
from etl.defs.assets.snapshot import build_analyst_snapshot
from etl.defs.assets.views import analyst_views
from etl.defs.checks import WAREHOUSE_CHECKS
from etl.defs.jobs import LOAD_JOB_NAME
from etl.defs.resources import warehouse_resources
from etl.defs.runs import REDERIVE_TAG, TRIGGER_TAG
from etl.defs.schedules import daily_newest_posts
from etl.defs.sensors import load_run_failures, posts_folder_sensor

_ASSETS = [raw_posts, articles, article_tags, stock_mentions, securities, analyst_views]

# The last step of every load, downstream of all the above: the load_run audit row and the analysts'
# read-only snapshot. Each asset links to the code that makes it (the views to their .sql files too).
WAREHOUSE_ASSETS = list(dg.with_source_code_references([*_ASSETS, build_analyst_snapshot(_ASSETS)]))

load_warehouse = dg.define_asset_job(
    LOAD_JOB_NAME,
    selection=dg.AssetSelection.assets(*WAREHOUSE_ASSETS),
    description="Load posts into the warehouse: raw files → articles → tags, mentions → securities → views → "
                "snapshot. Launched without tags it scans every file; the sensor, the schedule and `etl "
                "load` tag the dates to scan (etl/dates_start, etl/dates_end).",
)

REBUILD_SELECTION = dg.AssetSelection.assets(*WAREHOUSE_ASSETS) - dg.AssetSelection.assets(raw_posts)
"""What a rebuild runs: every asset but `raw_posts`, which reads the folder (a rebuild reads raw_post)."""

rebuild_warehouse = dg.define_asset_job(
    "rebuild_warehouse",
    selection=REBUILD_SELECTION,
    tags={TRIGGER_TAG: "rebuild", REDERIVE_TAG: "all"},
    description="What `etl rebuild` runs: every article, tag, mention and security derived again from the "
                "stored file versions (raw_post), the posts folder not read; then the views and the snapshot.",
)

check_warehouse = dg.define_asset_job(
    "check_warehouse",
    selection=dg.AssetSelection.checks(*WAREHOUSE_CHECKS),
    description="Run every data-quality check on the tables as they are, without loading anything.",
)

defs = dg.Definitions(
    assets=WAREHOUSE_ASSETS,
    asset_checks=WAREHOUSE_CHECKS,
    jobs=[load_warehouse, rebuild_warehouse, check_warehouse],
    schedules=[daily_newest_posts],
    sensors=[posts_folder_sensor, load_run_failures],
    resources=warehouse_resources(),
    # Every step writes the one DuckDB file, so the `duckdb` pool runs them one at a time anyway: one
    # process per run instead of one per step saves a Python start (and a Great Expectations import)
    # per step, which is most of a small load's time.
    executor=dg.in_process_executor,
)

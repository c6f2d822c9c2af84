"""What Dagster loads: `workspace.yaml` points here."""

from __future__ import annotations

import dagster as dg

from etl.assets.articles import article_tags, articles
from etl.assets.mentions import securities, stock_mentions
from etl.assets.raw_posts import raw_posts
from etl.assets.views import analyst_views
from etl.checks.asset_checks import QUALITY_CHECKS
from etl.resources import default_resources

WAREHOUSE_ASSETS = [raw_posts, articles, article_tags, stock_mentions, securities, analyst_views]
WAREHOUSE_CHECKS: list = [*QUALITY_CHECKS]  # Great Expectations suites per table (etl/checks)

load_warehouse = dg.define_asset_job(
    "load_warehouse",
    selection=dg.AssetSelection.assets(*WAREHOUSE_ASSETS),
    description="Load posts into the warehouse: raw files → articles → tags, mentions → securities.",
)

defs = dg.Definitions(
    assets=WAREHOUSE_ASSETS,
    asset_checks=WAREHOUSE_CHECKS,
    jobs=[load_warehouse],
    resources=default_resources(),
)

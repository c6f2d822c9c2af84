"""`etl load` and friends: the headless way to run the same assets the UI and schedules run."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from datetime import date
from pathlib import Path


def _quiet_dagster() -> None:
    # Beta/preview notices are for asset authors, not for someone running a load.
    import dagster as dg

    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    warnings.filterwarnings("ignore", category=dg.PreviewWarning)


def run_load(posts_dir: Path, warehouse: Path, *, trigger: str = "cli"):
    """Materialize the whole asset graph over every date partition present in the posts folder, in
    one run. Returns the Dagster result."""
    import dagster as dg

    from etl.automation.partitions import daily_posts
    from etl.definitions import WAREHOUSE_ASSETS, WAREHOUSE_CHECKS
    from etl.resources import PostsFolder
    from etl.settings import load_settings
    from etl.warehouse.ingest import live_partition_range, source_partitions
    from dagster_duckdb import DuckDBResource

    settings = load_settings()
    first = date.fromisoformat(daily_posts.get_first_partition_key())
    last = date.fromisoformat(daily_posts.get_last_partition_key())
    dates = source_partitions(posts_dir) + live_partition_range(warehouse)
    present = [d for d in dates if first <= d <= last] or [last]
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    return dg.materialize(
        [*WAREHOUSE_ASSETS, *WAREHOUSE_CHECKS],
        instance=instance,
        resources={
            "posts": PostsFolder(path=str(posts_dir), max_post_bytes=settings.max_post_bytes,
                                 workers=settings.workers),
            "duckdb": DuckDBResource(database=str(warehouse)),
        },
        tags={
            "dagster/asset_partition_range_start": min(present).isoformat(),
            "dagster/asset_partition_range_end": max(present).isoformat(),
            "etl/trigger": trigger,
        },
        # Dagster logs one event per partition and asset; the report below is what a person reads.
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        raise_on_error=False,
    )


def _load(args: argparse.Namespace) -> int:
    from etl.report import print_load_report
    from etl.settings import load_settings

    settings = load_settings()
    posts_dir = Path(args.posts).resolve() if args.posts else settings.posts_dir
    warehouse = Path(args.warehouse).resolve() if args.warehouse else settings.warehouse
    if not posts_dir.is_dir():
        print(f"error: posts folder {posts_dir} does not exist", file=sys.stderr)
        return 2
    print(f"Loading {posts_dir} into {warehouse} ...", flush=True)
    result = run_load(posts_dir, warehouse)
    return print_load_report(result, warehouse)


def _generate(args: argparse.Namespace) -> int:
    from etl.synthetic import generate_corpus

    manifest = generate_corpus(Path(args.out), args.posts, seed=args.seed)
    print(f"wrote {len(manifest['files'])} posts ({len(manifest['articles'])} articles) to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="etl", description="finews warehouse: load posts, query tables.")
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="load every post into the DuckDB warehouse (one Dagster run)")
    load.add_argument("--posts", help="posts folder (default: $ETL_POSTS_DIR or the bundled sample)")
    load.add_argument("--warehouse", help="DuckDB file (default: $ETL_WAREHOUSE or data/warehouse.duckdb)")
    load.set_defaults(handler=_load)
    generate = commands.add_parser("generate", help="write a synthetic corpus in the real post formats")
    generate.add_argument("--out", required=True, help="folder to write the posts into")
    generate.add_argument("--posts", type=int, default=1000, help="number of post files")
    generate.add_argument("--seed", type=int, default=0)
    generate.set_defaults(handler=_generate)
    args = parser.parse_args(argv)
    _quiet_dagster()
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())

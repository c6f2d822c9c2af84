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
                                 workers=settings.workers, hash_every_file=settings.hash_every_file),
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


def _sql(args: argparse.Namespace) -> int:
    from etl.query import QueryError, analyst_database, render, run_query
    from etl.settings import load_settings

    if bool(args.query) == bool(args.file):
        print("error: give a query or --file FILE (not both)", file=sys.stderr)
        return 2
    try:
        sql = Path(args.file).read_text(encoding="utf-8") if args.file else args.query
        result = run_query(analyst_database(load_settings(), args.db), sql)
    except (QueryError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(render(result, args.format))
    return 0


def _dictionary(args: argparse.Namespace) -> int:
    from etl import dictionary

    out = Path(args.out) if args.out else dictionary.DICTIONARY_PATH
    missing = dictionary.missing_comments()
    for item in missing:
        print(f"missing COMMENT ON: {item}", file=sys.stderr)
    if args.check:
        stale = dictionary.is_stale(out)
        if stale:
            print(f"{out} is stale: run etl dictionary", file=sys.stderr)
        return 1 if stale or missing else 0
    print(f"{'wrote' if dictionary.write(out) else 'unchanged:'} {out}")
    return 1 if missing else 0


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
    sql = commands.add_parser("sql", help="query the analyst snapshot (else the warehouse), read-only")
    sql.add_argument("query", nargs="?", help='SQL to run, e.g. "SELECT * FROM top_stocks_7d LIMIT 10"')
    sql.add_argument("--file", help="run the SQL in this file instead (examples in sql/queries/)")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.add_argument("--db", help="DuckDB file to query (default: the analyst snapshot, else $ETL_WAREHOUSE)")
    sql.set_defaults(handler=_sql)
    dictionary = commands.add_parser("dictionary", help="write docs/data-dictionary.md from the schema's comments")
    dictionary.add_argument("--out", help="file to write (default: docs/data-dictionary.md)")
    dictionary.add_argument("--check", action="store_true", help="only check: exit 1 when stale or a comment is missing")
    dictionary.set_defaults(handler=_dictionary)
    args = parser.parse_args(argv)
    _quiet_dagster()
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())

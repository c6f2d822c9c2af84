"""`etl rebuild`: derive every table derived from `raw_post` again, without reading the posts folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def command(args: argparse.Namespace) -> int:
    """`etl rebuild`."""
    from etl.core.settings import load_settings
    from etl.warehouse.connection import WarehouseError, check_warehouse

    settings = load_settings()
    warehouse = Path(args.warehouse).resolve() if args.warehouse else settings.warehouse
    if not warehouse.exists():
        print(f"error: warehouse {warehouse} does not exist: etl load builds one", file=sys.stderr)
        return 2
    try:
        check_warehouse(warehouse)
    except WarehouseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Rebuilding every article of {warehouse} from raw_post ...", flush=True)
    from etl.cli.report import print_run_outcome
    from etl.defs.materialize import run_load

    result = run_load(settings.posts_dir, warehouse, rebuild=True)
    return print_run_outcome(result, warehouse)

"""`etl securities import FILE.csv [--replace]`: add or update entries of the security master, or
make the file the whole master (the columns are in etl/warehouse/securities.py and the README)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def command(args: argparse.Namespace) -> int:
    """`etl securities import`: exit 0 when every row was imported, 1 when some rows were skipped
    (each named by file and line on stderr), 2 when the file or the warehouse cannot be used (and
    with `--replace`, when any row cannot be used)."""
    from etl.core.calendar import utc_now
    from etl.core.settings import load_settings
    from etl.warehouse.connection import WarehouseError, check_warehouse, open_warehouse
    from etl.warehouse.securities import MasterFileError, check_replacement, import_master, read_master

    warehouse = Path(args.warehouse).resolve() if args.warehouse else load_settings().warehouse
    path = Path(args.file)
    try:
        entries, problems = read_master(path)  # a file that cannot be imported is refused before the warehouse is opened
        if args.replace:
            for problem in problems:
                print(problem, file=sys.stderr)
            check_replacement(path, entries, problems)
        check_warehouse(warehouse)
        with open_warehouse(warehouse) as conn:
            summary = import_master(conn, path, now=utc_now(), replace=args.replace)
    except (MasterFileError, WarehouseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in summary.problems:
        print(f"{problem} (row skipped)", file=sys.stderr)
    print(f"Imported {path} into {warehouse}: {summary.rows} rows, {summary.new} new, {summary.changed} changed, "
          f"{summary.unchanged} unchanged, {len(summary.problems)} skipped"
          + (f", {summary.removed} removed (not in the file)." if args.replace else "."))
    if summary.new or summary.changed or summary.removed:
        print("The next etl load matches the new, changed and removed names in the articles that hold them.")
    return 1 if summary.problems else 0

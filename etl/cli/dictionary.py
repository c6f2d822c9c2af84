"""`etl dictionary`: write docs/data-dictionary.md from the schema's `COMMENT ON` statements."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.warehouse import data_dictionary as dictionary


def command(args: argparse.Namespace) -> int:
    """`etl dictionary`."""
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

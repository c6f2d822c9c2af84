"""What every warehouse asset shares: the one-writer pool, owners, kinds, metadata helpers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import dagster as dg

from etl.defs.resources import DUCKDB_POOL

TABLE_ASSET = dict(
    pool=DUCKDB_POOL,
    group_name="warehouse",
    owners=["team:data-engineering"],
    kinds={"duckdb", "python"},
)
"""Every warehouse asset. None is partitioned (etl/defs/dates.py says why): `raw_posts` scans the
run's dates, the others work from the queue of articles to rebuild or on whole tables."""

DAYS_SHOWN_BY_DATE = 31
"""Counts per date up to this span of dates, per month beyond: a table a person reads in the UI."""


def by_period(rows: Sequence[tuple], columns: Sequence[str]) -> dg.MetadataValue:
    """Rows of (day, count, ...) as a Markdown table, one line per date holding files, or per month
    when they span more than `DAYS_SHOWN_BY_DATE` days; files without a date on a line of their own."""
    days = [row[0] for row in rows if row[0] is not None]
    monthly = bool(days) and (max(days) - min(days)).days >= DAYS_SHOWN_BY_DATE
    totals: dict[str, list[int]] = {}
    for day, *counts in rows:
        key = "no date" if day is None else (f"{day:%Y-%m}" if monthly else day.isoformat())
        line = totals.setdefault(key, [0] * len(counts))
        for i, count in enumerate(counts):
            line[i] += count
    if not totals:
        return dg.MetadataValue.md("_none_")
    header = ["month" if monthly else "date", *columns]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * len(columns)]
    lines += [f"| {key} | " + " | ".join(str(c) for c in counts) + " |" for key, counts in totals.items()]
    return dg.MetadataValue.md("\n".join(lines))


def date_range(rows: Sequence[tuple]) -> tuple[date | None, date | None]:
    days = [row[0] for row in rows if row[0] is not None]
    return (min(days), max(days)) if days else (None, None)


def markdown_table(conn, sql: str, params: dict | None = None) -> dg.MetadataValue:
    frame = conn.execute(sql, params or {}).df()
    return dg.MetadataValue.md(frame.to_markdown(index=False) if len(frame) else "_no rows_")


def parents_of(assets) -> dict[dg.AssetKey, set[dg.AssetKey]]:
    """The direct upstream keys of every asset key of `assets` (assets definitions or asset specs)."""
    specs = [spec for asset in assets for spec in (asset.specs if isinstance(asset, dg.AssetsDefinition) else [asset])]
    return {spec.key: {dep.asset_key for dep in spec.deps} for spec in specs}


def nearest(keys: set[dg.AssetKey], parents: dict[dg.AssetKey, set[dg.AssetKey]]) -> list[dg.AssetKey]:
    """`keys` without those upstream of another of them: the edges worth drawing (the rest follow)."""
    def upstream(key: dg.AssetKey) -> set[dg.AssetKey]:
        direct = parents.get(key, set())
        return direct.union(*(upstream(parent) for parent in direct))

    hidden = set().union(*(upstream(key) for key in keys))
    return sorted(keys - hidden, key=lambda key: key.to_user_string())

"""The analyst layer: every view in sql/views/ as its own Dagster asset, all made by one step,
`analyst_views` (a multi-asset: the step that creates the views, so not an asset downstream of
them). Each view is drawn downstream of what it reads, reduced to the nearest assets (a view that
reads `article` and `stock_mention` hangs off `stock_mentions` only, which is downstream of
`articles`), so the lineage reads left to right without fans of edges; each links to its .sql file."""

from collections.abc import Iterator

import dagster as dg

from etl.core.settings import REPO_ROOT
from etl.core.values import cell_text
from etl.defs.assets.articles import article_tags, articles
from etl.defs.assets.common import TABLE_ASSET, nearest, parents_of
from etl.defs.assets.mentions import securities, stock_mentions
from etl.defs.assets.raw_posts import raw_posts
from etl.defs.assets.table_schema import column_schema
from etl.defs.resources import Warehouse
from etl.parallel import thread_map
from etl.warehouse.loads import transaction
from etl.warehouse.sql import (
    apply_views,
    created_names,
    read_sql,
    relations_read,
    schema_files,
    view_files,
    view_name,
)

TABLE_ASSETS: dict[str, dg.AssetsDefinition] = {
    "raw_post": raw_posts,
    "article": articles,
    "rejected_post": articles,
    "tag": article_tags,
    "article_tag": article_tags,
    "stock_mention": stock_mentions,
    "learned_security_name": stock_mentions,
    # Imported by `etl securities import`, outside any run; stock_mentions reads it into the dictionary.
    "security_master": stock_mentions,
    "security": securities,
}
"""The asset that writes each table a view may read."""

# Views are replaced whole whatever dates a run covers, so they are not partitioned; they share the
# one-writer pool and the owners of the warehouse assets.
VIEW_ASSET = dict(group_name="analyst", owners=TABLE_ASSET["owners"], kinds={"duckdb", "sql"})
PREVIEW_CELL_CHARS = 40


def _header(path) -> str:
    """The comment a view file starts with: what one row of the view is."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines)


def _view_specs() -> list[dg.AssetSpec]:
    views = {view_name(path): path for path in view_files()}
    tables = {name for path in schema_files() for name in created_names(path)}
    specs: list[dg.AssetSpec] = []
    for name, path in views.items():
        reads = relations_read(path, tables | set(views))
        unmapped = [r for r in reads if r not in views and r not in TABLE_ASSETS]
        if unmapped:
            raise ValueError(f"view {name} reads {unmapped}: add the asset that writes it to TABLE_ASSETS")
        deps = nearest({dg.AssetKey(r) if r in views else TABLE_ASSETS[r].key for r in reads},
                       parents_of([*TABLE_ASSETS.values(), *specs]))
        specs.append(dg.AssetSpec(
            key=name,
            deps=deps,
            description=_header(path),
            metadata={
                "dagster/table_name": f"main.{name}",
                "dagster/column_schema": column_schema(name),
                "sql_file": dg.MetadataValue.path(str(path.relative_to(REPO_ROOT))),
                "dagster/code_references": dg.CodeReferencesMetadataValue(code_references=[
                    dg.LocalFileCodeReference(file_path=str(path), line_number=1, label=path.name)]),
                "reads": ", ".join(reads),
            },
            **VIEW_ASSET,
        ))
    return specs


VIEW_SPECS = _view_specs()


VIEW_METADATA_THREADS = 2
"""Views whose row count and preview are computed at once: each query is short, so two side by side
use the cores better than one query's own threads do (docs/benchmarks.md)."""


def _row_count_and_preview(conn, name: str) -> tuple[int, dg.MetadataValue]:
    with conn.cursor() as cursor:  # a connection of its own, for its thread
        count = cursor.execute(read_sql("metadata/view_row_count.sql"), {"view": name}).fetchall()[0][0]
        return count, _preview(cursor, name)


def _preview(conn, name: str) -> dg.MetadataValue:
    """The view's first rows as a Markdown table, long cells cut short."""
    cursor = conn.execute(read_sql("metadata/view_preview.sql"), {"view": name})
    columns, rows = [d[0] for d in cursor.description], cursor.fetchall()
    if not rows:
        return dg.MetadataValue.md("_no rows_")

    def cell(value) -> str:
        text = "NULL" if value is None else " ".join(cell_text(value).split())
        text = text if len(text) <= PREVIEW_CELL_CHARS else text[: PREVIEW_CELL_CHARS - 1] + "…"
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return dg.MetadataValue.md("\n".join(lines))


@dg.multi_asset(
    name="analyst_views",
    specs=VIEW_SPECS,
    description=(
        "Every analyst view in sql/views/ (re)created in the warehouse, in one transaction, after the "
        "tables they read are written: daily and 7-day security mentions, co-mentions, media and tag "
        "activity, a flattened article search view."
    ),
    pool=TABLE_ASSET["pool"],
)
def analyst_views(context: dg.AssetExecutionContext, duckdb: Warehouse) -> Iterator[dg.MaterializeResult]:
    with duckdb.get_connection() as conn:
        with transaction(conn):
            names = apply_views(conn)
        facts = dict(zip(names, thread_map(lambda name: _row_count_and_preview(conn, name), names,
                                           threads=VIEW_METADATA_THREADS)))
    for name, (count, preview) in facts.items():
        yield dg.MaterializeResult(asset_key=name, metadata={"dagster/row_count": count, "preview": preview})

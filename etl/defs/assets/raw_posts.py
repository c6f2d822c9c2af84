import dagster as dg
import pyarrow as pa

from etl.core.calendar import utc_now
from etl.defs.assets.common import TABLE_ASSET, by_period, date_range
from etl.defs.assets.table_schema import table_metadata
from etl.defs.dates import run_window
from etl.defs.resources import PostsFolder, Warehouse
from etl.warehouse.ingest import ingest_files
from etl.warehouse.sql import read_sql

SAMPLE_LIMIT = 10


@dg.asset(**TABLE_ASSET, metadata=table_metadata("raw_post"), description=(
    "Every version of every post file, byte for byte (`raw_post`). A run scans the dates in its "
    "`etl/dates_start`/`etl/dates_end` tags (the sensor's, the schedule's, `etl load`'s), or every "
    "file without them (Materialize all). Unchanged files (same path and SHA-256; a file whose path, "
    "size and mtime are those stored is not even read, unless ETL_HASH_EVERY_FILE) are only marked "
    "seen; new, changed and deleted files queue their articles for rebuilding. `files_by_date` "
    "shows what the run found on each date (or month) that holds files."
))
def raw_posts(context: dg.AssetExecutionContext, posts: PostsFolder, duckdb: Warehouse) -> dg.MaterializeResult:
    window = run_window(context.run.tags)
    root, now = posts.checked_root(), utc_now()
    with duckdb.get_connection() as conn:
        summary = ingest_files(conn, root, window, run_id=context.run.run_id, now=now,
                               max_bytes=posts.max_post_bytes,
                               trust_stamps=not posts.hash_every_file, listing=posts.planned_listing(),
                               workers=posts.workers, max_delete_share=duckdb.max_delete_share)
        total = conn.execute("SELECT count(*) FROM raw_post").fetchall()[0][0]
        changes = pa.table({"post_path": summary.new + summary.changed,
                            "change": ["new"] * len(summary.new) + ["changed"] * len(summary.changed)})
        conn.register("run_changes", changes)
        try:
            per_date = conn.execute(read_sql("metadata/files_by_date.sql"), {"now": now}).fetchall()
        finally:
            conn.unregister("run_changes")
    first, last = date_range(per_date)
    scope = f"{window.start}..{window.end}" if window else "every date"
    context.log.info(
        f"{summary.files_seen} files ({scope}; they hold {first}..{last}): {len(summary.new)} new, "
        f"{len(summary.changed)} changed, {summary.unchanged} unchanged, {len(summary.deleted)} deleted"
    )
    return dg.MaterializeResult(metadata={
        "posts_dir": dg.MetadataValue.path(str(root)),
        "dates_scanned": scope,
        "first_date": str(first) if first else "",
        "last_date": str(last) if last else "",
        "files_seen": summary.files_seen,
        "files_new": len(summary.new),
        "files_changed": len(summary.changed),
        "files_unchanged": summary.unchanged,
        "files_deleted": len(summary.deleted),
        "files_unreadable": len(summary.unreadable),
        "articles_queued": summary.queued_articles,
        "rows_written": len(summary.new) + len(summary.changed),
        "dagster/row_count": total,
        "files_by_date": by_period(per_date, ["seen", "new", "changed", "deleted"]),
        "changed_files_sample": dg.MetadataValue.md(
            "\n".join(f"- `{p}`" for p in (summary.new + summary.changed + summary.deleted)[:SAMPLE_LIMIT])
            or "_none_"
        ),
    })

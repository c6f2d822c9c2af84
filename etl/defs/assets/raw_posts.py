import dagster as dg

from etl.core.calendar import utc_now
from etl.defs.assets.common import WAREHOUSE_ASSET, run_window
from etl.defs.assets.table_schema import table_metadata
from etl.defs.resources import PostsFolder, Warehouse
from etl.warehouse.ingest import ingest_files

SAMPLE_LIMIT = 10


@dg.asset(**WAREHOUSE_ASSET, metadata=table_metadata("raw_post"), description=(
    "Every version of every post file in the run's dates, byte for byte (`raw_post`). Unchanged "
    "files (same path and SHA-256; a file whose path, size and mtime are those stored is not even "
    "read, unless ETL_HASH_EVERY_FILE) are only marked seen; new, changed and deleted files queue "
    "their articles for rebuilding."
))
def raw_posts(context: dg.AssetExecutionContext, posts: PostsFolder, duckdb: Warehouse) -> dg.MaterializeResult:
    window = run_window(context)
    with duckdb.get_connection() as conn:
        summary = ingest_files(conn, posts.root, window, run_id=context.run.run_id, now=utc_now(),
                               max_bytes=posts.max_post_bytes,
                               trust_stamps=not posts.hash_every_file, listing=posts.planned_listing(),
                               workers=posts.workers, max_delete_share=duckdb.max_delete_share)
        total = conn.execute("SELECT count(*) FROM raw_post").fetchone()[0]
    context.log.info(
        f"{summary.files_seen} files in {window.start}..{window.end}: {len(summary.new)} new, "
        f"{len(summary.changed)} changed, {summary.unchanged} unchanged, {len(summary.deleted)} deleted"
    )
    return dg.MaterializeResult(metadata={
        "posts_dir": dg.MetadataValue.path(str(posts.root)),
        "files_seen": summary.files_seen,
        "files_new": len(summary.new),
        "files_changed": len(summary.changed),
        "files_unchanged": summary.unchanged,
        "files_deleted": len(summary.deleted),
        "files_unreadable": len(summary.unreadable),
        "articles_queued": summary.queued_articles,
        "rows_written": len(summary.new) + len(summary.changed),
        "dagster/row_count": total,
        "changed_files_sample": dg.MetadataValue.md(
            "\n".join(f"- `{p}`" for p in (summary.new + summary.changed + summary.deleted)[:SAMPLE_LIMIT])
            or "_none_"
        ),
    })

import dagster as dg

from etl.core.calendar import shanghai_today, utc_now
from etl.defs.assets.common import TABLE_ASSET, by_period, markdown_table
from etl.defs.assets.raw_posts import raw_posts
from etl.defs.assets.table_schema import table_metadata
from etl.defs.resources import PostsFolder, Warehouse
from etl.defs.runs import rederives_everything
from etl.warehouse import loads
from etl.warehouse.derivation import queue_rederivation
from etl.warehouse.ingest import rebuild_pending
from etl.warehouse.sql import read_sql

REJECTION_SAMPLE = 10


@dg.asset(**TABLE_ASSET, deps=[raw_posts], metadata=table_metadata("article", "rejected_post"), description=(
    "One row per news article (`article`), merged from its emnews/NW and _posts/old_post copies. "
    "Rebuilds exactly the articles whose files changed; a file that cannot be parsed goes to "
    "`rejected_post` with the reason, and the load goes on. Every article is derived again from "
    "`raw_post` when the extraction rules changed or on `etl rebuild` (run tag etl/rederive=all), "
    "and an article whose row is missing while raw_post holds its files is rebuilt (a repair)."
))
def articles(context: dg.AssetExecutionContext, posts: PostsFolder, duckdb: Warehouse) -> dg.MaterializeResult:
    now = utc_now()
    with duckdb.get_connection() as conn:
        rederived = queue_rederivation(conn, now=now, everything=rederives_everything(context.run.tags))
        summary = rebuild_pending(conn, today=shanghai_today(), now=now, max_bytes=posts.max_post_bytes,
                                  workers=posts.workers, parse_seconds=posts.parse_seconds_per_file)
        total = conn.execute("SELECT count(*) FROM article").fetchone()[0]
        quarantined = conn.execute("SELECT count(*) FROM rejected_post").fetchone()[0]
        preview = markdown_table(conn, read_sql("metadata/article_preview.sql"))
        quarantine_by_date = conn.execute(read_sql("metadata/rejected_by_date.sql")).fetchall()
    if rederived.reason:
        context.log.info(f"re-derived {rederived.articles} articles: {rederived.reason}")
    for path, reason in summary.rejected:
        context.log.warning(f"rejected {path}: {reason}")
    return dg.MaterializeResult(metadata={
        "rows_written": summary.articles,
        "articles_rederived": rederived.articles,
        "rederive_reason": rederived.reason or "",
        "rules_version": rederived.rules_version,
        "files_rejected": len(summary.rejected),
        "rejected_post_rows": quarantined,
        "rejected_by_date": by_period(quarantine_by_date, ["in quarantine"]),
        "rejections": dg.MetadataValue.md(
            "\n".join(f"- `{p}`: {r}" for p, r in summary.rejected[:REJECTION_SAMPLE]) or "_none_"
        ),
        "dagster/row_count": total,
        "preview": preview,
    })


@dg.asset(**TABLE_ASSET, deps=[articles], metadata=table_metadata("article_tag", "tag"), description=(
    "Tags and categories (`tag`) and which articles carry them (`article_tag`), the union over "
    "each article's copies."
))
def article_tags(context: dg.AssetExecutionContext, duckdb: Warehouse) -> dg.MaterializeResult:
    with duckdb.get_connection() as conn:
        touched = loads.publish(conn, "publish_article_tags.sql")
        total = conn.execute("SELECT count(*) FROM article_tag").fetchone()[0]
        tags = conn.execute("SELECT count(*) FROM tag").fetchone()[0]
    return dg.MaterializeResult(metadata={
        "articles_updated": touched, "tags": tags, "dagster/row_count": total,
    })

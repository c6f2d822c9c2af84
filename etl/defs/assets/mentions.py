import resource
import time

import dagster as dg

from etl.core.calendar import utc_now
from etl.defs.assets.articles import articles
from etl.defs.assets.common import TABLE_ASSET, markdown_table
from etl.defs.assets.table_schema import table_metadata
from etl.defs.resources import PostsFolder, Warehouse
from etl.warehouse import loads
from etl.warehouse.names import learn_names, match_names
from etl.warehouse.sql import read_sql


@dg.asset(**TABLE_ASSET, deps=[articles], metadata=table_metadata("stock_mention", "learned_security_name"),
          description=(
    "Securities each article mentions (`stock_mention`): EastMoney chart blocks, keytip links and "
    "repeats, and codes written in text (never the auto-links inside the source attribution); then "
    "the names they give are learned (`learned_security_name`) and the security dictionary's names "
    "(learned and imported, `security_dictionary`) are found in the rebuilt articles, and in the "
    "articles holding a name the dictionary changed: mentions by name alone (sources [name]), and "
    "each mention's place in the text and relevance."
))
def stock_mentions(context: dg.AssetExecutionContext, posts: PostsFolder, duckdb: Warehouse) -> dg.MaterializeResult:
    with duckdb.get_connection() as conn:
        touched = loads.publish(conn, "publish_stock_mentions.sql")
        started, cpu_before = time.perf_counter(), _cpu_seconds()
        learned = learn_names(conn)
        names = match_names(conn, workers=posts.workers, now=utc_now())
        name_seconds, name_cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_before
        total = conn.execute("SELECT count(*) FROM stock_mention").fetchone()[0]
        preview = markdown_table(conn, read_sql("metadata/mention_preview.sql"))
    context.log.info(
        f"name matching: {names.articles_matched} articles ({names.rematched} for {names.changed_names} names the "
        f"dictionary changed), {names.name_mentions} mentions by name; dictionary {names.dictionary_names} names"
    )
    return dg.MaterializeResult(metadata={
        "articles_updated": touched,
        "articles_name_matched": names.articles_matched,
        "articles_rematched": names.rematched,
        "name_mentions": names.name_mentions,
        "dictionary_names": names.dictionary_names,
        "dictionary_changed_names": names.changed_names,
        "dictionary_version": names.dictionary_version,
        "learned_names": learned,
        "name_matching_seconds": round(name_seconds, 3),
        "name_matching_cpu_seconds": round(name_cpu_seconds, 3),
        "dagster/row_count": total,
        "most_mentioned": preview,
    })


def _cpu_seconds() -> float:
    """User and system time of this process (DuckDB's threads included) and of its children that
    ended (name matching's workers, which end with the step)."""
    return sum(usage.ru_utime + usage.ru_stime
               for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


@dg.asset(**TABLE_ASSET, deps=[stock_mentions], metadata=table_metadata("security"), description=(
    "One row per security ever mentioned (`security`): exchange, type, latest name, first and last "
    "dates, article count. A dimension over all dates, rebuilt whole after each load."
))
def securities(context: dg.AssetExecutionContext, duckdb: Warehouse) -> dg.MaterializeResult:
    with duckdb.get_connection() as conn:
        total = loads.rebuild_securities(conn)
    return dg.MaterializeResult(metadata={"dagster/row_count": total})

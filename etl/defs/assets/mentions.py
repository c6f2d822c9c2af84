import dagster as dg

from etl.defs.assets.articles import articles
from etl.defs.assets.common import TABLE_ASSET, markdown_table
from etl.defs.assets.table_schema import table_metadata
from etl.defs.resources import Warehouse
from etl.warehouse import loads
from etl.warehouse.sql import read_sql


@dg.asset(**TABLE_ASSET, deps=[articles], metadata=table_metadata("stock_mention"), description=(
    "Securities each article mentions (`stock_mention`): EastMoney chart blocks, keytip links and "
    "repeats, and codes written in text; never the auto-links inside the source attribution."
))
def stock_mentions(context: dg.AssetExecutionContext, duckdb: Warehouse) -> dg.MaterializeResult:
    with duckdb.get_connection() as conn:
        touched = loads.publish(conn, "publish_stock_mentions.sql")
        total = conn.execute("SELECT count(*) FROM stock_mention").fetchone()[0]
        preview = markdown_table(conn, read_sql("metadata/mention_preview.sql"))
    return dg.MaterializeResult(metadata={
        "articles_updated": touched, "dagster/row_count": total, "most_mentioned": preview,
    })


@dg.asset(**TABLE_ASSET, deps=[stock_mentions], metadata=table_metadata("security"), description=(
    "One row per security ever mentioned (`security`): exchange, type, latest name, first and last "
    "dates, article count. A dimension over all dates, rebuilt whole after each load."
))
def securities(context: dg.AssetExecutionContext, duckdb: Warehouse) -> dg.MaterializeResult:
    with duckdb.get_connection() as conn:
        total = loads.rebuild_securities(conn)
    return dg.MaterializeResult(metadata={"dagster/row_count": total})

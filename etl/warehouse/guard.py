"""Loads refused before they empty the warehouse: a vanished or broken source.

An unmounted share, a failed sync or a wrong `ETL_POSTS_DIR` look to a loader like every file
deleted, and a broken setting (`ETL_MAX_POST_BYTES=1`) like every file bad. A load that would take
more than `ETL_MAX_DELETE_SHARE` of the live articles out of the warehouse (their files gone) is
refused before it writes anything, and one that would put more than that share of the files into
quarantine since the last published snapshot publishes nothing. Both say why and how to go on
(`etl load --allow-mass-delete`, or the setting). A warehouse of a few articles is left alone,
unless all of them would go.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from etl.warehouse.sql import read_sql

TINY_WAREHOUSE = 10
"""At most this many live articles (or files): one deletion is already a large share of them, so
only the loss of all of them is refused."""
HOW_TO_GO_ON = ("if that is meant, run etl load --allow-mass-delete (or raise ETL_MAX_DELETE_SHARE, "
                "now {limit:.0%})")


class LoadRefused(RuntimeError):
    """A load stopped by the guard, in one line: what it would have done and how to go on."""


def exceeds(part: int, whole: int, limit: float) -> bool:
    """Whether taking `part` of `whole` is over the `limit` share: never for a tiny whole unless it
    is all of it; always when it is all of a non-empty whole and the limit is below 1."""
    if not part or not whole:
        return False
    if whole <= TINY_WAREHOUSE:
        return part >= whole and limit < 1
    return part / whole > limit


@dataclass(frozen=True)
class Deletions:
    leaving: int
    """Live articles every current file of which is gone."""
    live: int
    files_gone: int

    def refusal(self, limit: float, posts_dir) -> LoadRefused | None:
        if not exceeds(self.leaving, self.live, limit):
            return None
        return LoadRefused(
            f"refused: this load would delete {self.leaving} of the {self.live} live articles "
            f"({self.leaving / self.live:.0%}, over ETL_MAX_DELETE_SHARE {limit:.0%}): {self.files_gone} of their "
            f"files are gone from {posts_dir}; is the folder mounted and complete? Nothing was written; "
            + HOW_TO_GO_ON.format(limit=limit))


def deletions(conn, gone: list[str], arriving: list[str]) -> Deletions:
    """What marking the files `gone` deleted would do to the live articles (read-only), when files
    not stored yet bring the articles `arriving`."""
    conn.register("gone", pa.table({"post_path": pa.array(gone, pa.string())}))
    conn.register("arriving", pa.table({"article_id": pa.array(arriving, pa.string())}))
    try:
        leaving, live, files_gone = conn.execute(read_sql("guard/articles_leaving.sql")).fetchall()[0]
    finally:
        conn.unregister("gone")
        conn.unregister("arriving")
    return Deletions(leaving, live, files_gone)


def live_paths(conn) -> list[str]:
    """The files the warehouse holds as present in the folder."""
    return [row[0] for row in conn.execute(
        "SELECT post_path FROM raw_post WHERE is_current AND deleted_at IS NULL").fetchall()]


def check_deletions(conn, gone: list[str], arriving: list[str], *, limit: float, posts_dir) -> None:
    """Raise `LoadRefused` when marking the files `gone` deleted takes too many live articles."""
    refusal = deletions(conn, gone, arriving).refusal(limit, posts_dir) if gone else None
    if refusal:
        raise refusal


def check_quarantine(conn, *, limit: float) -> None:
    """Raise `LoadRefused` when the files quarantined since the last published snapshot are over the
    `limit` share of the folder's files: a snapshot of a source gone bad is not published."""
    files, quarantined, published = conn.execute(read_sql("guard/quarantine_growth.sql")).fetchall()[0]
    grown = quarantined - published
    if exceeds(grown, files, limit) or (files and quarantined >= files and grown > 0 and limit < 1):
        raise LoadRefused(
            f"refused: {grown} more of the {files} post files are in quarantine than at the last published "
            f"load ({quarantined} now, over ETL_MAX_DELETE_SHARE {limit:.0%}; see rejected_post for the "
            "reasons); the analyst snapshot was not published and still shows the last good load; "
            + HOW_TO_GO_ON.format(limit=limit))

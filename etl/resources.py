"""Dagster resources: the posts folder and the DuckDB warehouse."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from etl.settings import load_settings


class PostsFolder(dg.ConfigurableResource):
    """The folder of Jekyll posts (`_posts/`, `old_post/`, searched recursively for `*.md`)."""

    path: str
    max_post_bytes: int
    workers: int
    hash_every_file: bool = False
    """Read and hash every file instead of trusting an unchanged path, size and mtime."""

    @property
    def root(self) -> Path:
        return Path(self.path)


def default_resources() -> dict:
    settings = load_settings()
    return {
        "posts": PostsFolder(path=str(settings.posts_dir), max_post_bytes=settings.max_post_bytes,
                             workers=settings.workers, hash_every_file=settings.hash_every_file),
        "duckdb": DuckDBResource(database=str(settings.warehouse)),
    }

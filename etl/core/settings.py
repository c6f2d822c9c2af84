"""Where the posts are and where the warehouse goes, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = REPO_ROOT / "sql"
SAMPLE_POSTS_DIR = REPO_ROOT / "data" / "sample_posts"
DEFAULT_WAREHOUSE = REPO_ROOT / "data" / "warehouse.duckdb"


@dataclass(frozen=True)
class Settings:
    posts_dir: Path
    warehouse: Path
    max_post_bytes: int
    workers: int
    hash_every_file: bool
    """Read and hash every file, even one whose path, size and mtime say it is unchanged."""

    @property
    def analyst_db(self) -> Path:
        return analyst_db_for(self.warehouse)


def analyst_db_for(warehouse: Path) -> Path:
    """The read-only snapshot analysts open, published beside the warehouse after each good load."""
    override = os.environ.get("ETL_ANALYST_DB")
    return Path(override).expanduser().resolve() if override else warehouse.with_name(warehouse.stem + ".analyst.duckdb")


def analyst_db_storage_version() -> str | None:
    """DuckDB storage version the analyst snapshot is written in (`v1.5.0` for the duckdb 1.5 CLI);
    None: the warehouse's own, and the snapshot is a plain copy of its file."""
    return os.environ.get("ETL_ANALYST_DB_STORAGE_VERSION") or None


def load_settings() -> Settings:
    return Settings(
        posts_dir=Path(os.environ.get("ETL_POSTS_DIR") or SAMPLE_POSTS_DIR).expanduser().resolve(),
        warehouse=Path(os.environ.get("ETL_WAREHOUSE") or DEFAULT_WAREHOUSE).expanduser().resolve(),
        # Real posts stay under 30 KB; a multi-megabyte "post" is a mistake worth a human's look.
        max_post_bytes=int(os.environ.get("ETL_MAX_POST_BYTES", 2 * 1024 * 1024)),
        workers=int(os.environ.get("ETL_WORKERS", os.cpu_count() or 1)),
        hash_every_file=os.environ.get("ETL_HASH_EVERY_FILE", "") not in ("", "0"),
    )

"""Every `ETL_*` setting, parsed and checked here and nowhere else.

A value that cannot be used stops the command with one line naming the variable, the value and
what is allowed (`SettingsError`), before anything is read or written: never a traceback, and never
a quiet fallback to the default (an empty `ETL_POSTS_DIR` loading the bundled sample instead)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = REPO_ROOT / "sql"
SAMPLE_POSTS_DIR = REPO_ROOT / "data" / "sample_posts"
DEFAULT_WAREHOUSE = REPO_ROOT / "data" / "warehouse.duckdb"
DEFAULT_MAX_POST_BYTES = 2 * 1024 * 1024
"""Real posts stay under 30 KB; a multi-megabyte "post" is a mistake worth a human's look."""
WORKERS_PER_CPU = 4
"""The most parse processes per CPU: beyond that they only compete for it, and thousands of them
fail to fork (ETL_WORKERS=10000 ended in BlockingIOError)."""
DEFAULT_SENSOR_INTERVAL_SECONDS = 30
DEFAULT_LOCK_WAIT_SECONDS = 60.0
"""How long a load waits for another process's hold on the warehouse file before it fails naming it."""
DEFAULT_MAX_DELETE_SHARE = 0.2
"""A load that would take more than this share of the live articles out of the warehouse (their
files gone) or put their files in quarantine is refused: an unmounted share, a failed sync or a
broken setting look like that, and a day's news never does."""
DEFAULT_PARSE_SECONDS_PER_FILE = 10.0
"""Real posts parse in milliseconds, and the parse is linear in a post's size: a 2 MiB post still
takes well under a second. A file over this is quarantined instead of holding up the load."""
STORAGE_VERSION = re.compile(r"v\d+\.\d+\.\d+")
YES, NO = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class SettingsError(ValueError):
    """A setting that cannot be used, in one line: the variable, its value, what is allowed."""


@dataclass(frozen=True)
class Settings:
    posts_dir: Path
    warehouse: Path
    max_post_bytes: int
    workers: int
    hash_every_file: bool
    """Read and hash every file, even one whose path, size and mtime say it is unchanged."""
    sensor_interval_seconds: int
    lock_wait_seconds: float
    """How long a writer waits for another process to let go of the warehouse."""
    max_delete_share: float
    """The share of live articles a load may delete or quarantine before it is refused (etl.warehouse.guard)."""
    parse_seconds_per_file: float
    """The time one file's parse may take before the file is quarantined."""

    @property
    def analyst_db(self) -> Path:
        return analyst_db_for(self.warehouse)


def load_settings() -> Settings:
    """Every setting from the environment, checked (`SettingsError` for the first bad one)."""
    settings = Settings(
        posts_dir=_path("ETL_POSTS_DIR", SAMPLE_POSTS_DIR),
        warehouse=_path("ETL_WAREHOUSE", DEFAULT_WAREHOUSE),
        max_post_bytes=_whole_number("ETL_MAX_POST_BYTES", DEFAULT_MAX_POST_BYTES, "bytes"),
        workers=min(_whole_number("ETL_WORKERS", os.cpu_count() or 1, "processes"), max_workers()),
        hash_every_file=_switch("ETL_HASH_EVERY_FILE"),
        sensor_interval_seconds=_whole_number("ETL_SENSOR_INTERVAL_SECONDS", DEFAULT_SENSOR_INTERVAL_SECONDS,
                                              "seconds"),
        lock_wait_seconds=_seconds("ETL_LOCK_WAIT_SECONDS", DEFAULT_LOCK_WAIT_SECONDS),
        max_delete_share=_share("ETL_MAX_DELETE_SHARE", DEFAULT_MAX_DELETE_SHARE),
        parse_seconds_per_file=_seconds("ETL_PARSE_SECONDS_PER_FILE", DEFAULT_PARSE_SECONDS_PER_FILE),
    )
    analyst_db_for(settings.warehouse)
    analyst_db_storage_version()
    return settings


def max_workers() -> int:
    """The most worker processes a load starts, whatever ETL_WORKERS asks for."""
    return WORKERS_PER_CPU * (os.cpu_count() or 1)


def analyst_db_for(warehouse: Path) -> Path:
    """The read-only snapshot analysts open, published beside the warehouse after each good load."""
    return _path("ETL_ANALYST_DB", None) or warehouse.with_name(warehouse.stem + ".analyst.duckdb")


def analyst_db_storage_version() -> str | None:
    """DuckDB storage version the analyst snapshot is written in (`v1.5.0` for the duckdb 1.5 CLI);
    None: the warehouse's own, and the snapshot is a plain copy of its file."""
    value = _value("ETL_ANALYST_DB_STORAGE_VERSION", "the warehouse's own format")
    if value is not None and not STORAGE_VERSION.fullmatch(value):
        raise _bad("ETL_ANALYST_DB_STORAGE_VERSION", value, "a DuckDB storage version such as v1.5.0")
    return value


def _value(name: str, default_text: str) -> str | None:
    """The variable's text, None when unset. Set but empty is refused: a share not mounted or a
    typo in a script looks like that, and the default (the bundled sample) would be loaded instead."""
    value = os.environ.get(name)
    if value is not None and not value.strip():
        raise SettingsError(f"{name} is set but empty: give a value, or unset it for the default ({default_text})")
    return value


def _path(name: str, default: Path | None) -> Path | None:
    value = _value(name, str(default) if default else "beside the warehouse")
    return Path(value).expanduser().resolve() if value is not None else default


def _whole_number(name: str, default: int, unit: str) -> int:
    """A whole number of at least 1. Zero is refused rather than given a meaning: "no limit" or
    "no workers" are never what a load needs, and ETL_MAX_POST_BYTES=0 used to switch the limit off."""
    value = _value(name, f"{default} {unit}")
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise _bad(name, value, f"a whole number of {unit}, at least 1 (default {default})")
    return number


def _share(name: str, default: float) -> float:
    """A fraction from 0 to 1: 0 refuses any deletion, 1 allows any."""
    return _real(name, default, str(default), lambda share: 0 <= share <= 1,
                 f"a share from 0 to 1, such as 0.2 for 20% (default {default})")


def _seconds(name: str, default: float) -> float:
    """A positive number of seconds, fractions allowed."""
    return _real(name, default, f"{default:g} seconds", lambda seconds: 0 < seconds < float("inf"),
                 f"a number of seconds above 0, such as 2.5 (default {default:g})")


def _real(name: str, default: float, shown_default: str, valid, allowed: str) -> float:
    value = _value(name, shown_default)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise _bad(name, value, allowed) from None
    if not valid(number):
        raise _bad(name, value, allowed)
    return number


def _switch(name: str) -> bool:
    value = _value(name, "off")
    if value is None:
        return False
    if value.strip().lower() in YES + NO:
        return value.strip().lower() in YES
    raise _bad(name, value, f"one of {', '.join(YES)} (on) or {', '.join(NO)} (off)")


def _bad(name: str, value: str, allowed: str) -> SettingsError:
    return SettingsError(f"{name}={value!r} is not allowed: it must be {allowed}")

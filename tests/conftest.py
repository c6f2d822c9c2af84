import os
import time
from pathlib import Path

import duckdb
import pytest

from etl.parallel import ordered_map
from etl.posts.build import BuildResult, SourceText, build_batch, split_by_article
from tests.unit.html_samples import (
    EMNEWS_BODY,
    EMNEWS_FRONT,
    MEDIA_BODY,
    MEDIA_FRONT,
    PLAIN_BODY,
    PLAIN_FRONT,
    post,
)

def pytest_addoption(parser):
    parser.addoption("--update-screenshots", action="store_true",
                     help="write the browser test's lineage screenshot to docs/lineage.png (the README's)")


FINEWS = Path(os.environ.get("FINEWS_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus" / "finews")
"""The real posts beside the repository (override with FINEWS_CORPUS); tests over them skip without it."""

TWIN_ID = "202201219999000003"
PLAIN_ID = "202112089999000004"

SMALL_CORPUS = {
    f"_posts/2022-01-21-{TWIN_ID}.md": post(EMNEWS_FRONT, EMNEWS_BODY),
    f"old_post/2022-01-21-NW{TWIN_ID}.md": post(MEDIA_FRONT, MEDIA_BODY),
    f"old_post/2021-12-08-{PLAIN_ID}.md": post(PLAIN_FRONT, PLAIN_BODY),
    f"_posts/2021-12-08-{PLAIN_ID}.md": "\n" + post(PLAIN_FRONT, PLAIN_BODY).replace("\n", "\r\n"),
    "_posts/-202205269999000005.md": post(EMNEWS_FRONT | {"title": '""', "date": " +0800"}, EMNEWS_BODY),
    "_posts/2021-12-01-welcome.md": post(PLAIN_FRONT | {"title": '"欢迎"', "date": "2021-12-01 13:00:00"}, "欢迎来到本站"),
}


def write_posts(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    return write_posts(tmp_path / "posts", SMALL_CORPUS)


HOUR_AGO_NS = time.time_ns() - 3600 * 10**9


def age_files(folder: Path, mtime_ns: int = HOUR_AGO_NS) -> None:
    """Files written by a test are too fresh for their stamp to be kept; make them older."""
    for path in folder.rglob("*.md"):
        os.utime(path, ns=(mtime_ns, mtime_ns))


def query(warehouse: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def build_all(sources: list[SourceText], *, workers: int, **options) -> BuildResult:
    """Every article of `sources` built as one batch, on `workers` processes whatever their number."""
    result = BuildResult()
    parts = [(part, options) for part in split_by_article(sources, workers)]
    for part in ordered_map(_build_part, parts, workers=workers):
        result.extend(part)
    return result


def _build_part(part: tuple[list[SourceText], dict]) -> BuildResult:
    sources, options = part
    return build_batch(sources, options.get("today"), options.get("max_bytes"))

"""A vanished or broken source is refused: a load that would delete or quarantine more than
ETL_MAX_DELETE_SHARE of the live articles stops before writing (or before publishing), says why and
how to go on, exits 3 and leaves a `refused` row in load_run."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from etl.cli import main
from etl.core.settings import analyst_db_for
from etl.defs.materialize import run_load
from tests.conftest import age_files, query
from tests.e2e.posts_factory import emnews_post, write

ARTICLES = 20


@pytest.fixture
def loaded(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A warehouse loaded from a folder of 20 articles."""
    posts, warehouse = tmp_path / "posts", tmp_path / "w.duckdb"
    write(posts, *(emnews_post(date(2022, 1, 1 + n % 5), n) for n in range(ARTICLES)))
    age_files(posts)
    monkeypatch.setenv("ETL_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("ETL_POSTS_DIR", str(posts))
    assert main(["load"]) == 0
    return posts, warehouse


def live(warehouse: Path) -> int:
    return query(warehouse, "SELECT count(*) FROM article WHERE NOT deleted_from_source")[0][0]


def statuses(warehouse: Path) -> list[tuple[str, str]]:
    return query(warehouse, "SELECT status, error FROM load_run ORDER BY finished_at")


def test_an_emptied_folder_is_refused_before_anything_is_written(loaded, capsys):
    posts, warehouse = loaded
    snapshot = analyst_db_for(warehouse).read_bytes()
    shutil.rmtree(posts)
    posts.mkdir()
    capsys.readouterr()
    assert main(["load"]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"error: refused: this load would delete {ARTICLES} of the {ARTICLES} live articles "
                          f"(100%, over ETL_MAX_DELETE_SHARE 20%): {ARTICLES} of their files are gone from {posts}")
    assert "etl load --allow-mass-delete" in err
    assert live(warehouse) == ARTICLES
    assert query(warehouse, "SELECT count(*) FROM raw_post WHERE deleted_at IS NOT NULL") == [(0,)]
    assert analyst_db_for(warehouse).read_bytes() == snapshot
    assert [status for status, _ in statuses(warehouse)] == ["success", "refused"]
    assert main(["load", "--allow-mass-delete"]) == 0
    assert live(warehouse) == 0


def test_the_share_is_a_setting_and_a_small_deletion_goes_through(loaded, monkeypatch):
    posts, warehouse = loaded
    files = sorted(posts.rglob("*.md"))
    for path in files[:5]:  # 25% of the articles
        path.unlink()
    assert main(["load"]) == 3
    assert live(warehouse) == ARTICLES
    monkeypatch.setenv("ETL_MAX_DELETE_SHARE", "0.3")
    assert main(["load"]) == 0
    assert live(warehouse) == ARTICLES - 5
    monkeypatch.delenv("ETL_MAX_DELETE_SHARE")
    files[5].unlink()  # 1 of 15: within the default
    assert main(["load"]) == 0
    assert live(warehouse) == ARTICLES - 6


def test_a_run_from_dagster_refuses_in_its_first_step(loaded):
    """The UI, the schedule and the sensor have no plan of etl load's: raw_posts itself refuses."""
    posts, warehouse = loaded
    for path in posts.rglob("*.md"):
        path.unlink()
    result = run_load(posts, warehouse)
    assert not result.success
    assert live(warehouse) == ARTICLES
    assert query(warehouse, "SELECT count(*) FROM raw_post WHERE deleted_at IS NOT NULL") == [(0,)]
    status, error = statuses(warehouse)[-1]
    assert status == "refused" and error.startswith(f"raw_posts: refused: this load would delete {ARTICLES}")


def test_a_tiny_warehouse_may_lose_some_articles_not_all(tmp_path, monkeypatch):
    posts, warehouse = tmp_path / "posts", tmp_path / "w.duckdb"
    written = write(posts, *(emnews_post(date(2022, 1, 1), n) for n in range(5)))
    age_files(posts)
    monkeypatch.setenv("ETL_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("ETL_POSTS_DIR", str(posts))
    assert main(["load"]) == 0
    for path in written[:3]:
        path.unlink()
    assert main(["load"]) == 0
    for path in written[3:]:
        path.unlink()
    assert main(["load"]) == 3
    assert live(warehouse) == 2


def test_a_load_that_quarantines_every_file_publishes_no_snapshot(tmp_path, monkeypatch, capsys):
    posts, warehouse = tmp_path / "posts", tmp_path / "w.duckdb"
    write(posts, *(emnews_post(date(2022, 1, 1), n) for n in range(3)))
    monkeypatch.setenv("ETL_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("ETL_POSTS_DIR", str(posts))
    monkeypatch.setenv("ETL_MAX_POST_BYTES", "1")
    assert main(["load"]) == 3
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith("error: step analyst_snapshot failed: refused: 3 more of the 3 post files are in "
                            "quarantine than at the last published load")
    assert not analyst_db_for(warehouse).exists()
    assert statuses(warehouse)[-1][0] == "refused"
    monkeypatch.delenv("ETL_MAX_POST_BYTES")
    assert main(["load"]) == 0  # the limit fixed: the quarantined files are tried again
    assert query(analyst_db_for(warehouse), "SELECT count(*) FROM article") == [(3,)]


def test_a_folder_moved_inside_the_posts_folder_is_not_a_deletion(loaded):
    """Files under a new path feed the same articles (their ids come from the names)."""
    posts, warehouse = loaded
    (posts / "_posts").rename(posts / "moved")
    assert main(["load"]) == 0
    assert live(warehouse) == ARTICLES

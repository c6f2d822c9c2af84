"""A load killed in the middle (SIGKILL: no rollback, no cleanup, a WAL left behind) leaves a
warehouse that opens, an analyst snapshot of the last complete load, and a next load that finishes
the work: the same rows as a load that was never interrupted."""

import subprocess
import sys
import time
from pathlib import Path

from bench.synthetic import generate_corpus
from etl.core.settings import analyst_db_for
from etl.defs.materialize import run_load
from tests.conftest import query

TABLES = ("raw_post", "article", "article_tag", "stock_mention", "security", "rejected_post")
LOAD = "import sys; from pathlib import Path; from etl.defs.materialize import run_load; run_load(Path(sys.argv[1]), Path(sys.argv[2]))"


def _counts(database: Path) -> dict[str, int]:
    return {table: query(database, f"SELECT count(*) FROM {table}")[0][0] for table in TABLES}


def _wait_for(path: Path, process: subprocess.Popen, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, "the load ended before it wrote anything"
        assert time.monotonic() < deadline, f"no {path.name} after {timeout:.0f} s"
        time.sleep(0.05)


def test_a_killed_load_leaves_the_last_good_state_and_the_next_load_completes(small_corpus, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    assert run_load(small_corpus, warehouse).success
    snapshot = analyst_db_for(warehouse)
    published = _counts(snapshot)
    generate_corpus(small_corpus / "more", 1500, seed=3)

    load = subprocess.Popen([sys.executable, "-c", LOAD, str(small_corpus), str(warehouse)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(warehouse.with_name(warehouse.name + ".wal"), load)  # a batch is committed
        time.sleep(0.5)
        assert load.poll() is None, "the load finished before it could be killed"
    finally:
        load.kill()
        load.wait(timeout=30)

    assert _counts(snapshot) == published  # analysts still see the last complete load
    assert query(warehouse, "SELECT count(*) FROM article")  # the warehouse opens, WAL and all
    assert run_load(small_corpus, warehouse).success

    uninterrupted = tmp_path / "fresh.duckdb"
    assert run_load(small_corpus, uninterrupted).success
    assert _counts(warehouse) == _counts(uninterrupted)
    articles = "SELECT article_id, title, body_text, post_paths FROM article ORDER BY article_id"
    assert query(warehouse, articles) == query(uninterrupted, articles)
    mentions = "SELECT article_id, secid, mention_count FROM stock_mention ORDER BY ALL"
    assert query(warehouse, mentions) == query(uninterrupted, mentions)

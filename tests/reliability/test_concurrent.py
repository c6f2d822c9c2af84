"""Loads at once: three `etl load` on a new shared DAGSTER_HOME, three on one warehouse while an
analyst queries it with `etl sql`; files changing while a load reads them. Every load succeeds, and
each warehouse ends as a clean load of the final folder."""

import random
import shutil
import threading
import time

from bench.synthetic import generate_corpus
from etl.core.settings import analyst_db_for
from tests.conftest import query
from tests.reliability.conftest import clean_state, dagster_home, environment, etl, load
from tests.reliability.state import warehouse_state


def start_loads(posts, warehouses, **settings):
    return [etl("load", "--posts", str(posts), "--warehouse", str(warehouse), env=environment(**settings))
            for warehouse in warehouses]


def finish(processes) -> None:
    for process in processes:
        out, err = process.communicate(timeout=900)
        assert process.returncode == 0, out + err


def test_three_loads_start_together_on_a_new_shared_dagster_home(posts, reference, tmp_path):
    home = tmp_path / "dagster_home"
    dagster_home(home)
    warehouses = [tmp_path / f"w{n}.duckdb" for n in range(3)]
    finish(start_loads(posts, warehouses, DAGSTER_HOME=str(home)))
    for warehouse in warehouses:
        assert warehouse_state(warehouse) == reference
    status, out, err = load(posts, warehouses[0], "--full", DAGSTER_HOME=str(home))  # the home still works
    assert status == 0, out + err


def test_three_loads_of_one_warehouse_while_an_analyst_queries_it(posts, reference, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    first = tmp_path / "first"
    for path in sorted(posts.rglob("*.md"))[:200]:
        (first / path.relative_to(posts)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, first / path.relative_to(posts))
    status, out, err = load(first, warehouse)
    assert status == 0, out + err
    before = query(analyst_db_for(warehouse), "SELECT count(*) FROM article")[0][0]
    after = reference["article"][0]

    seen: list[str] = []
    stop = threading.Event()

    def analyst() -> None:
        while not stop.is_set():
            process = etl("sql", "--format", "csv", "SELECT count(*) AS n FROM article",
                          env=environment(ETL_WAREHOUSE=str(warehouse)))
            out, err = process.communicate(timeout=120)
            seen.append(out.splitlines()[-1] if process.returncode == 0 and out.strip() else f"failed: {err}")

    reader = threading.Thread(target=analyst)
    reader.start()
    try:
        finish(start_loads(posts, [warehouse] * 3))
    finally:
        stop.set()
        reader.join(timeout=180)
    assert seen and set(seen) <= {str(before), str(after)}, seen
    assert warehouse_state(warehouse) == reference


def test_files_changing_during_a_load(posts, tmp_path):
    """Posts edited, added, truncated and deleted while the load lists, reads and parses them."""
    extra = tmp_path / "extra"
    generate_corpus(extra, 60, seed=12)
    warehouse = tmp_path / "w.duckdb"
    rng = random.Random(5)
    files = sorted(posts.rglob("*.md"))
    additions = sorted(extra.rglob("*.md"))
    process = start_loads(posts, [warehouse])[0]
    changes = 0
    while process.poll() is None and changes < 40:
        path = files.pop(rng.randrange(len(files)))
        kind = changes % 4
        if kind == 0:
            path.write_text(path.read_text(encoding="utf-8").replace("的", "之"), encoding="utf-8")
        elif kind == 1:
            text = path.read_text(encoding="utf-8")
            path.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
        elif kind == 2:
            path.unlink()
        else:
            added = additions.pop()
            target = posts / "late" / added.relative_to(extra)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(added, target)
        changes += 1
        time.sleep(0.1)
    finish([process])
    assert changes >= 10, "the load ended before the folder could change under it"
    status, out, err = load(posts, warehouse)
    assert status == 0, out + err
    assert warehouse_state(warehouse) == clean_state(posts, tmp_path)

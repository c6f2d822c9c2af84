"""A warehouse loaded bit by bit holds what a clean load of the same folder holds: after deletes,
truncations and edits, every table's live rows and every view are the same, `security`'s counts
and dates included. `etl load --full` reads every file, so an edit that kept the size and the
mtime is found too."""

import os
from datetime import date
from pathlib import Path

from etl.cli import main
from tests.conftest import age_files, query
from tests.e2e.posts_factory import emnews_post, plain_post, write
from tests.reliability.state import warehouse_state


def folder(root: Path) -> Path:
    write(root, *(emnews_post(date(2022, 1, 1 + n % 4), n, code=f"6{n % 7:05d}", name=f"样本{n % 7}")
                  for n in range(24)),
          *(plain_post(date(2022, 1, 1 + n % 4), 100 + n) for n in range(6)),
          emnews_post(date(2022, 1, 3), 200, code="688001", name="独家公司"))
    age_files(root)
    return root


def load(posts: Path, warehouse: Path, *options: str) -> None:
    assert main(["load", "--posts", str(posts), "--warehouse", str(warehouse), *options]) == 0


def clean_state(posts: Path, tmp_path: Path, name: str) -> dict:
    warehouse = tmp_path / f"clean-{name}.duckdb"
    load(posts, warehouse)
    return warehouse_state(warehouse)


def test_after_deletes_truncations_and_edits_a_warehouse_equals_a_clean_load(tmp_path):
    posts, warehouse = folder(tmp_path / "posts"), tmp_path / "w.duckdb"
    load(posts, warehouse)
    assert query(warehouse, "SELECT article_count FROM security WHERE secid = '1.688001'") == [(1,)]

    files = sorted(posts.rglob("*.md"))
    (posts / emnews_post(date(2022, 1, 3), 200)[0]).unlink()  # the one article naming 1.688001
    files[0].unlink()
    files[1].unlink()
    text = files[2].read_text(encoding="utf-8")
    files[2].write_text(text[: len(text) // 2], encoding="utf-8")  # truncated inside the body
    files[3].write_text(files[3].read_text(encoding="utf-8").replace("测试公司", "改名公司"), encoding="utf-8")
    files[4].write_text(files[4].read_text(encoding="utf-8").replace('"1,6', '"0,6'), encoding="utf-8")
    age_files(posts, mtime_ns=os.stat(files[5]).st_mtime_ns + 10**9)
    load(posts, warehouse)

    assert query(warehouse, "SELECT count(*) FROM security WHERE secid = '1.688001'") == [(0,)]
    assert query(warehouse, "SELECT count(*) FROM article WHERE deleted_from_source") == [(3,)]
    assert warehouse_state(warehouse) == clean_state(posts, tmp_path, "edited")


def test_a_same_size_edit_with_its_mtime_restored_is_found_by_a_full_load(tmp_path):
    posts, warehouse = folder(tmp_path / "posts"), tmp_path / "w.duckdb"
    load(posts, warehouse)
    edited = sorted(posts.rglob("*.md"))[3]
    stamp = os.stat(edited)
    text = edited.read_text(encoding="utf-8")
    assert "测试公司" in text
    edited.write_text(text.replace("测试公司", "别家公司"), encoding="utf-8")  # same number of bytes
    os.utime(edited, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert os.stat(edited).st_size == stamp.st_size

    load(posts, warehouse)  # path, size and mtime as stored: taken as unchanged
    clean = clean_state(posts, tmp_path, "same-size")
    assert warehouse_state(warehouse) != clean
    load(posts, warehouse, "--full")
    assert warehouse_state(warehouse) == clean
    assert query(warehouse, "SELECT count(*) FROM article WHERE title LIKE '%别家公司%'") == [(1,)]

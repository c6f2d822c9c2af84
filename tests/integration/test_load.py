"""The asset graph end to end with `dagster.materialize` (via `etl.defs.materialize.run_load`) into a temp DuckDB."""

import os
from datetime import date
from pathlib import Path

from etl.core.settings import analyst_db_for
from etl.defs.materialize import run_load
from etl.defs.dates import date_bounds
from etl.warehouse.plan import compare_folder
from tests.conftest import PLAIN_ID, SMALL_CORPUS, TWIN_ID, query, write_posts
from tests.unit.html_samples import PLAIN_FRONT, post

TABLES = ("raw_post", "article", "tag", "article_tag", "stock_mention", "security", "rejected_post")


def _counts(warehouse: Path) -> dict[str, int]:
    return {t: query(warehouse, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def _files(result, asset="raw_posts") -> dict:
    event = next(e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == asset)
    return {k: v.value for k, v in event.materialization.metadata.items()}


def test_load_builds_every_table(small_corpus, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    result = run_load(small_corpus, warehouse)
    assert result.success
    counts = _counts(warehouse)
    assert counts["raw_post"] == len(SMALL_CORPUS)
    assert counts["article"] == 4  # twin pair, _posts/old_post pair, the empty-date post, the word id
    assert counts["rejected_post"] == 0
    twin = query(warehouse, "SELECT layout, media, category, len(post_paths) FROM article WHERE article_id = ?", [TWIN_ID])
    assert twin == [("digest_html", "上海证券报", "emnews", 2)]
    mentions = query(warehouse, "SELECT secid, mention_count FROM stock_mention WHERE article_id = ? ORDER BY 1", [TWIN_ID])
    assert mentions == [("0.300999", 3), ("1.600777", 1), ("90.BK0999", 1)]
    assert query(warehouse, "SELECT article_id FROM article WHERE title IS NULL") == [("202205269999000005",)]
    assert query(warehouse, "SELECT published_date::VARCHAR FROM article WHERE article_id = '202205269999000005'") \
        == [("2022-05-26",)]
    assert query(warehouse, "SELECT exchange FROM security WHERE secid = '116.00388'") == [("HKEX",)]
    for table, key in [("article", "article_id"), ("stock_mention", "article_id, secid"),
                       ("article_tag", "article_id, tag_id"), ("security", "secid"),
                       ("raw_post", "post_path, content_sha256")]:
        assert query(warehouse, f"SELECT count(*) - count(DISTINCT ({key})) FROM {table}") == [(0,)]


def test_second_load_changes_nothing(small_corpus, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    run_load(small_corpus, warehouse)
    before = query(warehouse, "SELECT * EXCLUDE (loaded_at) FROM article ORDER BY article_id")
    stamps = query(warehouse, "SELECT article_id, loaded_at FROM article ORDER BY 1")
    result = run_load(small_corpus, warehouse)
    assert result.success
    meta = _files(result)
    assert (meta["files_new"], meta["files_changed"], meta["files_unchanged"]) == (0, 0, len(SMALL_CORPUS))
    assert query(warehouse, "SELECT * EXCLUDE (loaded_at) FROM article ORDER BY article_id") == before
    assert query(warehouse, "SELECT article_id, loaded_at FROM article ORDER BY 1") == stamps


def test_editing_one_post_replaces_exactly_its_article(small_corpus, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    run_load(small_corpus, warehouse)
    stamps = dict(query(warehouse, "SELECT article_id, loaded_at FROM article"))
    path = small_corpus / f"old_post/2021-12-08-{PLAIN_ID}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("红星酒业(600999)", "红星酒业(600999)、北方矿业(601888)"),
                    encoding="utf-8")
    result = run_load(small_corpus, warehouse)
    assert _files(result)["files_changed"] == 1
    after = dict(query(warehouse, "SELECT article_id, loaded_at FROM article"))
    assert [a for a in after if after[a] != stamps[a]] == [PLAIN_ID]
    assert ("1.601888",) in query(warehouse, "SELECT secid FROM stock_mention WHERE article_id = ?", [PLAIN_ID])
    assert query(warehouse, "SELECT count(*) FROM raw_post WHERE post_path LIKE 'old_post/2021-12-08-%'") == [(2,)]
    assert query(warehouse, "SELECT count(*) FROM raw_post WHERE is_current") == [(len(SMALL_CORPUS),)]


def test_deleted_post_is_marked_not_erased(small_corpus, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    run_load(small_corpus, warehouse)
    (small_corpus / "_posts/2021-12-01-welcome.md").unlink()
    result = run_load(small_corpus, warehouse)
    assert _files(result)["files_deleted"] == 1
    assert query(warehouse, "SELECT deleted_from_source FROM article WHERE article_id = '2021-12-01-welcome'") == [(True,)]
    assert query(warehouse, "SELECT deleted_at IS NOT NULL FROM raw_post WHERE post_path = '_posts/2021-12-01-welcome.md'") \
        == [(True,)]


def test_deleting_one_copy_keeps_the_article_from_the_other(small_corpus, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    run_load(small_corpus, warehouse)
    (small_corpus / f"old_post/2022-01-21-NW{TWIN_ID}.md").unlink()
    run_load(small_corpus, warehouse)
    assert query(warehouse, "SELECT deleted_from_source, post_paths FROM article WHERE article_id = ?", [TWIN_ID]) \
        == [(False, [f"_posts/2022-01-21-{TWIN_ID}.md"])]
    assert query(warehouse, "SELECT count(*) FROM article_tag WHERE article_id = ?", [TWIN_ID]) == [(2,)]


BAD_FILES = {
    "_posts/2022-02-01-202202019999000101.md": b"",
    "_posts/2022-02-01-202202019999000102.md": b"---\ntitle: only front matter\n---\n",
    "_posts/2022-02-01-202202019999000103.md": "只有正文".encode(),
    "_posts/2022-02-01-202202019999000104.md": b"---\ntitle: x\n",
    "_posts/2022-02-01-202202019999000105.md": '---\ntitle: "a"\ntitle: "b"\n---\n正文'.encode(),
    "_posts/2022-02-01-202202019999000106.md": "---\ntitle: x\n---\n中文正文".encode("gbk"),
    "_posts/2022-02-01-202202019999000107.md": b"\x89PNG\r\n\x1a\n\x00\x00binary",
    "_posts/2022-02-01-202202019999000108.md": '---\ntitle: "x"\ndate: 2022-13-45 10:00:00\n---\n正文'.encode(),
    "_posts/2022-02-01-202202019999000109.md": '---\ntitle: "x"\ndate: 2099-01-01 10:00:00\n---\n正文'.encode(),
}


def test_bad_files_are_quarantined_and_the_rest_loads(small_corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("ETL_MAX_DELETE_SHARE", "1")  # more bad files than good: past the guard's share
    posts = write_posts(small_corpus, BAD_FILES)
    (posts / "_posts/loop.md").symlink_to(posts / "_posts/loop.md")
    (posts / "_posts/sub").mkdir()
    (posts / "_posts/sub/back").symlink_to(posts / "_posts", target_is_directory=True)
    warehouse = tmp_path / "w.duckdb"
    result = run_load(posts, warehouse)
    assert result.success
    rejected = dict(query(warehouse, "SELECT post_path, reason FROM rejected_post"))
    assert set(rejected) == set(BAD_FILES) | {"_posts/loop.md"}
    assert "symbolic links" in rejected["_posts/loop.md"]
    assert query(warehouse, "SELECT count(*) FROM article") == [(4,)]
    on_disk = len(SMALL_CORPUS) + len(BAD_FILES) + 1
    assert query(warehouse, "SELECT count(DISTINCT post_path) FROM raw_post") == [(on_disk,)]
    assert query(warehouse, "SELECT raw_bytes IS NOT NULL FROM raw_post WHERE post_path LIKE '%0106.md'") == [(True,)]

    fixed = "_posts/2022-02-01-202202019999000108.md"
    (posts / fixed).write_text('---\ntitle: "x"\ndate: 2022-02-01 10:00:00\n---\n修好的正文', encoding="utf-8")
    run_load(posts, warehouse)
    assert fixed not in dict(query(warehouse, "SELECT post_path, reason FROM rejected_post"))
    assert query(warehouse, "SELECT body_text FROM article WHERE article_id = '202202019999000108'") == [("修好的正文",)]


def test_files_that_must_not_be_read_are_quarantined_unread(small_corpus, tmp_path, monkeypatch):
    """A link out of the folder, a name that is not UTF-8 and a file over ETL_MAX_POST_BYTES are
    stored without their bytes, quarantined with a reason, and the rest loads, every time."""
    secret = tmp_path / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text(post(PLAIN_FRONT, "SECRET-TEXT 机密"), encoding="utf-8")
    (small_corpus / "_posts/2022-02-03-202202039999000201.md").symlink_to(secret)
    (small_corpus / "_posts/sub").mkdir()
    (small_corpus / "_posts/sub/2022-02-03-202202039999000202.md").symlink_to(small_corpus / f"_posts/2021-12-08-{PLAIN_ID}.md")
    bad_name = os.fsencode(small_corpus / "_posts") + b"/2022-02-03-\xff\xfe.md"
    with open(bad_name, "wb") as file:
        file.write(post(PLAIN_FRONT, "名字不是UTF-8").encode())
    big = small_corpus / "_posts/2022-02-03-202202039999000203.md"
    big.write_text(post(PLAIN_FRONT, "大" * 3000), encoding="utf-8")
    monkeypatch.setenv("ETL_MAX_POST_BYTES", "4096")
    warehouse = tmp_path / "w.duckdb"
    for _ in range(2):
        assert run_load(small_corpus, warehouse).success
        rejected = dict(query(warehouse, "SELECT post_path, reason FROM rejected_post"))
        assert rejected == {
            "_posts/2022-02-03-202202039999000201.md":
                f"symbolic link to {secret}, outside the posts folder: not read",
            "_posts/2022-02-03-\\xff\\xfe.md": "file name is not valid UTF-8 (its bytes are shown as \\xNN): rename the file",
            "_posts/2022-02-03-202202039999000203.md":
                f"post is {big.stat().st_size:,} bytes, over the limit of 4,096 bytes for one post (ETL_MAX_POST_BYTES)",
        }
        assert query(warehouse, "SELECT count(*) FROM raw_post WHERE raw_text LIKE '%SECRET%' OR raw_bytes IS NOT NULL") \
            == [(0,)]
        assert query(warehouse, "SELECT count(*) FROM rejected_post WHERE raw_text <> ''") == [(0,)]
        assert query(warehouse, "SELECT count(*) FROM raw_post WHERE read_error IS NOT NULL AND raw_text = ''") == [(3,)]
        # A link that stays inside the folder is read like any file; every file is accounted for.
        assert query(warehouse, "SELECT count(DISTINCT post_path) FROM raw_post") == [(len(SMALL_CORPUS) + 4,)]
        assert query(warehouse, "SELECT count(*) FROM article WHERE article_id = '202202039999000202'") == [(1,)]
        assert query(warehouse, "SELECT count(*) FROM article") == [(5,)]
    # Stored unread, they are no change for the next plan: it has nothing to do.
    plan = compare_folder(small_corpus, warehouse, analyst_db_for(warehouse), max_bytes=4096).plan(date_bounds())
    assert plan.up_to_date
    monkeypatch.setenv("ETL_MAX_POST_BYTES", "100000")  # raised: the big file is read and loads
    assert compare_folder(small_corpus, warehouse, analyst_db_for(warehouse), max_bytes=100000) \
        .plan(date_bounds()).files_to_scan == 1
    assert run_load(small_corpus, warehouse).success
    assert query(warehouse, "SELECT count(*) FROM rejected_post") == [(2,)]
    assert query(warehouse, "SELECT count(*) FROM article WHERE article_id = '202202039999000203'") == [(1,)]


def test_a_quarantined_file_is_retried_when_its_dates_load_again(small_corpus, tmp_path, monkeypatch):
    from etl.defs.assets import articles

    posts = write_posts(small_corpus, {"_posts/2022-02-01-202202019999000109.md": BAD_FILES[
        "_posts/2022-02-01-202202019999000109.md"]})  # dated 2099: in the future
    warehouse = tmp_path / "w.duckdb"
    run_load(posts, warehouse)
    assert query(warehouse, "SELECT article_id FROM rejected_post") == [("202202019999000109",)]
    monkeypatch.setattr(articles, "shanghai_today", lambda: date(2099, 1, 2))  # the date has come, the file unchanged
    result = run_load(posts, warehouse)
    assert (_files(result)["files_unchanged"], _files(result, "articles")["files_rejected"]) == (len(SMALL_CORPUS) + 1, 0)
    assert query(warehouse, "SELECT count(*) FROM rejected_post") == [(0,)]
    assert query(warehouse, "SELECT body_text FROM article WHERE article_id = '202202019999000109'") == [("正文",)]


def test_broken_edit_keeps_the_last_good_article(small_corpus, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    run_load(small_corpus, warehouse)
    before = query(warehouse, "SELECT * FROM article WHERE article_id = '2021-12-01-welcome'")
    (small_corpus / "_posts/2021-12-01-welcome.md").write_bytes(b"---\ntitle: broken\n")
    run_load(small_corpus, warehouse)
    assert query(warehouse, "SELECT * FROM article WHERE article_id = '2021-12-01-welcome'") == before
    assert query(warehouse, "SELECT reason FROM rejected_post") == [("unterminated front matter: no closing '---' (line 1)",)]


def test_deleting_a_file_whose_last_version_was_broken_marks_its_article_deleted(small_corpus, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    run_load(small_corpus, warehouse)
    post = small_corpus / "_posts/2021-12-01-welcome.md"
    post.write_bytes(b"---\ntitle: broken\n")
    run_load(small_corpus, warehouse)  # the article keeps its last good row, the file is quarantined
    post.unlink()
    assert run_load(small_corpus, warehouse).success
    assert query(warehouse, "SELECT deleted_from_source FROM article WHERE article_id = '2021-12-01-welcome'") \
        == [(True,)]
    assert query(warehouse, "SELECT count(*) FROM article_search WHERE article_id = '2021-12-01-welcome'") == [(0,)]


def test_failed_step_leaves_the_previous_state_and_the_next_run_completes(small_corpus, tmp_path, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    run_load(small_corpus, warehouse)
    before = _counts(warehouse)
    write_posts(small_corpus, {"_posts/2022-02-02-202202029999000201.md": SMALL_CORPUS["_posts/2021-12-01-welcome.md"]})

    from etl.warehouse import loads

    def explode(*args, **kwargs):
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(loads, "publish", explode)
    failed = run_load(small_corpus, warehouse)
    assert not failed.success
    assert _counts(warehouse)["stock_mention"] == before["stock_mention"]
    # no daemon watches a headless run: it records its own failure
    assert query(warehouse, "SELECT status, recorded_by, trigger, error LIKE '%article_tags%' FROM load_run "
                            "WHERE run_id = ?", [failed.run_id]) == [("failure", "etl_load", "cli", True)]
    monkeypatch.undo()
    assert run_load(small_corpus, warehouse).success
    assert query(warehouse, "SELECT count(*) FROM article_tag WHERE article_id = '202202029999000201'") == [(2,)]

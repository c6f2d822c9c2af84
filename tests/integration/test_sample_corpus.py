"""The bundled sample and generated corpora against the ground truth their generator wrote."""

import json

from bench.synthetic import generate_corpus
from etl.core.settings import DEFAULT_MAX_POST_BYTES, SAMPLE_POSTS_DIR
from etl.defs.materialize import run_load
from etl.posts.build import SourceText
from etl.posts.identity import identify
from etl.warehouse.sources import discover, read_file
from tests.conftest import build_all, query


def _truth(manifest: dict) -> dict[tuple[str, str], int]:
    return {(a, s): n for a, art in manifest["articles"].items() for s, n in art["mentions"].items()}


def test_sample_corpus_loads_into_a_temp_warehouse_exactly_as_generated(tmp_path):
    manifest = json.loads((SAMPLE_POSTS_DIR / "manifest.json").read_text(encoding="utf-8"))
    warehouse = tmp_path / "sample.duckdb"
    result = run_load(SAMPLE_POSTS_DIR, warehouse)
    assert result.success
    assert query(warehouse, "SELECT count(*) FROM raw_post") == [(len(manifest["files"]),)]
    assert query(warehouse, "SELECT count(*) FROM rejected_post") == [(0,)]
    assert {r[0] for r in query(warehouse, "SELECT article_id FROM article")} == set(manifest["articles"])
    # The manifest's truth is the code and markup mentions; those found by name alone come on top.
    coded = "SELECT article_id, secid, mention_count FROM stock_mention WHERE sources <> ['name']"
    mentions = {(a, s): n for a, s, n in query(warehouse, coded)}
    assert mentions == _truth(manifest)
    layouts = {f["layout"] for f in manifest["files"].values()}
    assert layouts == {"plain", "digest_html", "media_html"}


def test_generated_corpus_mentions_match_ground_truth(tmp_path):
    manifest = generate_corpus(tmp_path / "posts", 800, seed=11)
    versions = [read_file(source, max_bytes=DEFAULT_MAX_POST_BYTES) for source in discover(tmp_path / "posts")]
    result = build_all(
        [SourceText(v.post_path, v.sha256, identify(v.post_path).article_id, v.data) for v in versions], workers=2)
    assert result.rejections == []
    found = {(m.article.article_id, s.secid): s.mention_count for m in result.articles for s in m.mentions}
    assert found == _truth(manifest)
    titles = {m.article.article_id: m.article.title or "" for m in result.articles}
    assert titles == {a: art["title"] for a, art in manifest["articles"].items()}

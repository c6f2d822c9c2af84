"""The synthetic corpus: deterministic, complete, in the real formats and proportions, and its
manifest's mention counts agree with an independent recount of the written files."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bench.synthetic import NAME_CASE_RATES, NAMES_FILE, RATES, SECURITIES_FILE, generate_corpus, main

ALL_QUIRKS = {
    "bom", "blank_line_before_front_matter", "title_with_quote", "title_with_backslash", "empty_title",
    "empty_date", "date_without_offset", "crlf_body", "crlf_file", "final_newline", "title_as_digest",
    "split_html_lines", "code_after_markup", "chart_only_mention", "attribution_autolink", "empty_link",
    "no_link", "no_nav", "nav_two_lines", "nav_relative", "twin", "copy", "digest_only_version",
}
POST_NAME = re.compile(r"^(_posts|old_post)/(\d{4}-\d{2}-\d{2})?-(NW)?(\d{18})\.md$")
SECID = re.compile(r"^(0|1|90|100|105|106|107|116)\.[0-9A-Z]+$")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("corpus")
    return out, generate_corpus(out, 3000, seed=11)


def post_files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.glob("*/*.md"))}


def test_same_seed_same_bytes_and_another_seed_differs(tmp_path):
    first = generate_corpus(tmp_path / "a", 120, seed=5)
    second = generate_corpus(tmp_path / "b", 120, seed=5)
    assert first == second
    assert post_files(tmp_path / "a") == post_files(tmp_path / "b")
    for name in ("manifest.json", NAMES_FILE, SECURITIES_FILE):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    generate_corpus(tmp_path / "c", 120, seed=6)
    assert post_files(tmp_path / "c") != post_files(tmp_path / "a")


@pytest.mark.parametrize("n_posts", [0, 1, 2, 7, 40])
def test_writes_exactly_the_requested_number_of_posts(tmp_path, n_posts):
    manifest = generate_corpus(tmp_path, n_posts, seed=3)
    assert len(post_files(tmp_path)) == n_posts == manifest["n_posts"] == len(manifest["files"])


def test_refuses_a_directory_that_already_holds_posts(tmp_path):
    generate_corpus(tmp_path, 5)
    with pytest.raises(FileExistsError):
        generate_corpus(tmp_path, 5)


def test_manifest_covers_every_file_and_article(corpus):
    root, manifest = corpus
    files = post_files(root)
    assert set(files) == set(manifest["files"])
    assert (root / "manifest.json").is_file()
    used_articles = set()
    for path, entry in manifest["files"].items():
        name = POST_NAME.match(path)
        assert name, path
        assert name.group(4) == entry["article_id"]
        assert (entry["layout"] == "media_html") == bool(name.group(3))
        assert set(entry["quirks"]) <= ALL_QUIRKS
        assert (name.group(2) is None) == ("empty_date" in entry["quirks"])
        article = manifest["articles"][entry["article_id"]]
        assert article["published_date"].replace("-", "") == entry["article_id"][:8]
        if name.group(2):
            assert name.group(2) == article["published_date"]
        used_articles.add(entry["article_id"])
    assert used_articles == set(manifest["articles"])


def test_every_file_starts_with_front_matter(corpus):
    root, manifest = corpus
    for path, data in post_files(root).items():
        text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
        quirks = manifest["files"][path]["quirks"]
        if "blank_line_before_front_matter" in quirks:
            text = text.removeprefix("\n")
        assert text.startswith("---\nlayout: post\ntitle: \""), path
        front, _, body = text[4:].partition("\n---\n")
        assert re.search(r"^date: (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}( \+0800)?| \+0800)$", front, re.M), path
        assert body.strip(), path


def test_layout_shares_are_near_the_real_archive(corpus):
    _, manifest = corpus
    layouts = Counter(entry["layout"] for entry in manifest["files"].values())
    total = sum(layouts.values())
    assert layouts["plain"] / total == pytest.approx(0.35, abs=0.05)
    assert layouts["digest_html"] / total == pytest.approx(0.40, abs=0.05)
    assert layouts["media_html"] / total == pytest.approx(0.25, abs=0.05)
    quirks = Counter(quirk for entry in manifest["files"].values() for quirk in entry["quirks"])
    assert 0.08 <= quirks["copy"] / total <= 0.30
    assert 0.03 <= quirks["twin"] / total <= 0.15
    assert quirks["date_without_offset"] and quirks["crlf_body"] and quirks["empty_date"]


def test_sizes_are_realistic(corpus):
    root, manifest = corpus
    sizes = {path: len(data) for path, data in post_files(root).items()}
    plain = sorted(size for path, size in sizes.items() if manifest["files"][path]["layout"] == "plain")
    html = sorted(size for path, size in sizes.items() if manifest["files"][path]["layout"] != "plain")
    assert 150 <= plain[0] and plain[-1] <= 1500
    assert 1000 <= html[len(html) // 2] <= 6000
    assert max(html) <= 30_000


def test_most_files_have_no_final_newline(corpus):
    root, _ = corpus
    endings = Counter(data.endswith(b"\n") for data in post_files(root).values())
    assert endings[False] > 0.9 * sum(endings.values())


def test_a_small_sample_carries_every_quirk(tmp_path):
    manifest = generate_corpus(tmp_path, 40, seed=0)
    assert {quirk for entry in manifest["files"].values() for quirk in entry["quirks"]} == ALL_QUIRKS
    assert set(RATES) <= ALL_QUIRKS


def test_secids_are_normalised(corpus):
    _, manifest = corpus
    for article in manifest["articles"].values():
        for secid, count in article["mentions"].items():
            assert SECID.match(secid), secid
            assert isinstance(count, int) and count > 0
            market, code = secid.split(".")
            if market == "116":
                assert len(code) == 5 and code.isdigit()


# An independent recount of mentions, written from docs/corpus.md rather than from the generator.
ATTRIBUTION = re.compile(r'<p class="em_media">.*?</p>', re.S)
CHART = re.compile(r'data-code="([^"|]+)\|(\d+)\|\d+" data-code2="[^"]*" class="EmImageRemark"')
MARKUP = re.compile(r'class="(?:keytip|em_stock_key_common)" data-code="(\d+),([0-9A-Z]+)"')
TEXT_CODE = re.compile(r"[(（](?:(\d{6})(?:\.(SH|SZ|BJ))?|(\d{4,5})\.HK|(0\d{4})|([A-Z]{1,5})\.([ONA]))[)）]")
US_MARKETS = {"O": "105", "N": "106", "A": "107"}


def text_code_secid(match: re.Match) -> str:
    a_share, _, hk_suffixed, hk_plain, ticker, us_suffix = match.groups()
    if a_share:
        return ("1." if a_share.startswith(("60", "68", "900", "5")) else "0.") + a_share
    if ticker:
        return f"{US_MARKETS[us_suffix]}.{ticker}"
    return "116." + (hk_suffixed or hk_plain).zfill(5)


def recount(text: str) -> Counter:
    body = ATTRIBUTION.sub("", text.replace("\r\n", "\n").split("\n---\n", 1)[1])
    counts: Counter = Counter()
    for match in MARKUP.finditer(body):
        counts[f"{match.group(1)}.{match.group(2)}"] += 1
    for match in TEXT_CODE.finditer(body):
        if not body.endswith("</span>", 0, match.start()):  # a code right after markup restates it
            counts[text_code_secid(match)] += 1
    for code, market in CHART.findall(body):
        secid = f"{market}.{code}"
        counts[secid] = max(counts[secid], 1)
    return counts


def test_manifest_mentions_match_a_recount_of_the_files(corpus):
    root, manifest = corpus
    recounted: dict[str, Counter] = {}
    for path, data in post_files(root).items():
        article_id = manifest["files"][path]["article_id"]
        recounted[article_id] = recounted.get(article_id, Counter()) | recount(data.decode("utf-8"))
    for article_id, article in manifest["articles"].items():
        assert article["mentions"] == dict(recounted[article_id]), article_id
    assert sum(len(counts) for counts in recounted.values()) > 1000


def test_main_prints_a_one_line_summary(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--posts", "12", "--seed", "4"]) == 0
    output = capsys.readouterr().out
    assert output.count("\n") == 1 and "wrote 12 posts" in output


# Names without a code: the ground truth is checked against the written files, not the generator.
DECOY_CASES = {"short_decoy", "common_word_decoy", "longer_listed", "longer_unlisted", "attribution"}
"""`longer_listed` is both: the longer listed name is named, the listed name inside it is a decoy."""
NAME_CASES = set(NAME_CASE_RATES) - DECOY_CASES | {"name", "longer_listed"}


def master(root: Path) -> dict[str, tuple[str, ...]]:
    with open(root / SECURITIES_FILE, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["secid", "name", "aliases"]
    return {secid: (name, *filter(None, aliases.split("|"))) for secid, name, aliases in rows[1:]}


def names_truth(root: Path) -> dict[str, dict]:
    with open(root / NAMES_FILE, encoding="utf-8") as handle:
        return {line["article_id"]: line for line in map(json.loads, handle)}


def article_texts(root: Path, manifest: dict) -> dict[str, str]:
    """Every file's text of an article, attributions and tags left out (they name no security)."""
    texts: dict[str, str] = {}
    for path, data in post_files(root).items():
        text = ATTRIBUTION.sub("", data.decode("utf-8").replace("\r\n", "\n"))
        text = re.sub(r"^tags: .*$", "", text, flags=re.M)
        article_id = manifest["files"][path]["article_id"]
        texts[article_id] = texts.get(article_id, "") + text
    return texts


def test_the_master_is_in_the_import_format_and_holds_every_named_security(corpus):
    root, manifest = corpus
    securities = master(root)
    assert all(SECID.match(secid) and not secid.startswith("90.") for secid in securities)
    assert any(len(names) > 1 for names in securities.values())  # aliases, separated by |
    by_name = Counter(names[0] for names in securities.values())
    assert any(count == 2 for count in by_name.values())  # an A share and its H share
    coded = {secid for article in manifest["articles"].values() for secid in article["mentions"]}
    assert {s for s in coded if not s.startswith("90.")} <= set(securities)


def test_names_truth_covers_every_article_and_only_names_written_without_a_code(corpus):
    root, manifest = corpus
    truth = names_truth(root)
    securities = master(root)
    texts = article_texts(root, manifest)
    raw: dict[str, str] = {}
    for path, data in post_files(root).items():
        article_id = manifest["files"][path]["article_id"]
        raw[article_id] = raw.get(article_id, "") + data.decode("utf-8")
    assert set(truth) == set(manifest["articles"])
    for article_id, line in truth.items():
        coded = manifest["articles"][article_id]["mentions"]
        for secid, entry in line["names"].items():
            assert secid in securities and secid not in coded, (article_id, secid)
            assert entry["case"] in NAME_CASES
            assert any(name in texts[article_id] for name in securities[secid]), (article_id, secid)
            assert all(securities[other][0] == securities[secid][0] for other in entry["also"])
        for secid, case in line["decoys"].items():
            assert case in DECOY_CASES and secid not in line["names"] and secid not in coded
            # A broker in the media name is there in the attribution or the tag, which name no security.
            written = raw[article_id] if case == "attribution" else texts[article_id]
            assert any(name in written for name in securities[secid]), (article_id, secid)


def test_every_risky_case_of_names_is_in_a_corpus(corpus):
    root, _ = corpus
    truth = names_truth(root)
    cases = Counter(entry["case"] for line in truth.values() for entry in line["names"].values())
    decoys = Counter(case for line in truth.values() for case in line["decoys"].values())
    assert set(cases) == NAME_CASES and set(decoys) == DECOY_CASES
    assert sum(cases.values()) > 1000
    pairs = [entry for line in truth.values() for entry in line["names"].values() if entry["also"]]
    assert {entry["case"] for entry in pairs} >= {"a_share_of_pair", "h_share_of_pair"}


def test_research_titles_and_broker_media_are_written(corpus):
    root, manifest = corpus
    truth = names_truth(root)
    securities = master(root)
    titled = [(manifest["articles"][a]["title"], s) for a, line in truth.items()
              for s, entry in line["names"].items() if entry["case"] == "research_title"]
    assert titled and all(title.startswith(securities[secid][0] + "：") for title, secid in titled)
    # A broker's name inside a media name is in attributions, and is not a name mention there.
    attributions = "".join(ATTRIBUTION.findall("".join(d.decode("utf-8") for d in post_files(root).values())))
    assert "东岳证券" in attributions or "北辰证券" in attributions

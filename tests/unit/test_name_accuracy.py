"""bench/name_accuracy.py: its scoring on hand-made truth, and the matcher's targets on a synthetic corpus."""

from __future__ import annotations

from bench.name_accuracy import (
    by_case,
    learned_names,
    main,
    matched,
    read_articles,
    read_master,
    read_truth,
    score,
)
from bench.synthetic import NamedSecurity, generate_corpus, write_master
from etl.posts.names import NameMatcher

TRUTH = {
    "a1": {"names": {"1.600001": {"case": "short", "also": []}, "1.600002": {"case": "name", "also": []}},
           "decoys": {"0.300001": "short_decoy"}},
    "a2": {"names": {"1.600003": {"case": "a_share_of_pair", "also": ["116.00003"]}}, "decoys": {}},
}


def test_score_counts_hits_misses_false_alarms_and_their_cases():
    found = {("a1", "1.600002"), ("a1", "0.300001"), ("a2", "116.00003")}
    accuracy = score(found, TRUTH)
    assert accuracy.true_positives == 1
    assert accuracy.false_positives == (("a1", "0.300001"), ("a2", "116.00003"))
    assert accuracy.false_negatives == (("a1", "1.600001"), ("a2", "1.600003"))
    assert by_case(accuracy, TRUTH) == {"a_share_of_pair": (1, 1, 0, 0), "name": (1, 0, 0, 0),
                                        "short": (1, 1, 0, 0), "short_decoy": (0, 0, 1, 1)}


def test_the_master_reads_back_as_imported_names(tmp_path):
    write_master(tmp_path / "m.csv", [NamedSecurity("1.600001", "远航科技", ("远航", "远科")),
                                      NamedSecurity("116.00001", "远航, 国际")])
    entries = read_master(tmp_path / "m.csv")
    assert [(e.secid, e.name, e.aliases, e.origin) for e in entries] == [
        ("1.600001", "远航科技", ("远航", "远科"), "imported"), ("116.00001", "远航, 国际", (), "imported")]


def test_the_matcher_meets_its_targets_on_a_synthetic_corpus(tmp_path):
    """Precision >= 0.95 and recall >= 0.9 of the name mentions whose security is in the master,
    with and without the names the corpus's own codes and markup teach."""
    generate_corpus(tmp_path, 1500, seed=23)
    articles = read_articles(tmp_path)
    truth = read_truth(tmp_path)
    master = read_master(tmp_path / "securities.csv")
    for entries in (master, master + learned_names(articles)):
        accuracy = score(matched(NameMatcher(entries), articles), truth)
        assert accuracy.true_positives > 500
        assert accuracy.precision >= 0.95 and accuracy.recall >= 0.9, accuracy


def test_main_scores_a_generated_corpus_and_lists_with_context(tmp_path, capsys):
    assert main(["--generate", "200", "--seed", "3"]) == 0
    output = capsys.readouterr().out
    assert "precision " in output and "recall " in output and "research_source" in output
    generate_corpus(tmp_path, 60, seed=3)
    assert main([str(tmp_path), "--list"]) == 0
    listed = [line.split("\t") for line in capsys.readouterr().out.splitlines() if "\t" in line]
    assert listed and all(len(fields) == 4 and fields[2].split("|")[0] in fields[3] for fields in listed)

"""Precision and recall of name mentions (securities named without a code or link).

On a synthetic corpus (`bench.synthetic` writes `names.jsonl`, the ground truth, and
`securities.csv`, the security master), the pure matcher (`etl.posts.names.NameMatcher`) reads
every article as the warehouse builds it (`etl.posts.build`: the copies of an article merged) and
what it finds by name alone is scored against the truth, per case of the truth and of its decoys:

    python -m bench.name_accuracy --generate 3000 --seed 11
    python -m bench.name_accuracy CORPUS_DIR [--master FILE] [--learned]

The dictionary is the master (`--master`, else the corpus's `securities.csv`); `--learned` adds the
names the corpus's own codes and markup give, as the warehouse learns them. `--warehouse FILE`
scores the `stock_mention` rows of a loaded warehouse whose `sources` are `['name']` instead of
running the matcher. `--list` prints each name mention found, with a few characters around it,
for checking by hand on a corpus without truth (the real posts).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from bench.synthetic import NAMES_FILE, SECURITIES_FILE, generate_corpus
from etl.posts.build import SourceText, build_batch
from etl.posts.identity import identify
from etl.posts.names import Accuracy, NameMatcher, SecurityName

CONTEXT_CHARS = 4
"""Characters shown on each side of a name by `--list`."""


def read_master(path: Path) -> list[SecurityName]:
    """A security master in `etl securities import`'s format: `secid,name[,aliases]`, aliases by `|`."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [SecurityName(row["secid"], row["name"], "imported",
                         tuple(a for a in (row.get("aliases") or "").split("|") if a)) for row in rows]


def read_articles(corpus: Path) -> list:
    """The corpus's articles, parsed and merged as the warehouse builds them."""
    sources = []
    for path in sorted(corpus.glob("*/*.md")):
        post_path = path.relative_to(corpus).as_posix()
        data = path.read_bytes()
        sources.append(SourceText(post_path, hashlib.sha256(data).hexdigest(), identify(post_path).article_id, data))
    return build_batch(sources, None, None).articles


def learned_names(articles: Iterable) -> list[SecurityName]:
    """The (secid, name) pairs the articles' codes and markup give, with their article counts."""
    counts = Counter((m.secid, m.name) for merged in articles for m in merged.mentions if m.name)
    return [SecurityName(secid, name, "learned", article_count=count) for (secid, name), count in counts.items()]


def matched(matcher: NameMatcher, articles: Iterable) -> dict[tuple[str, str], tuple[str, ...]]:
    """(article, secid) → names as written, of every security found by name alone."""
    found = {}
    for merged in articles:
        article = merged.article
        claimed = {m.secid: m.name for m in merged.mentions}
        for secid, mention in matcher.find_names(article.title, article.body_text, article.digest,
                                                 media=article.media, claimed=claimed).items():
            if not mention.claimed:
                found[article.article_id, secid] = mention.names
    return found


def warehouse_mentions(path: Path) -> set[tuple[str, str]]:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as conn:
        return set(conn.execute("SELECT article_id, secid FROM stock_mention WHERE sources = ['name']").fetchall())


def read_truth(corpus: Path) -> dict[str, dict]:
    with open(corpus / NAMES_FILE, encoding="utf-8") as handle:
        return {line["article_id"]: line for line in map(json.loads, handle)}


def score(found: Iterable[tuple[str, str]], truth: dict[str, dict]) -> Accuracy:
    expected = {(article_id, secid) for article_id, line in truth.items() for secid in line["names"]}
    found = set(found)
    return Accuracy(len(found & expected), tuple(sorted(found - expected)), tuple(sorted(expected - found)))


def by_case(accuracy: Accuracy, truth: dict[str, dict]) -> dict[str, tuple[int, int, int, int]]:
    """Case → (named, missed, decoys written, decoys found) over the truth's cases."""
    named = Counter(v["case"] for line in truth.values() for v in line["names"].values())
    missed = Counter(truth[a]["names"][s]["case"] for a, s in accuracy.false_negatives)
    decoys = Counter(case for line in truth.values() for case in line["decoys"].values())
    found = Counter(truth[a]["decoys"][s] for a, s in accuracy.false_positives if s in truth[a]["decoys"])
    return {case: (named[case], missed[case], decoys[case], found[case]) for case in sorted(set(named) | set(decoys))}


def report(accuracy: Accuracy, truth: dict[str, dict]) -> str:
    lines = [f"name mentions: {accuracy.true_positives + len(accuracy.false_negatives)} expected, "
             f"{accuracy.true_positives + len(accuracy.false_positives)} found, {accuracy.true_positives} right",
             f"precision {accuracy.precision:.4f}  recall {accuracy.recall:.4f}",
             "case | named | missed | decoys | decoys found"]
    lines += [" | ".join(map(str, (case, *counts))) for case, counts in by_case(accuracy, truth).items()]
    other_pair = sum(1 for a, s in accuracy.false_positives
                     if any(s in v["also"] for v in truth[a]["names"].values()))
    lines.append(f"false positives: {len(accuracy.false_positives)}, of which the other security of a shared name: "
                 f"{other_pair}")
    return "\n".join(lines)


def listing(found: dict[tuple[str, str], tuple[str, ...]], articles: Iterable) -> list[str]:
    """One line per name mention: article, secid, the name with a few characters around its first
    occurrence (title, digest, then body)."""
    texts = {m.article.article_id: (m.article.title or "", m.article.digest or "", m.article.body_text or "")
             for m in articles}
    lines = []
    for (article_id, secid), names in sorted(found.items()):
        for text in texts[article_id]:
            at = min((text.find(n) for n in names if n in text), default=-1)
            if at >= 0:
                context = text[max(0, at - CONTEXT_CHARS) : at + len(names[0]) + CONTEXT_CHARS].replace("\n", " ")
                break
        else:
            context = ""
        lines.append(f"{article_id}\t{secid}\t{'|'.join(names)}\t{context}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision and recall of name mentions.")
    parser.add_argument("corpus", nargs="?", type=Path, help="posts folder (with names.jsonl for a score)")
    parser.add_argument("--generate", type=int, metavar="POSTS", help="score a synthetic corpus of this many posts")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--master", type=Path, help="security master CSV (default: the corpus's securities.csv)")
    parser.add_argument("--learned", action="store_true", help="add the names the corpus's codes and markup give")
    parser.add_argument("--warehouse", type=Path, help="score this warehouse's name mentions instead of the matcher's")
    parser.add_argument("--list", action="store_true", help="print every name mention found, with context")
    args = parser.parse_args(argv)
    if (args.corpus is None) == (args.generate is None):
        parser.error("give a corpus folder or --generate POSTS")
    master = args.master or (args.corpus / SECURITIES_FILE if args.corpus else None)
    if master and not args.warehouse and not master.is_file():
        parser.error(f"{master}: no such security master file (give one with --master FILE.csv)")
    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.corpus
        if args.generate is not None:
            corpus = Path(scratch)
            generate_corpus(corpus, args.generate, seed=args.seed)
        return _run(args, corpus)


def _run(args, corpus: Path) -> int:
    articles = read_articles(corpus)
    if args.warehouse:
        found = dict.fromkeys(warehouse_mentions(args.warehouse), ())
    else:
        entries = read_master(args.master or corpus / SECURITIES_FILE)
        if args.learned:
            entries += learned_names(articles)
        found = matched(NameMatcher(entries), articles)
    if args.list:
        print("\n".join(listing(found, articles)))
    if (corpus / NAMES_FILE).is_file():
        print(report(score(found, read_truth(corpus)), read_truth(corpus)))
    elif not args.list:
        print(f"{len(found)} name mentions found in {len(articles)} articles (no {NAMES_FILE}: no truth to score)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

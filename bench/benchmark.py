"""Load benchmark: the real pipeline against the floor of parsing every body with BeautifulSoup.

    .venv/bin/python -m bench.benchmark --sizes 10000 100000 --repeat 3

For each size, on a synthetic corpus (`bench.synthetic.generate_corpus`, generated once under
--corpora and reused), loads through `etl.cli.load.load`, what `etl load` runs (its plan, then
`dagster.materialize` of the whole asset graph, checks included, when files changed) into a new
warehouse: cold, then --repeat rounds of: again with nothing changed, after 1% of the files had
their body edited in place, and after that edit was undone (mtimes included, so a corpus stays as
generated; another 1% changed). Each load runs in a fresh child process, as `etl load` would, and
ends as `etl` does; its memory, worker processes included, is read from /proc while it runs. The
timed loads are not profiled: after them, one more unchanged and one more 1% load of each size
(other files, the edit then undone without a load) sample their main thread's stack, for the
tables of where the time goes, and are left out of the figures (the sampling takes that
thread's time). The floor is reading every file and parsing its body with
BeautifulSoup (lxml builder) on a pool of two processes.

Prints Markdown: the machine, one row per size and scenario (the median run), and where the sampled
unchanged and 1% loads of the largest corpus spend their time (a sampling of the main thread's
stack: which function of the `etl` package it is in, or Dagster's own code).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ETL_PACKAGE = str(Path(__file__).resolve().parent.parent / "etl")
ENTRY_POINTS = {(ETL_PACKAGE + "/cli/load.py", "load"), (ETL_PACKAGE + "/cli/load.py", "run_load"),
                (ETL_PACKAGE + "/defs/materialize.py", "run_load"), (ETL_PACKAGE + "/defs/materialize.py", "_materialize")}
"""Functions of `etl load` that only lead to the steps worth naming."""
SEED = 6
EDITED_SHARE = 0.01
POLL_SECONDS = 0.05
SAMPLE_SECONDS = 0.005
FLOOR_WORKERS = 2


# --- the corpus ---------------------------------------------------------------------------------


def corpus_for(size: int, corpora: Path) -> Path:
    folder = corpora / f"corpus-{size}"
    if not (folder / "manifest.json").is_file():
        from bench.synthetic import generate_corpus

        print(f"generating {size} posts into {folder} ...", file=sys.stderr, flush=True)
        generate_corpus(folder, size, seed=SEED)
    return folder


def post_files(corpus: Path) -> list[Path]:
    return sorted(corpus.rglob("*.md"))


@dataclass
class Edit:
    path: Path
    original: bytes
    atime_ns: int
    mtime_ns: int


def edit_bodies(corpus: Path, share: float, seed: int = SEED) -> list[Edit]:
    """Change one character in the body of `share` of the files, chosen by `seed` (same size, new
    content)."""
    files = post_files(corpus)
    chosen = random.Random(seed).sample(files, max(1, round(len(files) * share)))
    edits = []
    for path in chosen:
        data = path.read_bytes()
        info = path.stat()
        edits.append(Edit(path, data, info.st_atime_ns, info.st_mtime_ns))
        body_start = data.find(b"\n---", 4) + 4
        stop = data.find("。".encode(), body_start)
        if stop >= 0:
            edited = data[:stop] + "，".encode() + data[stop + len("。".encode()):]
        else:
            edited = data + "\n（更新）".encode()
        path.write_bytes(edited)
    return edits


def undo(edits: list[Edit]) -> None:
    for edit in edits:
        edit.path.write_bytes(edit.original)
        os.utime(edit.path, ns=(edit.atime_ns, edit.mtime_ns))


@contextmanager
def bodies_edited(corpus: Path, seed: int):
    """`edit_bodies` of `EDITED_SHARE` of the files for the block, then `undo`, whatever happens."""
    edits = edit_bodies(corpus, EDITED_SHARE, seed=seed)
    try:
        yield
    finally:
        undo(edits)


# --- one load, in a child process ---------------------------------------------------------------


class StackSampler:
    """Samples the main thread's stack and adds the time since the last sample to a label: the
    outermost `etl` function below `etl load`'s entry points (the plan, an asset, a check), with the
    `etl` function it was in directly below that; else "Dagster". Also keeps the largest resident
    memory of this process seen under each outermost label. Not `enabled`, it samples nothing (a
    timed load: the sampling thread takes the main thread's time)."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.seconds: Counter[tuple[str, str]] = Counter()
        self.peak_rss_kb: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True) if enabled else None

    def __enter__(self) -> StackSampler:
        if self._thread:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._thread:
            self._stop.set()
            self._thread.join()

    def _run(self) -> None:
        main = threading.main_thread().ident
        last = time.perf_counter()
        while not self._stop.wait(SAMPLE_SECONDS):
            now = time.perf_counter()
            label = _label(sys._current_frames().get(main))
            self.seconds[label] += now - last
            self.peak_rss_kb[label[0]] = max(self.peak_rss_kb[label[0]], _proc_field_kb("/proc/self/status", "VmRSS:"))
            last = now


def _label(frame) -> tuple[str, str]:
    ours = []
    while frame is not None:
        code = frame.f_code
        if code.co_filename.startswith(ETL_PACKAGE) and (code.co_filename, code.co_name) not in ENTRY_POINTS:
            module = Path(code.co_filename).relative_to(ETL_PACKAGE).with_suffix("").as_posix().replace("/", ".")
            ours.append(f"etl.{module}.{code.co_name}")
        frame = frame.f_back
    if not ours:
        return ("Dagster", "")
    ours.reverse()  # outermost first
    return (ours[0], ours[1] if len(ours) > 1 else "")


def child_load(posts: Path, warehouse: Path, report: Path, *, sampled: bool, rebuild: bool = False) -> None:
    started = time.perf_counter()
    from etl.cli.load import (
        load,  # Dagster is imported by the load, beside its plan, as in `etl load`
    )

    imported = time.perf_counter()
    with StackSampler(enabled=sampled) as sampler:
        if rebuild:  # what `etl rebuild` runs
            from etl.defs.materialize import run_load

            outcome = RebuildOutcome(run_load(posts, warehouse, rebuild=True))
        else:
            outcome = load(posts, warehouse)
    finished = time.perf_counter()
    result = outcome.result
    mentions = next((event.materialization.metadata for event in result.get_asset_materialization_events()
                     if event.asset_key.to_user_string() == "stock_mentions"), {}) if result else {}
    files = next((
        {key: value.value for key, value in event.materialization.metadata.items() if key.startswith("files_")}
        for event in result.get_asset_materialization_events()
        if event.asset_key.to_user_string() == "raw_posts"
    ), {}) if result else {"files_seen": outcome.plan.files_seen, "files_new": 0, "files_changed": 0}
    report.write_text(json.dumps({
        "success": result.success if result else True,
        "plan": outcome.plan.describe(),
        "import_seconds": imported - started,
        "load_seconds": finished - imported,
        "dagster_events": Counter(event.event_type_value for event in result.all_events) if result else {},
        "files": files,
        "name_matching_seconds": mentions["name_matching_seconds"].value if "name_matching_seconds" in mentions else None,
        "name_matching_cpu_seconds": (mentions["name_matching_cpu_seconds"].value
                                      if "name_matching_cpu_seconds" in mentions else None),
        "time_by_function": [[outer, inner, seconds] for (outer, inner), seconds in sampler.seconds.most_common()],
        "peak_rss_mb_by_function": {outer: kb / 1024 for outer, kb in sampler.peak_rss_kb.most_common()},
    }))


@dataclass(frozen=True)
class _RebuildPlan:
    files_seen: int = 0

    def describe(self) -> str:
        return "etl rebuild: every article derived again from raw_post"


@dataclass(frozen=True)
class RebuildOutcome:
    """A rebuild's result in the shape of `etl.cli.load.LoadOutcome`."""

    result: object
    plan: _RebuildPlan = _RebuildPlan()


@dataclass
class LoadRun:
    corpus_size: int
    scenario: str
    process_seconds: float
    cpu_seconds: float
    """User and system time of the load's process and its workers."""
    peak_pss_mb: float
    largest_process_peak_mb: float
    report: dict
    sampled: bool = False
    """Its stack was sampled: it says where the time goes, and is left out of the figures."""

    @property
    def load_seconds(self) -> float:
        return self.report["load_seconds"]


def run_child_load(posts: Path, warehouse: Path, corpus_size: int, scenario: str, *, sampled: bool = False,
                   rebuild: bool = False) -> LoadRun:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}  # an ephemeral instance
        cpu_before = _children_cpu_seconds()
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.benchmark", "--child-load", str(posts), str(warehouse), report.name,
             *(["--sample"] if sampled else []), *(["--rebuild"] if rebuild else [])],
            env=env, cwd=Path(__file__).resolve().parent.parent,
        )
        peak_pss, peak_hwm = 0, 0
        while child.poll() is None:
            pss, hwm = tree_memory_kb(child.pid)
            peak_pss, peak_hwm = max(peak_pss, pss), max(peak_hwm, hwm)
            time.sleep(POLL_SECONDS)
        elapsed = time.perf_counter() - started
        if child.returncode:
            raise RuntimeError(f"the {scenario} load of {posts} failed (exit {child.returncode})")
        result = json.loads(Path(report.name).read_text())
    if not result["success"]:
        raise RuntimeError(f"the {scenario} load of {posts} finished, but the run failed")
    return LoadRun(corpus_size, scenario, elapsed, _children_cpu_seconds() - cpu_before, peak_pss / 1024,
                   peak_hwm / 1024, result, sampled)


def _children_cpu_seconds() -> float:
    """CPU time of every finished child, their own children included once they were waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_memory_kb(root: int) -> tuple[int, int]:
    """(sum of PSS over `root` and its descendants, largest VmHWM among them), in KiB. PSS splits
    pages shared by forked workers between them, so the sum is the memory the tree really holds."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    pss = hwm = 0
    for pid in tree:
        pss += _proc_field_kb(f"/proc/{pid}/smaps_rollup", "Pss:")
        hwm = max(hwm, _proc_field_kb(f"/proc/{pid}/status", "VmHWM:"))
    return pss, hwm


def _proc_field_kb(path: str, field: str) -> int:
    try:
        with open(path) as lines:
            for line in lines:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass  # the process ended between the listing and the read
    return 0


# --- the floor ----------------------------------------------------------------------------------


def _parse_bodies(paths: list[str]) -> int:
    from bs4 import BeautifulSoup

    for path in paths:
        with open(path, "rb") as file:
            text = file.read().decode("utf-8", errors="replace")
        body_start = text.find("\n---", 4)
        BeautifulSoup(text[body_start + 4 :] if body_start >= 0 else text, "lxml")
    return len(paths)


def floor_seconds(corpus: Path) -> float:
    """List, read and parse every body with BeautifulSoup (lxml builder) on a pool of two processes."""
    started = time.perf_counter()
    paths = [str(p) for p in post_files(corpus)]
    chunks = [paths[i : i + 500] for i in range(0, len(paths), 500)]
    with ProcessPoolExecutor(max_workers=FLOOR_WORKERS) as pool:
        parsed = sum(pool.map(_parse_bodies, chunks))
    assert parsed == len(paths)
    return time.perf_counter() - started


# --- the report ---------------------------------------------------------------------------------


def machine() -> list[tuple[str, str]]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                         if line.startswith("MemTotal:")))
    disk = subprocess.run(["df", "-hT", tempfile.gettempdir()], capture_output=True, text=True).stdout.splitlines()[-1].split()
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("RAM", f"{memory_kb / 2**20:.1f} GiB"),
        ("disk", f"{disk[0]} ({disk[1]}, {disk[2]}) holding {tempfile.gettempdir()}"),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("packages", ", ".join(f"{name} {metadata.version(name)}" for name in
                               ("dagster", "duckdb", "pyarrow", "lxml", "beautifulsoup4", "great-expectations"))),
        ("load average at start", " ".join(f"{x:.2f}" for x in os.getloadavg())),
    ]


def markdown(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def median_runs(loads: list[LoadRun]) -> list[tuple[LoadRun, list[LoadRun]]]:
    """Each (size, scenario)'s median timed run (by load time; the lower of the middle two), with all
    its timed runs."""
    groups: dict[tuple[int, str], list[LoadRun]] = {}
    for run in loads:
        if run.sampled:
            continue
        groups.setdefault((run.corpus_size, run.scenario), []).append(run)
    medians = []
    for runs in groups.values():
        by_time = sorted(runs, key=lambda run: run.load_seconds)
        medians.append((by_time[(len(by_time) - 1) // 2], runs))
    return medians


def report(loads: list[LoadRun], floors: dict[int, float], machine_rows: list[tuple[str, str]]) -> str:
    rows = []
    medians = median_runs(loads)
    for run, runs in medians:
        files = run.report["files"]
        changed = files.get("files_new", 0) + files.get("files_changed", 0)
        floor = floors[run.corpus_size]
        times = [r.load_seconds for r in runs]
        spread = f" ({min(times):.1f}–{max(times):.1f}, {len(times)} runs)" if len(times) > 1 else ""
        rows.append([
            f"{run.corpus_size:,}", run.scenario, f"{changed:,}", f"{run.load_seconds:.1f}{spread}",
            f"{run.corpus_size / run.load_seconds:,.0f}", f"{run.process_seconds:.1f}", f"{run.cpu_seconds:.0f}",
            f"{max(r.peak_pss_mb for r in runs):,.0f}", f"{max(r.largest_process_peak_mb for r in runs):,.0f}",
            f"{run.load_seconds / floor:.2f}" if run.scenario == "cold" else "",
            _name_share(run),
        ])
    for size, seconds in floors.items():
        rows.append([f"{size:,}", "floor: read + BeautifulSoup, 2 processes", "", f"{seconds:.1f}",
                     f"{size / seconds:,.0f}", "", "", "", "", "1.00", ""])
    out = ["## Machine", "", markdown(["", ""], [list(row) for row in machine_rows]), "", "## Loads", "",
           markdown(["posts", "load", "files stored", "load s", "posts/s", "process s", "CPU s", "peak MB (PSS, tree)",
                     "largest process MB", "load / floor", "name matching s (share); CPU s (share)"], rows),
           "", "_load s_: `etl.cli.load.load` in a process that has imported `etl.cli.load` (Dagster's import included: "
           "the load does it beside its plan); of a repeated load, the median run and the range; "
           "_process s_: the whole child process, Python start and imports included; _CPU s_: user + system "
           "time of that process and its workers (on 2 cores, at best half of it is wall time); memory: the "
           "load's process and its workers, the largest of the runs; _name matching s_: the stock_mentions "
           "step's learning of names and matching of the dictionary (its `name_matching_seconds`), and its "
           "share of the load; its CPU s (`name_matching_cpu_seconds`: the step's process, DuckDB's threads "
           "and its workers), and their share of the load's _CPU s_; _rebuild_: `etl rebuild` of the "
           "warehouse the cold load made."]
    for size in sorted({run.corpus_size for run in loads}):
        cold = [run for run in loads if run.corpus_size == size and run.scenario == "cold"]
        rebuilt = [run for run in loads if run.corpus_size == size and run.scenario == "rebuild"]
        if cold and rebuilt:
            out.append(f"\nAt {size:,} posts, `etl rebuild` took {rebuilt[0].load_seconds / cold[0].load_seconds:.2f} "
                       "of the cold load's time.")
    largest = max(run.corpus_size for run in loads)
    for scenario in ("unchanged", "1% changed"):
        runs = [run for run in loads if run.sampled and run.scenario == scenario and run.corpus_size == largest]
        timed = [median for median, _ in medians if median.scenario == scenario and median.corpus_size == largest]
        if not runs:
            continue
        run = runs[0]
        by_outer: Counter[str] = Counter()
        for outer, _, seconds in run.report["time_by_function"]:
            by_outer[outer] += seconds
        total = run.load_seconds
        ours = sum(seconds for outer, seconds in by_outer.items() if outer != "Dagster")
        detail = [[outer if not inner else f"{outer} → {inner}", f"{seconds:.2f}", f"{seconds / total:.0%}"]
                  for outer, inner, seconds in run.report["time_by_function"] if seconds >= 0.05]
        against = f", against {timed[0].load_seconds:.1f} s for the timed median" if timed else ""
        out += ["", f"## Where the {scenario} load of {run.corpus_size:,} posts spends its {total:.1f} s", "",
                f"One more load, whose main thread's stack was sampled every {SAMPLE_SECONDS * 1000:.0f} ms (the "
                f"sampling takes some of that thread's time): {total:.1f} s{against}. Our functions {ours:.2f} s ({ours / total:.0%}), Dagster's own code {by_outer['Dagster']:.2f} s "
                f"({by_outer['Dagster'] / total:.0%}); the run logged {sum(run.report['dagster_events'].values()):,} Dagster "
                f"events ({_largest(run.report['dagster_events'])}).",
                "", markdown(["function (outermost etl function → the one below it)", "s", "share"], detail)]
    return "\n".join(out)


def _name_share(run: LoadRun) -> str:
    seconds, cpu = run.report.get("name_matching_seconds"), run.report.get("name_matching_cpu_seconds")
    if seconds is None:
        return ""
    share = f"{seconds:.1f} ({seconds / run.load_seconds:.0%})"
    return share + (f"; CPU {cpu:.1f} ({cpu / run.cpu_seconds:.0%})" if cpu is not None else "")


def _largest(counts: dict[str, int], shown: int = 3) -> str:
    return ", ".join(f"{count:,} {kind}" for kind, count in Counter(counts).most_common(shown))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.benchmark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000], help="corpus sizes (posts)")
    parser.add_argument("--corpora", type=Path, default=Path(tempfile.gettempdir()) / "bench",
                        help="where corpora are generated once and reused (default: /tmp/bench)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="rounds of (unchanged, 1%% edited, the edit undone: another 1%% changed) after "
                             "each cold load, then one sampled unchanged and 1%% load for the profile; each "
                             "scenario's row shows its median timed run and the range (default: 2)")
    parser.add_argument("--json", type=Path, help="also write every measurement to this JSON file")
    parser.add_argument("--child-load", nargs=3, metavar=("POSTS", "WAREHOUSE", "REPORT"), help=argparse.SUPPRESS)
    parser.add_argument("--sample", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", action="store_true",
                        help="after each cold load, time `etl rebuild` of the warehouse it made (row: rebuild)")
    args = parser.parse_args(argv)
    if args.child_load:
        child_load(*map(Path, args.child_load), sampled=args.sample, rebuild=args.rebuild)
        return 0

    machine_rows = machine()
    loads: list[LoadRun] = []
    floors: dict[int, float] = {}
    for size in args.sizes:
        corpus = corpus_for(size, args.corpora)
        with tempfile.TemporaryDirectory(dir=args.corpora) as scratch:
            warehouse = Path(scratch) / "warehouse.duckdb"
            def measure(scenario: str, sampled: bool = False) -> None:
                loads.append(run_child_load(corpus, warehouse, size, scenario, sampled=sampled,
                                            rebuild=scenario == "rebuild"))
                print(f"{size} {scenario}{' (sampled)' if sampled else ''}: {loads[-1].load_seconds:.1f} s",
                      file=sys.stderr, flush=True)

            measure("cold")
            if args.rebuild:
                measure("rebuild")
            for repetition in range(args.repeat):
                measure("unchanged")
                with bodies_edited(corpus, seed=SEED + repetition):
                    measure("1% changed")
                measure("1% changed")  # the same files changed back
            measure("unchanged", sampled=True)
            # Undone without a load: the corpus is as generated again, the warehouse goes with the scratch folder.
            with bodies_edited(corpus, seed=SEED + args.repeat):
                measure("1% changed", sampled=True)
        floors[size] = floor_seconds(corpus)
        print(f"{size} floor: {floors[size]:.1f} s", file=sys.stderr, flush=True)
    machine_rows.append(("load average at end", " ".join(f"{x:.2f}" for x in os.getloadavg())))
    print(report(loads, floors, machine_rows))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine_rows, "floors": floors, "loads": [vars(run) for run in loads]},
                                        indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    status = main()
    from etl.cli import (
        exit_skipping_teardown,  # a child load ends as `etl load` does (imported after: it is timed)
    )

    exit_skipping_teardown(status)

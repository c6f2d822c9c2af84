"""The benchmark's table: one row per size and scenario, its median run and the range."""

from bench.benchmark import LoadRun, median_runs, report


def _run(scenario: str, seconds: float, peak_mb: float = 100.0, size: int = 1000, sampled: bool = False) -> LoadRun:
    return LoadRun(size, scenario, process_seconds=seconds + 2, cpu_seconds=seconds, peak_pss_mb=peak_mb,
                   largest_process_peak_mb=peak_mb, report={
                       "load_seconds": seconds, "files": {"files_new": 0, "files_changed": 10},
                       "time_by_function": [["Dagster", "", seconds / 2], ["raw_posts", "ingest_files", seconds / 2]],
                       "dagster_events": {"ASSET_MATERIALIZATION": 3}}, sampled=sampled)


def test_the_median_run_is_the_lower_middle_one_of_its_scenario():
    runs = [_run("cold", 50.0), _run("1% changed", 9.0), _run("1% changed", 7.0), _run("1% changed", 20.0),
            _run("1% changed", 8.0)]
    medians = {median.scenario: (median.load_seconds, len(group)) for median, group in median_runs(runs)}
    assert medians == {"cold": (50.0, 1), "1% changed": (8.0, 4)}


def test_a_repeated_scenario_shows_its_median_range_and_largest_peak():
    table = report([_run("cold", 50.0), _run("1% changed", 9.0, peak_mb=300), _run("1% changed", 7.0),
                    _run("1% changed", 11.0, peak_mb=900, sampled=True)],
                   floors={1000: 25.0}, machine_rows=[("CPU", "test")])
    assert "| 1,000 | cold | 10 | 50.0 | 20 | 52.0 | 50 | 100 | 100 | 2.00 |" in table
    assert "| 1,000 | 1% changed | 10 | 7.0 (7.0–9.0, 2 runs) | 143 | 9.0 | 7 | 300 | 300 |  |" in table


def test_where_the_time_goes_comes_from_the_sampled_run_only():
    table = report([_run("1% changed", 9.0), _run("1% changed", 7.0), _run("1% changed", 11.0, sampled=True)],
                   floors={1000: 25.0}, machine_rows=[("CPU", "test")])
    assert "## Where the 1% changed load of 1,000 posts spends its 11.0 s" in table
    assert "time): 11.0 s, against 7.0 s for the timed median." in table
    assert "| Dagster | 5.50 | 50% |" in table


def test_a_size_without_a_sampled_run_has_no_table_of_where_the_time_goes():
    table = report([_run("1% changed", 9.0)], floors={1000: 25.0}, machine_rows=[("CPU", "test")])
    assert "## Where" not in table

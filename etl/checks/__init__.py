"""Data quality: Great Expectations suites per table (`suites`), run on each load's batch
(`validate`) as Dagster asset checks (`asset_checks`), with results kept in `dq_result`."""

"""Data quality: Great Expectations suites per table (`suites`), run on what each load wrote since
the last clean check (`validate`) as Dagster asset checks (`asset_checks`), with results kept in
`dq_result`."""

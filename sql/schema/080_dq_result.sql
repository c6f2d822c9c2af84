-- What the data-quality checks found, load after load: one row per check per run.
CREATE TABLE IF NOT EXISTS dq_result (
    run_id            VARCHAR     NOT NULL,
    asset             VARCHAR     NOT NULL,
    check_name        VARCHAR     NOT NULL,
    passed            BOOLEAN     NOT NULL,
    severity          VARCHAR     NOT NULL,
    unexpected_count  BIGINT,
    details           JSON,
    checked_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, asset, check_name)
);
COMMENT ON TABLE dq_result IS 'One row per data-quality check per run: the Great Expectations suites (etl/quality/suites.py) run on what each asset wrote since its last clean check (a run that ran all its ERROR checks and failed none), WARN checks also counted over the whole table, and rejected_posts (the quarantine).';
COMMENT ON COLUMN dq_result.run_id IS 'Dagster run id of the load (or check-only run) whose batch was checked.';
COMMENT ON COLUMN dq_result.asset IS 'Dagster asset the check belongs to: articles, article_tags, stock_mentions or securities.';
COMMENT ON COLUMN dq_result.check_name IS 'Name of the check, the same as the Dagster asset check (secid_format, article_exists, ...).';
COMMENT ON COLUMN dq_result.passed IS 'True when every row of the batch met the expectation, or the batch was empty (nothing new since the last clean check); a WARN check also needs no row of the whole table to break it (details.violations_in_table).';
COMMENT ON COLUMN dq_result.severity IS 'ERROR (a failure blocks the downstream assets and fails the load) or WARN (worth a look, the load goes on).';
COMMENT ON COLUMN dq_result.unexpected_count IS 'Rows of the batch that broke the expectation; NULL when the expectation itself could not run.';
COMMENT ON COLUMN dq_result.details IS 'JSON: table, expectation type and arguments, rows checked (0 when nothing was new since the last clean check), violations_in_table (WARN checks: rows of the whole table that break it), a sample of failing rows, and the error when the expectation could not run.';
COMMENT ON COLUMN dq_result.checked_at IS 'When the check ran. An asset''s latest checked_at in a run with no failed ERROR check of that asset is where its next batch starts: rows loaded after it.';

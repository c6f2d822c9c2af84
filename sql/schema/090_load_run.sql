-- Audit: one row per Dagster run that loaded the warehouse, written when the run ends.
CREATE TABLE IF NOT EXISTS load_run (
    run_id                  VARCHAR     NOT NULL PRIMARY KEY,
    trigger                 VARCHAR     NOT NULL,
    job_name                VARCHAR,
    partition_start         DATE,
    partition_end           DATE,
    started_at              TIMESTAMPTZ,
    finished_at             TIMESTAMPTZ NOT NULL,
    status                  VARCHAR     NOT NULL,
    files_seen              BIGINT,
    files_new               BIGINT,
    files_changed           BIGINT,
    files_unchanged         BIGINT,
    files_deleted           BIGINT,
    files_rejected          BIGINT,
    table_rows              MAP(VARCHAR, BIGINT),
    checks_passed           INTEGER,
    checks_failed           INTEGER,
    failed_checks           VARCHAR[],
    error                   VARCHAR,
    recorded_by             VARCHAR     NOT NULL,
    articles_rederived      BIGINT,
    rederive_reason         VARCHAR,
    articles_name_matched   BIGINT,
    name_mentions           BIGINT,
    dictionary_changed_names BIGINT
);
-- Warehouses from before re-derivation and name matching get the columns (NULL in their old rows).
ALTER TABLE load_run ADD COLUMN IF NOT EXISTS articles_rederived BIGINT;
ALTER TABLE load_run ADD COLUMN IF NOT EXISTS rederive_reason VARCHAR;
ALTER TABLE load_run ADD COLUMN IF NOT EXISTS articles_name_matched BIGINT;
ALTER TABLE load_run ADD COLUMN IF NOT EXISTS name_mentions BIGINT;
ALTER TABLE load_run ADD COLUMN IF NOT EXISTS dictionary_changed_names BIGINT;
COMMENT ON TABLE load_run IS 'Audit: one row per Dagster run that loaded the warehouse (UI, schedule, sensor, etl load or etl rebuild), written when the run ends: success by the analyst_snapshot asset, failure by the load_run_failures sensor or by etl load (kept beside the warehouse in <warehouse>.load_run.pending until the next writer when the warehouse could not be written then), and a load etl load refused before its run.';
COMMENT ON COLUMN load_run.run_id IS 'Dagster run id; the Dagster UI shows the run at /runs/<run_id>. refused-<uuid> for a load refused before it started a run.';
COMMENT ON COLUMN load_run.trigger IS 'What started the run: ui (the Dagster UI: Materialize all, the Launchpad, a re-execution), schedule, sensor, cli (etl load) or rebuild (etl rebuild or the rebuild_warehouse job: every derived table re-derived from raw_post, the posts folder not read), from the run tag etl/trigger.';
COMMENT ON COLUMN load_run.job_name IS 'Dagster job of the run (load_warehouse, or __ASSET_JOB for a selection materialized from the UI or etl load).';
COMMENT ON COLUMN load_run.partition_start IS 'First post date (Asia/Shanghai) of the files the run scanned (raw_posts), whatever dates it was asked for; NULL when raw_posts did not run or saw no dated file.';
COMMENT ON COLUMN load_run.partition_end IS 'Last post date (Asia/Shanghai) of the files the run scanned (inclusive).';
COMMENT ON COLUMN load_run.started_at IS 'When the run started executing (after waiting in the run queue); NULL if it never started.';
COMMENT ON COLUMN load_run.finished_at IS 'When the row was written: the end of the run.';
COMMENT ON COLUMN load_run.status IS 'success (the load committed and the analyst snapshot was published), failure, canceled, or refused (stopped by the guard against a vanished or broken source: too many live articles would be deleted or quarantined, ETL_MAX_DELETE_SHARE).';
COMMENT ON COLUMN load_run.files_seen IS 'Post files in the run''s dates (raw_posts); NULL when raw_posts did not run.';
COMMENT ON COLUMN load_run.files_new IS 'Files whose path the warehouse had not seen before.';
COMMENT ON COLUMN load_run.files_changed IS 'Files whose content changed since the last load (a new raw_post version).';
COMMENT ON COLUMN load_run.files_unchanged IS 'Files with the same path and SHA-256 as last time: only marked seen.';
COMMENT ON COLUMN load_run.files_deleted IS 'Files gone from the posts folder since the last load (marked, never erased).';
COMMENT ON COLUMN load_run.files_rejected IS 'Files this run sent to rejected_post (articles step); NULL when articles did not run.';
COMMENT ON COLUMN load_run.table_rows IS 'Rows per warehouse table when the run ended, e.g. {article: 1200, security: 310}.';
COMMENT ON COLUMN load_run.checks_passed IS 'Data-quality checks of this run that passed (evaluated before the row was written).';
COMMENT ON COLUMN load_run.checks_failed IS 'Data-quality checks of this run that failed.';
COMMENT ON COLUMN load_run.failed_checks IS 'asset.check names of the failed checks.';
COMMENT ON COLUMN load_run.error IS 'For a failed run: the failed steps and the first error message.';
COMMENT ON COLUMN load_run.recorded_by IS 'What wrote the row: analyst_snapshot (end of a good load), load_run_failures (run failure sensor) or etl_load (a failed etl load, which no daemon watches).';
COMMENT ON COLUMN load_run.articles_rederived IS 'Articles the run derived again from raw_post although none of their files changed (articles step); NULL when articles did not run.';
COMMENT ON COLUMN load_run.rederive_reason IS 'Why they were: etl rebuild, the extraction rules changed (old and new RULES_VERSION), or articles whose rows were missing although raw_post holds their files (a damaged warehouse, repaired); NULL when none were.';
COMMENT ON COLUMN load_run.articles_name_matched IS 'Articles whose names were matched against the security dictionary (stock_mentions step): those whose mentions were rebuilt, plus those holding a name the dictionary added, changed or dropped.';
COMMENT ON COLUMN load_run.name_mentions IS 'Mentions found by name alone (sources [name]) in the matched articles.';
COMMENT ON COLUMN load_run.dictionary_changed_names IS 'Names the security dictionary (learned and imported) added, changed or dropped since the last match.';

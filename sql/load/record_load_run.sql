-- The audit row of one run; a later write for the same run (its failure) replaces it.
INSERT OR REPLACE INTO load_run (
    run_id, trigger, job_name, partition_start, partition_end, started_at, finished_at, status,
    files_seen, files_new, files_changed, files_unchanged, files_deleted, files_rejected,
    table_rows, checks_passed, checks_failed, failed_checks, error, recorded_by,
    articles_rederived, rederive_reason, articles_name_matched, name_mentions, dictionary_changed_names
) VALUES (
    $run_id, $trigger, $job_name, $partition_start, $partition_end, $started_at, $finished_at, $status,
    $files_seen, $files_new, $files_changed, $files_unchanged, $files_deleted, $files_rejected,
    MAP($table_names::VARCHAR[], $table_counts::BIGINT[]), $checks_passed, $checks_failed,
    $failed_checks::VARCHAR[], $error, $recorded_by,
    $articles_rederived, $rederive_reason, $articles_name_matched, $name_mentions, $dictionary_changed_names
)

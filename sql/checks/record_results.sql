-- Store one check step's results ($dq_batch), replacing the rows of a retried step of the same run.
INSERT OR REPLACE INTO dq_result BY NAME
SELECT run_id, asset, check_name, passed, severity, unexpected_count, details::JSON AS details, checked_at
FROM dq_batch

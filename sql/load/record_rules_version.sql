-- The derived rows follow (or are queued to follow) the extraction rules $rules_version.
INSERT INTO extraction_state (singleton, rules_version, rules_applied_at)
VALUES (true, $rules_version, $now)
ON CONFLICT (singleton) DO UPDATE
SET rules_version = excluded.rules_version,
    rules_applied_at = CASE WHEN extraction_state.rules_version = excluded.rules_version
                            THEN extraction_state.rules_applied_at ELSE excluded.rules_applied_at END

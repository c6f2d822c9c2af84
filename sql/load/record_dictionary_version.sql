-- The name mentions follow (or are queued to follow) the security dictionary $dictionary_version.
INSERT INTO extraction_state (singleton, rules_version, rules_applied_at, dictionary_version, dictionary_applied_at)
VALUES (true, $rules_version, $now, $dictionary_version, $now)
ON CONFLICT (singleton) DO UPDATE
SET dictionary_version = excluded.dictionary_version,
    dictionary_applied_at = CASE WHEN extraction_state.dictionary_version IS NOT DISTINCT FROM excluded.dictionary_version
                                 THEN extraction_state.dictionary_applied_at ELSE excluded.dictionary_applied_at END

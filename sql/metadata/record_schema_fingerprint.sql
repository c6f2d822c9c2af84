-- Remember which DDL was just applied.
INSERT OR REPLACE INTO schema_state (singleton, fingerprint, applied_at) VALUES (true, $fingerprint, now())

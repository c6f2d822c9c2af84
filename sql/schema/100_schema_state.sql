-- Which version of sql/schema/ the warehouse has: opening a warehouse whose fingerprint matches
-- skips re-running every file (a write per open, and a load opens the warehouse a dozen times).
CREATE TABLE IF NOT EXISTS schema_state (
    singleton       BOOLEAN     NOT NULL PRIMARY KEY DEFAULT true CHECK (singleton),
    fingerprint     VARCHAR     NOT NULL,
    applied_at      TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE schema_state IS 'Internal: one row saying which version of the DDL in sql/schema/ was last applied to this file.';
COMMENT ON COLUMN schema_state.singleton IS 'Always true: the table holds one row.';
COMMENT ON COLUMN schema_state.fingerprint IS 'SHA-256 of the sql/schema/ files, in order, when they were last applied.';
COMMENT ON COLUMN schema_state.applied_at IS 'When they were applied.';

-- The fingerprint of the DDL last applied to this warehouse (no row: never, or before schema_state).
SELECT fingerprint FROM schema_state

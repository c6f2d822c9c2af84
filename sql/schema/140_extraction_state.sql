-- Which extraction rules and which security dictionary the derived tables (article, article_tag,
-- tag, stock_mention, security, learned_security_name) follow (etl/warehouse/derivation.py).
CREATE TABLE IF NOT EXISTS extraction_state (
    singleton           BOOLEAN     NOT NULL PRIMARY KEY DEFAULT true CHECK (singleton),
    rules_version       VARCHAR     NOT NULL,
    rules_applied_at    TIMESTAMPTZ NOT NULL,
    dictionary_version  VARCHAR,
    dictionary_applied_at TIMESTAMPTZ
);
COMMENT ON TABLE extraction_state IS 'Internal: one row saying which version of the extraction rules (etl/posts, RULES_VERSION) and of the security dictionary the derived tables follow. A load run by newer rules queues every article to be derived again; a changed dictionary queues the articles holding a changed name for name matching.';
COMMENT ON COLUMN extraction_state.singleton IS 'Always true: the table holds one row.';
COMMENT ON COLUMN extraction_state.rules_version IS 'RULES_VERSION of the code that queued the articles last derived (etl/posts/version.py): an epoch and a digest of the parser and mention rules'' code.';
COMMENT ON COLUMN extraction_state.rules_applied_at IS 'When that version was recorded: every article was queued then (or the warehouse was new), and the queue (pending_article) holds what is still to derive.';
COMMENT ON COLUMN extraction_state.dictionary_version IS 'Digest of the (secid, name) pairs of the security dictionary the name mentions were last matched with (matched_name holds the pairs); NULL before the first name matching.';
COMMENT ON COLUMN extraction_state.dictionary_applied_at IS 'When that dictionary was recorded and the articles holding its changed names queued (pending_name_match).';

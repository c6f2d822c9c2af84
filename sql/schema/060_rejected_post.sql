CREATE TABLE IF NOT EXISTS rejected_post (
    post_path       VARCHAR     NOT NULL PRIMARY KEY,
    content_sha256  VARCHAR     NOT NULL,
    article_id      VARCHAR     NOT NULL,
    reason          VARCHAR     NOT NULL,
    field_name      VARCHAR,
    line_number     INTEGER,
    raw_text        VARCHAR     NOT NULL,
    rejected_at     TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE rejected_post IS 'Quarantine: one row per source file whose current version cannot become an article, with the reason. Cleared when a fixed version loads.';
COMMENT ON COLUMN rejected_post.post_path IS 'Path of the file relative to the posts folder.';
COMMENT ON COLUMN rejected_post.content_sha256 IS 'SHA-256 of the rejected version (raw_post has its bytes).';
COMMENT ON COLUMN rejected_post.article_id IS 'The article the file would feed.';
COMMENT ON COLUMN rejected_post.reason IS 'What is wrong, in words a person can act on.';
COMMENT ON COLUMN rejected_post.field_name IS 'The front matter field at fault, when one is.';
COMMENT ON COLUMN rejected_post.line_number IS 'Line of the file at fault, when known.';
COMMENT ON COLUMN rejected_post.raw_text IS 'The rejected file''s text (undecodable bytes as U+FFFD).';
COMMENT ON COLUMN rejected_post.rejected_at IS 'When the load rejected it.';

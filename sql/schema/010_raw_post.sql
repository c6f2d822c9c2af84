-- Every version of every source file the loader has read: the warehouse's memory of its input.
CREATE TABLE IF NOT EXISTS raw_post (
    post_path       VARCHAR     NOT NULL,
    content_sha256  VARCHAR     NOT NULL,
    article_id      VARCHAR     NOT NULL,
    partition_date  DATE,
    size_bytes      BIGINT      NOT NULL,
    mtime_ns        BIGINT,
    raw_text        VARCHAR     NOT NULL,
    raw_bytes       BLOB,
    read_error      VARCHAR,
    is_current      BOOLEAN     NOT NULL,
    deleted_at      TIMESTAMPTZ,
    first_seen_at   TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ NOT NULL,
    first_run_id    VARCHAR     NOT NULL,
    PRIMARY KEY (post_path, content_sha256)
);
-- Warehouses created before mtime_ns existed get it here (a column added at the end).
ALTER TABLE raw_post ADD COLUMN IF NOT EXISTS mtime_ns BIGINT;
COMMENT ON TABLE raw_post IS 'One row per version of a source file (path + content hash), kept forever: what the loader read, byte for byte.';
COMMENT ON COLUMN raw_post.post_path IS 'Path of the file relative to the posts folder, with forward slashes (_posts/2022-01-07-202201072239307540.md).';
COMMENT ON COLUMN raw_post.content_sha256 IS 'SHA-256 of the file bytes, hex; a new hash is a new version of the file.';
COMMENT ON COLUMN raw_post.article_id IS 'The article this file feeds, from its name (18-digit EastMoney id, NW dropped; else the file stem).';
COMMENT ON COLUMN raw_post.partition_date IS 'Daily partition of the file: date in the file name, else the front matter date (Asia/Shanghai), else the date inside the id.';
COMMENT ON COLUMN raw_post.size_bytes IS 'File size in bytes.';
COMMENT ON COLUMN raw_post.mtime_ns IS 'Modification time (ns since the epoch) the file had when this version was last read or found unchanged; a later load that finds the same path, size and mtime skips reading it. NULL when the file was too freshly written to trust (it is hashed again next time) or unreadable.';
COMMENT ON COLUMN raw_post.raw_text IS 'File content as UTF-8 text; undecodable bytes shown as U+FFFD (the exact bytes are in raw_bytes).';
COMMENT ON COLUMN raw_post.raw_bytes IS 'Exact file bytes, kept only when they are not valid UTF-8; NULL otherwise.';
COMMENT ON COLUMN raw_post.read_error IS 'Why the file could not be read (permissions, symlink loop); content_sha256 is then the word unreadable.';
COMMENT ON COLUMN raw_post.is_current IS 'True for the version the path held at the latest scan (or last held, if the file was deleted).';
COMMENT ON COLUMN raw_post.deleted_at IS 'When the loader found the file gone from the posts folder; NULL while it exists.';
COMMENT ON COLUMN raw_post.first_seen_at IS 'When a load first read this version.';
COMMENT ON COLUMN raw_post.last_seen_at IS 'When a load last found this version in the posts folder.';
COMMENT ON COLUMN raw_post.first_run_id IS 'Dagster run id of the load that first read this version.';

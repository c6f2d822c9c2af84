-- Work queues between assets: a step that fails leaves its queue for the next run to finish.
CREATE TABLE IF NOT EXISTS pending_article (
    article_id  VARCHAR     NOT NULL PRIMARY KEY,
    queued_at   TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE pending_article IS 'Internal: articles whose source files changed and that the articles asset has yet to rebuild.';
COMMENT ON COLUMN pending_article.article_id IS 'The article to rebuild.';
COMMENT ON COLUMN pending_article.queued_at IS 'When raw_posts queued it.';

CREATE TABLE IF NOT EXISTS staged_article_tag (
    article_id  VARCHAR NOT NULL,
    tag_id      VARCHAR,
    name        VARCHAR,
    kind        VARCHAR
);
COMMENT ON TABLE staged_article_tag IS 'Internal: tags of rebuilt articles, waiting for the article_tags asset; a row with NULL tag_id marks an article with no tags.';
COMMENT ON COLUMN staged_article_tag.article_id IS 'The rebuilt article.';
COMMENT ON COLUMN staged_article_tag.tag_id IS 'Its tag, or NULL for the marker row.';
COMMENT ON COLUMN staged_article_tag.name IS 'Tag name.';
COMMENT ON COLUMN staged_article_tag.kind IS 'tag or category.';

CREATE TABLE IF NOT EXISTS staged_stock_mention (
    article_id      VARCHAR NOT NULL,
    secid           VARCHAR,
    market_id       INTEGER,
    code            VARCHAR,
    name            VARCHAR,
    security_type   VARCHAR,
    mention_count   INTEGER,
    sources         VARCHAR[]
);
COMMENT ON TABLE staged_stock_mention IS 'Internal: mentions of rebuilt articles, waiting for the stock_mentions asset; a row with NULL secid marks an article with no mentions.';
COMMENT ON COLUMN staged_stock_mention.article_id IS 'The rebuilt article.';
COMMENT ON COLUMN staged_stock_mention.secid IS 'Mentioned security, or NULL for the marker row.';
COMMENT ON COLUMN staged_stock_mention.market_id IS 'EastMoney market id.';
COMMENT ON COLUMN staged_stock_mention.code IS 'Security code.';
COMMENT ON COLUMN staged_stock_mention.name IS 'Name as written.';
COMMENT ON COLUMN staged_stock_mention.security_type IS 'Security type.';
COMMENT ON COLUMN staged_stock_mention.mention_count IS 'Occurrences in the article text.';
COMMENT ON COLUMN staged_stock_mention.sources IS 'Which markup or text pattern found it.';

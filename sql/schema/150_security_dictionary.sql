-- The security dictionary the name matcher uses: the names the warehouse learned from code and
-- markup mentions, and the security master a user imported (`etl securities import FILE.csv`).
-- Analysts read both through the security_dictionary view.
CREATE TABLE IF NOT EXISTS learned_security_name (
    secid           VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    article_count   INTEGER NOT NULL,
    mention_count   BIGINT  NOT NULL,
    first_seen_date DATE,
    last_seen_date  DATE,
    PRIMARY KEY (secid, name)
);
COMMENT ON TABLE learned_security_name IS 'One row per security and name that a code or markup mention in a live article (not deleted from the source) gives it (贵州茅台(600519), a keytip link''s text): the names learned from the news itself. Rebuilt whole by the stock_mentions asset after the code and markup mentions are published; mentions found by name alone teach nothing.';
COMMENT ON COLUMN learned_security_name.secid IS 'EastMoney security id MARKET.CODE.';
COMMENT ON COLUMN learned_security_name.name IS 'The name as written before the code or as the link text (stock_mention.name), trimmed.';
COMMENT ON COLUMN learned_security_name.article_count IS 'Articles whose code or markup mention of the security gives this name; ranks the securities that share a name.';
COMMENT ON COLUMN learned_security_name.mention_count IS 'Sum of those mentions'' mention_count.';
COMMENT ON COLUMN learned_security_name.first_seen_date IS 'Publication date of the earliest such article (NULL when none is dated).';
COMMENT ON COLUMN learned_security_name.last_seen_date IS 'Publication date of the latest such article.';

CREATE TABLE IF NOT EXISTS security_master (
    secid           VARCHAR     NOT NULL PRIMARY KEY,
    market_id       INTEGER     NOT NULL,
    code            VARCHAR     NOT NULL,
    name            VARCHAR     NOT NULL,
    full_name       VARCHAR,
    aliases         VARCHAR[]   NOT NULL,
    source_file     VARCHAR     NOT NULL,
    source_line     INTEGER     NOT NULL,
    imported_at     TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE security_master IS 'One row per security of the imported security master (etl securities import FILE.csv; columns in the README): names the matcher finds even where no article ever gave them a code. Re-importing an entry with the same values changes nothing; other values replace the entry.';
COMMENT ON COLUMN security_master.secid IS 'EastMoney security id MARKET.CODE, codes upper case, Hong Kong codes zero-padded to 5 digits (from the secid column, or from market and code).';
COMMENT ON COLUMN security_master.market_id IS 'EastMoney market id (0 Shenzhen/Beijing, 1 Shanghai, 116 Hong Kong, 105/106/107 US, 90 boards, 100 indices).';
COMMENT ON COLUMN security_master.code IS 'Security code, upper case; Hong Kong codes zero-padded to 5 digits.';
COMMENT ON COLUMN security_master.name IS 'The short name (简称) news writes, e.g. 贵州茅台.';
COMMENT ON COLUMN security_master.full_name IS 'The registered full name (贵州茅台酒股份有限公司), matched like an alias; NULL when the file has none.';
COMMENT ON COLUMN security_master.aliases IS 'Other names the security goes by (the file''s aliases column, separated by |), trimmed, without duplicates; empty when none.';
COMMENT ON COLUMN security_master.source_file IS 'The CSV file the entry was last imported from (absolute path).';
COMMENT ON COLUMN security_master.source_line IS 'Line of that file the entry came from.';
COMMENT ON COLUMN security_master.imported_at IS 'When the entry was imported or last changed.';

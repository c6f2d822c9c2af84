CREATE TABLE IF NOT EXISTS security (
    secid           VARCHAR NOT NULL PRIMARY KEY,
    market_id       INTEGER NOT NULL,
    code            VARCHAR NOT NULL,
    exchange        VARCHAR NOT NULL,
    security_type   VARCHAR NOT NULL,
    name            VARCHAR,
    first_seen_date DATE,
    last_seen_date  DATE,
    article_count   INTEGER NOT NULL
);
COMMENT ON TABLE security IS 'One row per security mentioned by a live article (articles deleted from the source are left out, as in the views): a dimension rebuilt from stock_mention after each load.';
COMMENT ON COLUMN security.secid IS 'EastMoney security id MARKET.CODE.';
COMMENT ON COLUMN security.market_id IS 'EastMoney market id.';
COMMENT ON COLUMN security.code IS 'Security code, upper case; Hong Kong zero-padded to 5 digits.';
COMMENT ON COLUMN security.exchange IS 'SSE, SZSE, BSE, HKEX, NASDAQ, NYSE, NYSE American, EastMoney board, Global index, or unknown market N.';
COMMENT ON COLUMN security.security_type IS 'stock, fund, board, index, bond or unknown.';
COMMENT ON COLUMN security.name IS 'Name as written in the latest live article that names it.';
COMMENT ON COLUMN security.first_seen_date IS 'Publication date of the earliest live article that mentions it.';
COMMENT ON COLUMN security.last_seen_date IS 'Publication date of the latest live article that mentions it.';
COMMENT ON COLUMN security.article_count IS 'Number of live articles (not deleted from the source) that mention it.';

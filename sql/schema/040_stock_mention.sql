CREATE TABLE IF NOT EXISTS stock_mention (
    article_id      VARCHAR     NOT NULL,
    secid           VARCHAR     NOT NULL,
    market_id       INTEGER     NOT NULL,
    code            VARCHAR     NOT NULL,
    name            VARCHAR,
    security_type   VARCHAR     NOT NULL,
    mention_count   INTEGER     NOT NULL,
    sources         VARCHAR[]   NOT NULL,
    PRIMARY KEY (article_id, secid)
);
COMMENT ON TABLE stock_mention IS 'One row per article and security it mentions, from EastMoney markup and codes written in text (never from the attribution).';
COMMENT ON COLUMN stock_mention.article_id IS 'The article (article.article_id).';
COMMENT ON COLUMN stock_mention.secid IS 'EastMoney security id MARKET.CODE: 1.600519, 116.00388, 106.NIO, 90.BK0473.';
COMMENT ON COLUMN stock_mention.market_id IS 'EastMoney market id (0 Shenzhen/Beijing, 1 Shanghai, 116 Hong Kong, 105/106/107 US, 90 boards, 100 indices); unknown ids kept as written.';
COMMENT ON COLUMN stock_mention.code IS 'Security code, upper case; Hong Kong codes zero-padded to 5 digits.';
COMMENT ON COLUMN stock_mention.name IS 'Name as written in the article (link text or the words before a code); NULL when only a chart names it.';
COMMENT ON COLUMN stock_mention.security_type IS 'stock, fund, board, index, bond or unknown, from the market and code.';
COMMENT ON COLUMN stock_mention.mention_count IS 'Occurrences in the article text (digest and body), at least 1; the maximum over the article''s copies.';
COMMENT ON COLUMN stock_mention.sources IS 'What found it: chart (K-line block), keytip (first-mention link), repeat (em_stock_key_common), text (code in text), title (code in the title).';

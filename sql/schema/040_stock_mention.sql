CREATE TABLE IF NOT EXISTS stock_mention (
    article_id      VARCHAR     NOT NULL,
    secid           VARCHAR     NOT NULL,
    market_id       INTEGER     NOT NULL,
    code            VARCHAR     NOT NULL,
    name            VARCHAR,
    security_type   VARCHAR     NOT NULL,
    mention_count   INTEGER     NOT NULL,
    sources         VARCHAR[]   NOT NULL,
    in_title        BOOLEAN,
    first_offset    INTEGER,
    name_count      INTEGER,
    relevance       DOUBLE,
    also_secids     VARCHAR[],
    PRIMARY KEY (article_id, secid)
);
-- Warehouses from before name matching get the columns; their next load derives every article again
-- (the extraction rules changed), which fills them.
ALTER TABLE stock_mention ADD COLUMN IF NOT EXISTS in_title BOOLEAN;
ALTER TABLE stock_mention ADD COLUMN IF NOT EXISTS first_offset INTEGER;
ALTER TABLE stock_mention ADD COLUMN IF NOT EXISTS name_count INTEGER;
ALTER TABLE stock_mention ADD COLUMN IF NOT EXISTS relevance DOUBLE;
ALTER TABLE stock_mention ADD COLUMN IF NOT EXISTS also_secids VARCHAR[];
COMMENT ON TABLE stock_mention IS 'One row per article and security it mentions: from EastMoney markup, codes written in text, and names of the security dictionary (security_dictionary) written without a code; never from the source attribution or the media name.';
COMMENT ON COLUMN stock_mention.article_id IS 'The article (article.article_id).';
COMMENT ON COLUMN stock_mention.secid IS 'EastMoney security id MARKET.CODE: 1.600519, 116.00388, 106.NIO, 90.BK0473.';
COMMENT ON COLUMN stock_mention.market_id IS 'EastMoney market id (0 Shenzhen/Beijing, 1 Shanghai, 116 Hong Kong, 105/106/107 US, 90 boards, 100 indices); unknown ids kept as written.';
COMMENT ON COLUMN stock_mention.code IS 'Security code, upper case; Hong Kong codes zero-padded to 5 digits.';
COMMENT ON COLUMN stock_mention.name IS 'Name as written in the article (link text or the words before a code); NULL when only a chart names it.';
COMMENT ON COLUMN stock_mention.security_type IS 'stock, fund, board, index, bond or unknown, from the market and code.';
COMMENT ON COLUMN stock_mention.mention_count IS 'Occurrences in the article text (digest and body), at least 1; the maximum over the article''s copies. For a mention found by name only, the occurrences of its names (name_count), at least 1.';
COMMENT ON COLUMN stock_mention.sources IS 'What found it: chart (K-line block), keytip (first-mention link), repeat (em_stock_key_common), text (code in text), title (code in the title), name (only its name, no code or markup: see name_count).';
COMMENT ON COLUMN stock_mention.in_title IS 'True when the title names the security (its code, or a name the matcher counts there).';
COMMENT ON COLUMN stock_mention.first_offset IS 'Character offset (from 0) in article.body_text of the first place the security appears: a name the matcher counts, or its code; NULL when the body shows neither (a title-only or chart-only mention).';
COMMENT ON COLUMN stock_mention.name_count IS 'Occurrences of its names in the digest and body counted by the name matcher (for a coded mention, the code''s own name included); 0 when no name is found. mention_count is this for a mention found by name only.';
COMMENT ON COLUMN stock_mention.relevance IS 'How central the security is to the article, in [0, 1]: (4 x in_title + 2 x in the lead + min(occurrences, 3) / 3) / 7, the lead being the digest or the first 200 characters of the body (a name or the code there), occurrences the most of name_count and, for a coded mention, mention_count. Title beats lead beats count: a title mention scores at least 4/7, a lead one at least 2/7, a passing mention deep in the body at most 1/7.';
COMMENT ON COLUMN stock_mention.also_secids IS 'For a mention found by name only: the other securities that go by the same name (an A share and its H share), secid being the one chosen (rule 6 of etl/posts/names.py: the Hong Kong listing when the article speaks of Hong Kong trading, else the A share); empty otherwise.';

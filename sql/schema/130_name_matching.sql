-- Name matching (etl/warehouse/names.py): which articles still have to be matched, and with which
-- dictionary the current name mentions were found.
CREATE TABLE IF NOT EXISTS pending_name_match (
    article_id  VARCHAR NOT NULL PRIMARY KEY
);
COMMENT ON TABLE pending_name_match IS 'Internal: articles whose names are still to be matched against the security dictionary: each article whose mentions the stock_mentions step just replaced, and each article holding a name the dictionary added, changed or dropped. Emptied by the same step, a batch per transaction.';
COMMENT ON COLUMN pending_name_match.article_id IS 'The article (article.article_id).';

CREATE TABLE IF NOT EXISTS matched_name (
    secid   VARCHAR NOT NULL,
    name    VARCHAR NOT NULL,
    PRIMARY KEY (secid, name)
);
COMMENT ON TABLE matched_name IS 'Internal: the security dictionary (secid, name and alias pairs) that the current name mentions were matched with; the next load compares the dictionary with it and matches again only the articles holding a name that differs.';
COMMENT ON COLUMN matched_name.secid IS 'EastMoney security id MARKET.CODE.';
COMMENT ON COLUMN matched_name.name IS 'A name or alias of the security in that dictionary.';

-- One row per news story, merged from all of its source files.
CREATE TABLE IF NOT EXISTS article (
    article_id          VARCHAR     NOT NULL PRIMARY KEY,
    title               VARCHAR,
    published_at        TIMESTAMPTZ,
    published_date      DATE,
    category            VARCHAR,
    media               VARCHAR,
    digest              VARCHAR,
    body_text           VARCHAR     NOT NULL,
    source_url          VARCHAR,
    share_url           VARCHAR,
    layout              VARCHAR     NOT NULL,
    post_paths          VARCHAR[]   NOT NULL,
    best_post_path      VARCHAR     NOT NULL,
    title_variants      VARCHAR[]   NOT NULL,
    deleted_from_source BOOLEAN     NOT NULL,
    partition_date      DATE,
    loaded_at           TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE article IS 'One row per news article: its emnews and NW copies and its _posts/old_post copies merged; text from the most complete copy.';
COMMENT ON COLUMN article.article_id IS '18-digit EastMoney article id as text (NW prefix dropped); for a file without one, its file stem.';
COMMENT ON COLUMN article.title IS 'Headline from the front matter; NULL when every copy left it empty.';
COMMENT ON COLUMN article.published_at IS 'Publication time; a date without offset is Asia/Shanghai local time. NULL when every copy left it empty.';
COMMENT ON COLUMN article.published_date IS 'Publication date in Asia/Shanghai; when the time is unknown, the date from the file name or id.';
COMMENT ON COLUMN article.category IS 'Jekyll category of the most complete copy: pinyin of the media name, emnews for the EastMoney rolling feed.';
COMMENT ON COLUMN article.media IS 'Source media from the attribution (文章来源), else the media name of an NW copy''s tag.';
COMMENT ON COLUMN article.digest IS 'The "> " summary line above the HTML body, when the post has one.';
COMMENT ON COLUMN article.body_text IS 'Clean article text, paragraphs separated by a blank line: no markup, chart blocks, hidden spacers, attribution, links or navigation.';
COMMENT ON COLUMN article.source_url IS 'Original EastMoney article URL (finance./stock./hk./futures./mss.eastmoney.com).';
COMMENT ON COLUMN article.share_url IS 'EastMoney share page URL (NewsShare.html?infoCode=NW...) of the media copy.';
COMMENT ON COLUMN article.layout IS 'Body layout of the most complete copy: plain, digest_html, html or digest_only.';
COMMENT ON COLUMN article.post_paths IS 'Paths of all source files that feed this article.';
COMMENT ON COLUMN article.best_post_path IS 'The copy whose text and fields were taken first.';
COMMENT ON COLUMN article.title_variants IS 'Distinct titles when copies disagree (empty when they agree): worth a look.';
COMMENT ON COLUMN article.deleted_from_source IS 'True when every source file of the article has been deleted from the posts folder; the row is kept as history.';
COMMENT ON COLUMN article.partition_date IS 'Daily partition the article was loaded under (earliest of its files).';
COMMENT ON COLUMN article.loaded_at IS 'When this version of the row was written.';

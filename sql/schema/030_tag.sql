CREATE TABLE IF NOT EXISTS tag (
    tag_id  VARCHAR NOT NULL PRIMARY KEY,
    name    VARCHAR NOT NULL,
    kind    VARCHAR NOT NULL
);
COMMENT ON TABLE tag IS 'One row per Jekyll tag or category seen in any post.';
COMMENT ON COLUMN tag.tag_id IS 'Stable id: kind and name, as category:emnews or tag:东财滚动新闻.';
COMMENT ON COLUMN tag.name IS 'The tag or category as written in the front matter.';
COMMENT ON COLUMN tag.kind IS 'tag (media name + 新闻) or category (pinyin of the media name).';

CREATE TABLE IF NOT EXISTS article_tag (
    article_id  VARCHAR NOT NULL,
    tag_id      VARCHAR NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
COMMENT ON TABLE article_tag IS 'One row per article and tag: the union over all copies of the article.';
COMMENT ON COLUMN article_tag.article_id IS 'The article (article.article_id).';
COMMENT ON COLUMN article_tag.tag_id IS 'The tag (tag.tag_id).';

-- Swap in rebuilt articles ($built_article, $built_tag, $built_mention, $new_rejection) and
-- clear the queue they came from, as one unit.
DELETE FROM article WHERE article_id IN (SELECT article_id FROM built_article);
INSERT INTO article BY NAME
SELECT b.*, f.partition_date, $now AS loaded_at
FROM built_article AS b
LEFT JOIN (
    -- The partition an article is loaded under: the earliest of its files' (current versions).
    SELECT article_id, min(partition_date) AS partition_date
    FROM raw_post
    WHERE is_current AND article_id IN (SELECT article_id FROM built_article)
    GROUP BY article_id
) AS f USING (article_id);

-- An article that could not be rebuilt keeps its last good row, but once every one of its files is
-- deleted it is history like any other: its last version being broken does not keep it live.
UPDATE article SET deleted_from_source = true, loaded_at = $now
WHERE NOT deleted_from_source
  AND article_id IN (SELECT article_id FROM pending_batch)
  AND article_id NOT IN (SELECT article_id FROM built_article)
  AND NOT EXISTS (SELECT 1 FROM raw_post AS r
                  WHERE r.article_id = article.article_id AND r.is_current AND r.deleted_at IS NULL);

DELETE FROM rejected_post WHERE article_id IN (SELECT article_id FROM pending_batch);
INSERT INTO rejected_post BY NAME SELECT *, $now AS rejected_at FROM new_rejection;

DELETE FROM staged_article_tag WHERE article_id IN (SELECT article_id FROM built_article);
INSERT INTO staged_article_tag BY NAME SELECT * FROM built_tag;
DELETE FROM staged_stock_mention WHERE article_id IN (SELECT article_id FROM built_article);
INSERT INTO staged_stock_mention BY NAME SELECT * FROM built_mention;

DELETE FROM pending_article WHERE article_id IN (SELECT article_id FROM pending_batch);

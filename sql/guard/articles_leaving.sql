-- Live articles a load would take out of the warehouse: every current file that feeds them is
-- among $gone (files gone from the posts folder), and no file in the folder that the warehouse does
-- not hold yet feeds them ($arriving: their article ids; a folder moved or renamed). With the live
-- articles there are, and the files gone.
WITH feeding AS (
    SELECT r.article_id, bool_and(r.post_path IN (SELECT post_path FROM gone)) AS all_gone
    FROM raw_post AS r
    JOIN article AS a ON a.article_id = r.article_id AND NOT a.deleted_from_source
    WHERE r.is_current AND r.deleted_at IS NULL
    GROUP BY r.article_id
)
SELECT count(*) FILTER (WHERE all_gone AND article_id NOT IN (SELECT article_id FROM arriving)) AS leaving,
       (SELECT count(*) FROM article WHERE NOT deleted_from_source) AS live,
       (SELECT count(*) FROM gone) AS files_gone
FROM feeding

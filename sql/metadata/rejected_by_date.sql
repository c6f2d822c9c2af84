-- The quarantine now, per post date of the rejected files.
SELECT raw_post.partition_date AS day, count(*) AS rejected
FROM rejected_post
JOIN raw_post ON raw_post.post_path = rejected_post.post_path AND raw_post.content_sha256 = rejected_post.content_sha256
GROUP BY ALL
ORDER BY day NULLS LAST

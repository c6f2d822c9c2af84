SELECT 'raw_post' AS "table", count(*) AS "rows" FROM raw_post
UNION ALL SELECT 'article', count(*) FROM article
UNION ALL SELECT 'tag', count(*) FROM tag
UNION ALL SELECT 'article_tag', count(*) FROM article_tag
UNION ALL SELECT 'stock_mention', count(*) FROM stock_mention
UNION ALL SELECT 'security', count(*) FROM security
UNION ALL SELECT 'rejected_post', count(*) FROM rejected_post
UNION ALL SELECT 'learned_security_name', count(*) FROM learned_security_name
UNION ALL SELECT 'security_master', count(*) FROM security_master

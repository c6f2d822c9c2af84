SELECT secid, any_value(name) AS name, count(*) AS articles, sum(mention_count) AS mentions
FROM stock_mention
GROUP BY secid
ORDER BY articles DESC, mentions DESC, secid
LIMIT 5

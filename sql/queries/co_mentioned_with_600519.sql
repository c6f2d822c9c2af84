-- Which securities are mentioned together with 600519 (贵州茅台)?
-- Every security that shares at least one article with 1.600519, over all dates, most shared
-- articles first. Change the secid (both places) to ask about another security.
-- Run: etl sql --file sql/queries/co_mentioned_with_600519.sql
SELECT CASE WHEN secid_a = '1.600519' THEN secid_b ELSE secid_a END AS secid,
       CASE WHEN secid_a = '1.600519' THEN name_b ELSE name_a END AS name,
       CASE WHEN secid_a = '1.600519' THEN security_type_b ELSE security_type_a END AS security_type,
       articles,
       first_date,
       last_date
FROM stock_co_mentions
WHERE '1.600519' IN (secid_a, secid_b)
ORDER BY articles DESC, secid;

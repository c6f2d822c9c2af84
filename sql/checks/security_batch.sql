-- The whole security dimension (the securities asset rebuilds it whole), when an article was loaded
-- since the last clean check of the securities asset ($since; NULL: always); otherwise nothing.
-- Securities come only from the articles' mentions: if no article changed since then, neither did they.
SELECT secid,
       market_id,
       code,
       market_id::VARCHAR || '.' || code AS secid_from_parts,
       exchange,
       security_type,
       article_count,
       first_seen_date,
       last_seen_date
FROM security
WHERE EXISTS (SELECT 1 FROM article WHERE loaded_at > coalesce($since, '-infinity'::TIMESTAMPTZ))
ORDER BY secid

-- The whole security dimension: the securities asset rebuilds it whole on every load.
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
ORDER BY secid

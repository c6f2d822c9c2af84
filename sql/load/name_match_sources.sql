-- What the name matcher reads of the queued articles $first..$last (in queue order): their text, and
-- the code and markup mentions their rebuild published (every column the code parser fills).
SELECT a.article_id,
       a.title,
       a.digest,
       a.body_text,
       a.media,
       coalesce(list({'secid': m.secid, 'market_id': m.market_id, 'code': m.code, 'name': m.name,
                     'security_type': m.security_type, 'mention_count': m.mention_count, 'sources': m.sources} ORDER BY m.secid)
                FILTER (WHERE m.secid IS NOT NULL), []) AS coded
FROM pending_name_match AS q
JOIN article AS a USING (article_id)
LEFT JOIN stock_mention AS m ON m.article_id = a.article_id AND m.sources <> ['name']
WHERE q.article_id BETWEEN $first AND $last
GROUP BY ALL
ORDER BY a.article_id

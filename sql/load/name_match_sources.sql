-- What the name matcher reads of the queued articles $first..$last (in queue order): their text, and
-- the securities their codes and markup already name (secid and the name written there).
SELECT a.article_id,
       a.title,
       a.digest,
       a.body_text,
       a.media,
       coalesce(list({'secid': m.secid, 'name': m.name, 'code': m.code, 'sources': m.sources, 'mention_count': m.mention_count} ORDER BY m.secid)
                FILTER (WHERE m.secid IS NOT NULL), []) AS coded
FROM pending_name_match AS q
JOIN article AS a USING (article_id)
LEFT JOIN stock_mention AS m ON m.article_id = a.article_id AND m.sources <> ['name']
WHERE q.article_id BETWEEN $first AND $last
GROUP BY ALL
ORDER BY a.article_id

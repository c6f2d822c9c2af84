-- What the name matcher reads of the queued articles $first..$last (in queue order): their text, and
-- the code and markup mentions their rebuild published (every column the code parser fills). The
-- mentions are gathered by article before the join, so that no article's text is a grouping key.
SELECT a.article_id,
       a.title,
       a.digest,
       a.body_text,
       a.media,
       coalesce(m.coded, []) AS coded
FROM pending_name_match AS q
JOIN article AS a USING (article_id)
LEFT JOIN (
    SELECT article_id,
           list({'secid': secid, 'market_id': market_id, 'code': code, 'name': name,
                 'security_type': security_type, 'mention_count': mention_count, 'sources': sources} ORDER BY secid) AS coded
    FROM stock_mention
    WHERE sources <> ['name'] AND article_id BETWEEN $first AND $last
    GROUP BY article_id
) AS m USING (article_id)
WHERE q.article_id BETWEEN $first AND $last
ORDER BY a.article_id

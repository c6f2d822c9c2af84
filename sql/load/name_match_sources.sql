-- What the name matcher reads of the queued articles $first..$last (in queue order): their text, and
-- the code and markup mentions their rebuild published, one list per field of
-- `etl.posts.name_facts.CodedMention`, in secid order. The mentions are gathered by article before
-- the join, so that no article's text is a grouping key.
SELECT a.article_id,
       a.title,
       a.digest,
       a.body_text,
       a.media,
       coalesce(m.secids, []) AS coded_secid,
       coalesce(m.names, []) AS coded_name,
       coalesce(m.codes, []) AS coded_code,
       coalesce(m.counts, []) AS coded_mention_count,
       coalesce(m.in_titles, []) AS coded_in_title
FROM pending_name_match AS q
JOIN article AS a USING (article_id)
LEFT JOIN (
    SELECT article_id,
           list(secid ORDER BY secid) AS secids,
           list(name ORDER BY secid) AS names,
           list(code ORDER BY secid) AS codes,
           list(mention_count ORDER BY secid) AS counts,
           list(list_contains(sources, 'title') ORDER BY secid) AS in_titles
    FROM stock_mention
    WHERE sources <> ['name'] AND article_id BETWEEN $first AND $last
    GROUP BY article_id
) AS m USING (article_id)
WHERE q.article_id BETWEEN $first AND $last
ORDER BY a.article_id

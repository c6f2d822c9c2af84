-- Names that the dictionary added, dropped or gave to another security since the name mentions were
-- last matched (matched_name), the dictionary being the registered relation dictionary_names.
SELECT DISTINCT name FROM (
    (SELECT secid, name FROM dictionary_names EXCEPT SELECT secid, name FROM matched_name)
    UNION ALL
    (SELECT secid, name FROM matched_name EXCEPT SELECT secid, name FROM dictionary_names)
)
ORDER BY name

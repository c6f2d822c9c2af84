-- The dictionary (registered relation dictionary_names) is the one the name mentions now follow.
DELETE FROM matched_name;
INSERT INTO matched_name SELECT DISTINCT secid, name FROM dictionary_names;

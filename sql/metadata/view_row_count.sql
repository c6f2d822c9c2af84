-- Rows in one analyst view ($view is its name).
SELECT count(*) FROM query_table($view)

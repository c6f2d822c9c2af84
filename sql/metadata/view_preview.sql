-- The first rows of one analyst view ($view is its name), in the view's own order.
SELECT * FROM query_table($view) LIMIT 5

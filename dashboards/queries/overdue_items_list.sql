-- Chart: the 25 most overdue items (a table for leaders; no text, no person data).
-- Grain: one row per open item that has missed a deadline, under its most overdue deadline;
--   the 25 with most working days overdue (then most severe, then oldest due date).
-- Columns: item_id, county, service_area, unit, deadline, due_date, working_days_overdue,
--   days_overdue, severity, theme (the item's first theme, NULL when none), month_received,
--   deadlines_missed (how many of its deadlines it has missed).
-- Parameters: $county, $service_area, $unit, $period_start, $period_end (on month_received),
--   $theme; NULL = all.
-- Suppression: none; single items, identified only by their pseudonymous item id.
WITH chosen AS NOT MATERIALIZED (
    SELECT * FROM overdue_items
    WHERE ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR month_received >= $period_start)
      AND ($period_end IS NULL OR month_received <= $period_end)
      AND ($theme IS NULL OR list_contains(themes, $theme))
),
most_overdue AS (  -- each item once, at its most overdue deadline (earliest due date)
    SELECT item_id, county, service_area, unit, deadline, due_date, working_days_overdue,
        days_overdue, severity, themes[1] AS theme, month_received
    FROM chosen
    WHERE most_overdue
    ORDER BY working_days_overdue DESC,
        CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2
                      WHEN 'low' THEN 3 ELSE 4 END,
        due_date, item_id
    LIMIT 25
),
missed AS (
    SELECT item_id, count(*) AS deadlines_missed
    FROM chosen
    WHERE item_id IN (SELECT item_id FROM most_overdue)
    GROUP BY item_id
)
SELECT o.*, m.deadlines_missed
FROM most_overdue AS o
JOIN missed AS m ON m.item_id = o.item_id
ORDER BY o.working_days_overdue DESC,
    CASE o.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2
                    WHEN 'low' THEN 3 ELSE 4 END,
    o.due_date, o.item_id;

-- Chart: overdue items by deadline (open items past a due date today).
-- Grain: one row per deadline (all four, items 0 when none): acknowledge, decide_or_answer,
--   return_after_decision, reply_to_client.
-- Columns: deadline_order, deadline, deadline_amount, deadline_unit, items (open items that
--   have missed it), max_working_days_overdue, median_working_days_overdue (interpolated),
--   suppressed.
-- From overdue_items (an item missing two deadlines counts under both).
-- Parameters: $county, $service_area, $unit, $period_start, $period_end (on month_received),
--   $theme; NULL = all.
-- Suppression: a deadline missed by 1-4 items shows its figures NULL, suppressed = true.
WITH chosen AS (
    SELECT * FROM overdue_items
    WHERE ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR month_received >= $period_start)
      AND ($period_end IS NULL OR month_received <= $period_end)
      AND ($theme IS NULL OR list_contains(themes, $theme))
),
per_deadline AS (
    SELECT deadline, count(*) AS items,
        max(working_days_overdue) AS max_working_days_overdue,
        quantile_cont(working_days_overdue, 0.5) AS median_working_days_overdue
    FROM chosen
    GROUP BY deadline
),
judged AS (
    SELECT CASE d.deadline WHEN 'acknowledge' THEN 1 WHEN 'decide_or_answer' THEN 2
                           WHEN 'return_after_decision' THEN 3 ELSE 4 END AS deadline_order,
        d.deadline, d.amount AS deadline_amount, d.unit AS deadline_unit,
        coalesce(p.items, 0) AS items, p.max_working_days_overdue,
        p.median_working_days_overdue,
        is_small_group(coalesce(p.items, 0)) AS suppressed
    FROM deadlines AS d
    LEFT JOIN per_deadline AS p ON p.deadline = d.deadline
)
SELECT deadline_order, deadline, deadline_amount, deadline_unit,
    CASE WHEN NOT suppressed THEN items END AS items,
    CASE WHEN NOT suppressed THEN max_working_days_overdue END AS max_working_days_overdue,
    CASE WHEN NOT suppressed THEN median_working_days_overdue END
        AS median_working_days_overdue,
    suppressed
FROM judged
ORDER BY deadline_order;

-- Chart: overdue items by unit and deadline (the units with most overdue items first).
-- Grain: one row per county × service_area × unit × deadline with overdue items (unit NULL:
--   items of no unit, e.g. statements).
-- Columns: unit_rank (1 = the unit with most overdue items; ties share a rank), county,
--   service_area, unit, unit_items (open items of the unit that missed any deadline, each
--   once, counted on its most overdue deadline), deadline, items (of them, those that missed
--   this deadline), suppressed.
-- Parameters: $county, $service_area, $unit, $period_start, $period_end (on month_received),
--   $theme; NULL = all.
-- Suppression: a row of 1-4 items shows items NULL, suppressed = true; a unit with 1-4 overdue
--   items in all shows unit_items NULL too and is ranked last.
WITH chosen AS NOT MATERIALIZED (
    SELECT * FROM overdue_items
    WHERE ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR month_received >= $period_start)
      AND ($period_end IS NULL OR month_received <= $period_end)
      AND ($theme IS NULL OR list_contains(themes, $theme))
),
per_row AS (
    SELECT county, service_area, unit, deadline, count(*) AS items
    FROM chosen
    GROUP BY ALL
),
per_unit AS (  -- each overdue item once: on the row of its most overdue deadline
    SELECT county, service_area, unit, count(*) AS unit_items
    FROM chosen
    WHERE most_overdue
    GROUP BY ALL
),
ranked AS (
    SELECT r.*, u.unit_items, is_small_group(u.unit_items) AS unit_suppressed,
        dense_rank() OVER (ORDER BY is_small_group(u.unit_items), u.unit_items DESC, r.county,
                                    r.service_area, r.unit) AS unit_rank
    FROM per_row AS r
    JOIN per_unit AS u
        ON u.county = r.county AND u.service_area = r.service_area
        AND u.unit IS NOT DISTINCT FROM r.unit
)
SELECT unit_rank, county, service_area, unit,
    CASE WHEN NOT unit_suppressed THEN unit_items END AS unit_items,
    deadline,
    suppress_small(items) AS items,
    is_small_group(items) AS suppressed
FROM ranked
ORDER BY unit_rank,
    CASE deadline WHEN 'acknowledge' THEN 1 WHEN 'decide_or_answer' THEN 2
                  WHEN 'return_after_decision' THEN 3 ELSE 4 END;

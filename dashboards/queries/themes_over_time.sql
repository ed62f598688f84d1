-- Chart: themes over time, with severity.
-- Grain: one row per month of receipt × theme × severity with items (theme NULL: items without
--   a theme; severity NULL: not classified).
-- Columns: month_received (DATE, first day), month ('YYYY-MM'), theme, severity,
--   severity_order (0 none .. 4 critical), items, suppressed.
-- An item counts under each of its themes (rows of one month do not add up to its items);
--   with $theme, only that theme's rows.
-- Parameters: $county, $service_area, $unit, $period_start, $period_end (on month_received),
--   $theme; NULL = all.
-- Suppression: a row of 1-4 items shows items NULL, suppressed = true.
WITH by_theme_list AS (  -- counted per list of themes first, then spread over its themes
    -- (grouped by the list's hash: comparing a million lists whole costs twice as much)
    SELECT month_received, severity, any_value(themes) AS themes, count(*) AS items
    FROM item_milestones
    WHERE ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR month_received >= $period_start)
      AND ($period_end IS NULL OR month_received <= $period_end)
      AND ($theme IS NULL OR list_contains(themes, $theme))
    GROUP BY month_received, severity, hash(themes)
),
counted AS (
    SELECT month_received, theme, severity, sum(items) AS items
    FROM (SELECT *, unnest(CASE WHEN len(coalesce(themes, [])) = 0 THEN [NULL::VARCHAR]
                                ELSE themes END) AS theme
          FROM by_theme_list)
    WHERE $theme IS NULL OR theme = $theme
    GROUP BY ALL
)
SELECT month_received, strftime(month_received, '%Y-%m') AS month, theme, severity,
    CASE severity WHEN 'none' THEN 0 WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3
                  WHEN 'critical' THEN 4 END AS severity_order,
    suppress_small(items) AS items,
    is_small_group(items) AS suppressed
FROM counted
ORDER BY month_received, theme NULLS LAST, severity_order NULLS LAST;

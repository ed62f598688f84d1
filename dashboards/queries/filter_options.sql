-- Chart: none; the choices of the filter form (county, service area, unit, month, theme).
-- Grain: one row per option: kind × value (units with their county and service area).
-- Columns: kind (county | service_area | unit | month | theme), value (the code; months as
--   'YYYY-MM'), county (units only), service_area (units only), kind_order.
-- Parameters: none (every option in the store; counts are not shown, so nothing is
--   suppressed). From item_milestones.
WITH combos AS (
    SELECT county, service_area, unit, month_received FROM item_milestones GROUP BY ALL
),
themes AS (
    SELECT DISTINCT unnest(themes) AS theme
    -- grouped by the list's hash: a million lists compared whole cost several times more
    FROM (SELECT any_value(themes) AS themes FROM item_milestones GROUP BY hash(themes))
)
SELECT kind, value, county, service_area, kind_order FROM (
    SELECT DISTINCT 'county' AS kind, county AS value, NULL AS county, NULL AS service_area,
        1 AS kind_order
    FROM combos
    UNION ALL
    SELECT DISTINCT 'service_area', service_area, NULL, NULL, 2 FROM combos
    UNION ALL
    SELECT DISTINCT 'unit', unit, county, service_area, 3 FROM combos WHERE unit IS NOT NULL
    UNION ALL
    SELECT DISTINCT 'month', strftime(month_received, '%Y-%m'), NULL, NULL, 4 FROM combos
    UNION ALL
    SELECT 'theme', theme, NULL, NULL, 5 FROM themes
)
ORDER BY kind_order, county NULLS FIRST, service_area NULLS FIRST, value;

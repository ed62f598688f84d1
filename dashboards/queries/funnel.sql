-- Chart: the flow funnel (received → acknowledged → reached leadership → reached decision-makers
-- → decided → returned).
-- Grain: one row per stage, stage_order 1..6.
-- Columns: stage_order, stage (received | acknowledged | reached_leadership |
--   reached_decision_makers | decided | returned), items (items that reached the stage),
--   share_of_received (items / received, 0..1), suppressed.
-- Parameters: $county, $service_area, $unit, $period_start, $period_end (on month_received),
--   $theme; NULL = all.
-- The sum of the flow_funnel view's rows under the same filters (each item once); with a theme,
-- the sum of flow_funnel_by_theme's rows of that theme (items having the theme, once each).
-- Suppression: a stage reached by 1-4 items shows items and share NULL and suppressed = true;
-- when fewer than 5 items were received, every stage is suppressed. 0 is shown (nobody in it).
WITH chosen AS (
    SELECT received, acknowledged, reached_leadership, reached_decision_makers, decided,
        returned
    FROM flow_funnel
    WHERE $theme IS NULL
      AND ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR month_received >= $period_start)
      AND ($period_end IS NULL OR month_received <= $period_end)
    UNION ALL
    SELECT received, acknowledged, reached_leadership, reached_decision_makers, decided,
        returned
    FROM flow_funnel_by_theme
    WHERE $theme IS NOT NULL AND theme = $theme
      AND ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR month_received >= $period_start)
      AND ($period_end IS NULL OR month_received <= $period_end)
),
totals AS (
    SELECT coalesce(sum(received), 0) AS received,
        coalesce(sum(acknowledged), 0) AS acknowledged,
        coalesce(sum(reached_leadership), 0) AS reached_leadership,
        coalesce(sum(reached_decision_makers), 0) AS reached_decision_makers,
        coalesce(sum(decided), 0) AS decided,
        coalesce(sum(returned), 0) AS returned
    FROM chosen
),
stages AS (
    SELECT s.stage_order, s.stage, CAST(s.items AS BIGINT) AS items, t.received
    FROM totals AS t,
    LATERAL (VALUES
        (1, 'received', t.received),
        (2, 'acknowledged', t.acknowledged),
        (3, 'reached_leadership', t.reached_leadership),
        (4, 'reached_decision_makers', t.reached_decision_makers),
        (5, 'decided', t.decided),
        (6, 'returned', t.returned)
    ) AS s(stage_order, stage, items)
),
judged AS (
    SELECT *, is_small_group(items) OR is_small_group(received) AS suppressed
    FROM stages
)
SELECT stage_order, stage,
    CASE WHEN NOT suppressed THEN items END AS items,
    CASE WHEN NOT suppressed AND received > 0 THEN items / received END AS share_of_received,
    suppressed
FROM judged
ORDER BY stage_order;

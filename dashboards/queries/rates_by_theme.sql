-- Chart: reach and return rates by theme (docs/taxonomy.md).
-- Grain: one row per theme (NULL: items without a theme). An item counts under each
--   of its themes (rows do not add up to items); with $theme, only that theme's row.
-- Columns: dimension_value (theme code), items (client knowledge items received),
--   acknowledged, acknowledged_share, reached_leadership, reached_leadership_share, decided,
--   returned, returned_share, reply_requested, replied_to_client, replied_share_of_requested,
--   suppressed, reply_suppressed (as rates_by's, docs/data-dictionary.md).
-- Parameters: $county, $service_area, $unit, $period_start, $period_end (on month_received),
--   $theme (items having the theme); NULL = all.
-- The figures are the table macro rates_by (sinks/analytics.sql), with the small-group
--   suppression of sinks/suppression.sql; this file picks the dimension, columns and order.
SELECT * EXCLUDE (county, service_area, month_received)
FROM rates_by('theme', in_county := $county, in_service_area := $service_area,
    in_unit := $unit, period_start := $period_start, period_end := $period_end,
    with_theme := $theme)
ORDER BY dimension_value NULLS LAST;

-- Chart: reach and return rates by theme (docs/taxonomy.md).
-- Grain: one row per theme (NULL: items without a theme).
-- Columns: dimension_value (theme code), items (client knowledge items received),
--   acknowledged, acknowledged_share, reached_leadership, reached_leadership_share, decided,
--   returned, returned_share, reply_requested (the client asked for a reply and gave contact
--   details), replied_to_client, replied_share_of_requested, suppressed, reply_suppressed.
--   Shares are 0..1 of items (replied_share_of_requested: of reply_requested).
-- Parameters: $county, $service_area, $unit, $period_start, $period_end (on month_received),
--   $theme (items having the theme); NULL = all.
-- From item_milestones: counts added up, shares divided from the sums. An item counts under each
--   of its themes (rows do not add up to items); with $theme, only that theme's row.
-- Suppression: a row of fewer than 5 items shows every figure NULL and suppressed = true; the
-- reply figures are NULL (reply_suppressed = true) also when 1-4 clients asked for a reply.
WITH by_theme_list AS (  -- counted per list of themes first, then spread over its themes
    SELECT themes,
        count(*) AS items,
        count(acknowledged_at) AS acknowledged,
        count(reached_leadership_at) AS reached_leadership,
        count(decided_at) AS decided,
        count(returned_at) AS returned,
        count(*) FILTER (WHERE reply_requested AND contact_given) AS reply_requested,
        count(*) FILTER (WHERE reply_requested AND contact_given
                         AND returned_to_client_at IS NOT NULL) AS replied_to_client
    FROM item_milestones
    WHERE ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR month_received >= $period_start)
      AND ($period_end IS NULL OR month_received <= $period_end)
      AND ($theme IS NULL OR list_contains(themes, $theme))
    GROUP BY themes
),
by_theme AS (
    SELECT *, unnest(CASE WHEN len(coalesce(themes, [])) = 0 THEN [NULL::VARCHAR]
                          ELSE themes END) AS theme
    FROM by_theme_list
),
counts AS (
    SELECT theme AS dimension_value,
        sum(items) AS items, sum(acknowledged) AS acknowledged,
        sum(reached_leadership) AS reached_leadership, sum(decided) AS decided,
        sum(returned) AS returned, sum(reply_requested) AS reply_requested,
        sum(replied_to_client) AS replied_to_client
    FROM by_theme
    WHERE $theme IS NULL OR theme = $theme
    GROUP BY theme
)
SELECT dimension_value,
    CASE WHEN NOT suppressed THEN items END AS items,
    CASE WHEN NOT suppressed THEN acknowledged END AS acknowledged,
    CASE WHEN NOT suppressed THEN acknowledged / items END AS acknowledged_share,
    CASE WHEN NOT suppressed THEN reached_leadership END AS reached_leadership,
    CASE WHEN NOT suppressed THEN reached_leadership / items END AS reached_leadership_share,
    CASE WHEN NOT suppressed THEN decided END AS decided,
    CASE WHEN NOT suppressed THEN returned END AS returned,
    CASE WHEN NOT suppressed THEN returned / items END AS returned_share,
    CASE WHEN NOT reply_suppressed THEN reply_requested END AS reply_requested,
    CASE WHEN NOT reply_suppressed THEN replied_to_client END AS replied_to_client,
    CASE WHEN NOT reply_suppressed AND reply_requested > 0
        THEN replied_to_client / reply_requested END AS replied_share_of_requested,
    suppressed, reply_suppressed
FROM (
    SELECT *, items < 5 AS suppressed,
        items < 5 OR reply_requested BETWEEN 1 AND 4 AS reply_suppressed
    FROM counts
)
ORDER BY dimension_value NULLS LAST;

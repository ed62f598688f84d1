-- Analytics macros: the chart figures that differ only in what they are counted by, written
-- once. Documented in docs/data-dictionary.md; the chart queries call them
-- (dashboards/queries/rates_by_*.sql).
-- Grain: each macro's own, stated above it.
--
-- Run by sinks/store.py after views.sql (a table macro is bound when it is created, so
-- item_milestones must exist) and suppression.sql (small groups). Created in the store, not
-- TEMP, so the published snapshot carries them to every reader.

-- Reach and return rates of the client knowledge items received, by one dimension.
-- Grain: one row per value of the dimension:
--   'county', 'service_area', 'channel' (NULL: workshop outputs and statements have none),
--   'month' (of receipt, Finnish time), 'theme' (NULL: items without a theme; an item counts
--   under each of its themes, so rows do not add up to items; with_theme keeps only its row),
--   'unit' (one row per county × service area × unit; unit NULL: items of no unit).
-- Columns: dimension_value (the code; a month as 'YYYY-MM'), county and service_area (the
--   unit's; 'unit' only, else NULL), month_received (DATE, first day; 'month' only, else NULL),
--   items, acknowledged, acknowledged_share, reached_leadership, reached_leadership_share,
--   decided, returned, returned_share, reply_requested (asked for a reply, as in
--   return_rates), replied_to_client, replied_share_of_requested, delivered_to_client (of
--   those replied to, the answers the notifier delivered: a `sent` in reply_deliveries,
--   sinks/notifications.sql), suppressed, reply_suppressed.
--   Shares are 0..1 of items (replied_share_of_requested: of reply_requested).
-- Filters, NULL = all: in_county, in_service_area, in_unit, period_start, period_end (DATEs,
--   first days of months, on month_received, both included), with_theme (items having it).
-- Counts are added up and shares divided from the sums. Suppression (suppression.sql): a small
--   group shows every figure NULL and suppressed = true; the reply figures are NULL
--   (reply_suppressed = true) also when a small group of clients asked for a reply.
-- How: counted per key first (for 'theme', per list of themes), then spread over the themes;
--   the dimension is a constant, so the CASEs on it cost nothing per row.
CREATE OR REPLACE MACRO rates_by(dimension, in_county := NULL, in_service_area := NULL,
        in_unit := NULL, period_start := NULL, period_end := NULL, with_theme := NULL) AS TABLE
WITH counted AS (
    SELECT
        CASE dimension
            WHEN 'county' THEN county
            WHEN 'service_area' THEN service_area
            WHEN 'unit' THEN unit
            WHEN 'channel' THEN channel
            WHEN 'month' THEN NULL  -- named after counting: strftime on every row is slow
            WHEN 'theme' THEN NULL
            ELSE error('rates_by: the dimension is county, service_area, unit, theme, '
                       || 'channel or month, not ' || dimension)
        END AS key,
        -- a list's hash groups several times faster than the list compared whole
        CASE WHEN dimension = 'theme' THEN hash(themes) END AS theme_key,
        any_value(CASE WHEN dimension = 'theme' THEN themes END) AS theme_list,
        CASE WHEN dimension = 'unit' THEN county END AS unit_county,
        CASE WHEN dimension = 'unit' THEN service_area END AS unit_service_area,
        CASE WHEN dimension = 'month' THEN month_received END AS month,
        count(*) AS items,
        count(acknowledged_at) AS acknowledged,
        count(reached_leadership_at) AS reached_leadership,
        count(decided_at) AS decided,
        count(returned_at) AS returned,
        count(*) FILTER (WHERE reply_requested) AS reply_requested,
        count(*) FILTER (WHERE reply_requested AND returned_to_client_at IS NOT NULL)
            AS replied_to_client,
        -- returned is a manager's word; delivered, that the answer reached the client
        count(*) FILTER (WHERE reply_requested AND returned_to_client_at IS NOT NULL
                           AND item_id IN (SELECT item_id FROM reply_deliveries
                                           WHERE status = 'sent')) AS delivered_to_client
    FROM item_milestones
    WHERE (in_county IS NULL OR county = in_county)
      AND (in_service_area IS NULL OR service_area = in_service_area)
      AND (in_unit IS NULL OR unit = in_unit)
      AND (period_start IS NULL OR month_received >= period_start)
      AND (period_end IS NULL OR month_received <= period_end)
      AND (with_theme IS NULL OR list_contains(themes, with_theme))
    GROUP BY key, theme_key, unit_county, unit_service_area, month
),
spread AS (
    SELECT *, unnest(CASE WHEN dimension = 'month' THEN [strftime(month, '%Y-%m')]
                          WHEN dimension <> 'theme' THEN [key]
                          WHEN len(coalesce(theme_list, [])) = 0 THEN [NULL::VARCHAR]
                          ELSE theme_list END) AS dimension_value
    FROM counted
),
summed AS (
    SELECT dimension_value, unit_county AS county, unit_service_area AS service_area,
        month AS month_received,
        sum(items)::BIGINT AS items, sum(acknowledged)::BIGINT AS acknowledged,
        sum(reached_leadership)::BIGINT AS reached_leadership,
        sum(decided)::BIGINT AS decided, sum(returned)::BIGINT AS returned,
        sum(reply_requested)::BIGINT AS reply_requested,
        sum(replied_to_client)::BIGINT AS replied_to_client,
        sum(delivered_to_client)::BIGINT AS delivered_to_client
    FROM spread
    WHERE with_theme IS NULL OR dimension <> 'theme' OR dimension_value = with_theme
    GROUP BY ALL
),
judged AS (
    SELECT *, is_small_group(items) AS suppressed,
        is_small_group(items) OR is_small_group(reply_requested) AS reply_suppressed
    FROM summed
)
SELECT dimension_value, county, service_area, month_received,
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
    CASE WHEN NOT reply_suppressed THEN delivered_to_client END AS delivered_to_client,
    suppressed, reply_suppressed
FROM judged;

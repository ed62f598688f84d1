-- Chart: the trend over time: items received per week or month and how many of them have
--   reached a milestone, with the still-open part of each period shown apart (recent periods
--   must not look worse only because their items are still open), and each period compared
--   with the one before it.
-- Grain: one row per period of receipt (Finnish time): an ISO week (Monday) or a month.
-- Columns: period_start (DATE: the week's Monday or the month's first day), period ('YYYY-MM'
--   or 'YYYY-Www'), items (received in the period), reached (of them, reached the milestone by
--   now), closed_unreached (closed without reaching it), still_open (neither: still open),
--   reached_share (0..1 of items), previous_items, items_change (items minus the period
--   before's), previous_reached_share, reached_share_change (in shares, 0..1), suppressed (a
--   small group: every figure NULL).
-- Parameters: $grain ('week' | 'month'), $milestone ('acknowledged' | 'decided' |
--   'returned'), $county, $service_area, $unit, $period_start, $period_end (on
--   month_received), $theme (items having it); NULL = all.
-- Suppression: suppress_small (sinks/suppression.sql) on every figure of a period of 1-4
--   items; a comparison with a suppressed period is NULL.
WITH chosen AS NOT MATERIALIZED (
    SELECT
        CASE $grain
            WHEN 'week' THEN CAST(date_trunc('week', received_on) AS DATE)
            WHEN 'month' THEN month_received
            ELSE error('trend: the grain is week or month, not ' || $grain)
        END AS period_start,
        CASE $milestone
            WHEN 'acknowledged' THEN acknowledged_at
            WHEN 'decided' THEN decided_at
            WHEN 'returned' THEN returned_at
            ELSE error('trend: the milestone is acknowledged, decided or returned, not '
                       || $milestone)
        END AS reached_at,
        closed_at
    FROM item_milestones
    WHERE ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR month_received >= $period_start)
      AND ($period_end IS NULL OR month_received <= $period_end)
      AND ($theme IS NULL OR list_contains(themes, $theme))
),
counted AS (
    SELECT period_start, count(*) AS n, count(reached_at) AS n_reached,
        count(*) FILTER (WHERE reached_at IS NULL AND closed_at IS NOT NULL) AS n_closed
    FROM chosen
    GROUP BY period_start
),
published AS (
    SELECT period_start,
        CASE $grain WHEN 'week' THEN strftime(period_start, '%G-W%V')
                    ELSE strftime(period_start, '%Y-%m') END AS period,
        suppress_small(n) AS items,
        suppress_small(n_reached, n) AS reached,
        suppress_small(n_closed, n) AS closed_unreached,
        suppress_small(n - n_reached - n_closed, n) AS still_open,
        suppress_small(n_reached / n, n) AS reached_share,
        coalesce(is_small_group(n), false) AS suppressed
    FROM counted
)
SELECT period_start, period, items, reached, closed_unreached, still_open, reached_share,
    lag(items) OVER w AS previous_items,
    items - lag(items) OVER w AS items_change,
    lag(reached_share) OVER w AS previous_reached_share,
    reached_share - lag(reached_share) OVER w AS reached_share_change,
    suppressed
FROM published
WINDOW w AS (ORDER BY period_start)
ORDER BY period_start;

-- Chart: lead times against the deadlines (summary beside the distributions).
-- Grain: one row per measure, measure_order 1..5: acknowledge, reach_leadership, decide,
--   return (each from receipt), decision_to_return (from the decision).
-- Columns: measure_order, measure, items (items that reached the measure's milestone),
--   median_working_days, p90_working_days (working days, item_milestones.working_days_to_*),
--   median_days, p90_days (calendar days between the Finnish dates, days_to_*); percentiles
--   interpolated as quantile_cont (PERCENTILE.INC), like lead_times; deadline (the deadline the
--   measure is judged by: acknowledge; decide and return by decide_or_answer;
--   decision_to_return by return_after_decision; reach_leadership has none: NULL),
--   deadline_amount, deadline_unit (working_days | calendar_days), within_deadline (items whose
--   milestone's Finnish date is on or before the due date, <deadline>_due_on, as overdue_items
--   counts it), within_deadline_share (0..1 of items), suppressed.
-- Parameters: $county, $service_area, $unit, $period_start, $period_end (on month_received),
--   $theme; NULL = all.
-- Suppression: a measure reached by 1-4 items shows every figure NULL, suppressed = true.
-- How: one histogram per measure (items by whole days), percentiles read off it exactly: a
--   scan of a million items, not a sort of five million durations.
WITH chosen AS NOT MATERIALIZED (
    SELECT * FROM item_milestones
    WHERE ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR month_received >= $period_start)
      AND ($period_end IS NULL OR month_received <= $period_end)
      AND ($theme IS NULL OR list_contains(themes, $theme))
),
histogram AS (  -- measure × working days × calendar days × met in time: items
    SELECT 'acknowledge' AS measure, working_days_to_acknowledge AS working_days,
        days_to_acknowledge AS days,
        received_on + days_to_acknowledge <= acknowledge_due_on AS within, count(*) AS items
    FROM chosen WHERE days_to_acknowledge IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT 'reach_leadership', working_days_to_reach_leadership, days_to_reach_leadership,
        NULL, count(*)
    FROM chosen WHERE days_to_reach_leadership IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT 'decide', working_days_to_decide, days_to_decide,
        received_on + days_to_decide <= decide_or_answer_due_on, count(*)
    FROM chosen WHERE days_to_decide IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT 'return', working_days_to_return, days_to_return,
        received_on + days_to_return <= decide_or_answer_due_on, count(*)
    FROM chosen WHERE days_to_return IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT 'decision_to_return', working_days_decision_to_return, days_decision_to_return,
        decided_on + days_decision_to_return <= return_after_decision_due_on, count(*)
    FROM chosen WHERE days_decision_to_return IS NOT NULL GROUP BY ALL
),
values_by_scale AS (  -- measure × scale × value: items, with the ranks the value holds
    SELECT measure, scale, v, n,
        sum(n) OVER (PARTITION BY measure, scale ORDER BY v) - n AS first_rank,
        sum(n) OVER (PARTITION BY measure, scale ORDER BY v) - 1 AS last_rank,
        sum(n) OVER (PARTITION BY measure, scale) AS total
    FROM (
        SELECT measure, 'working_days' AS scale, working_days AS v, sum(items) AS n
        FROM histogram GROUP BY ALL
        UNION ALL
        SELECT measure, 'days', days, sum(items) FROM histogram GROUP BY ALL
    )
),
percentiles AS (  -- quantile_cont: the values at ranks floor(q(n-1)) and ceil(q(n-1)), mixed
    SELECT measure, scale, q,
        max(v) FILTER (WHERE floor(q * (total - 1)) BETWEEN first_rank AND last_rank) AS lo,
        max(v) FILTER (WHERE ceil(q * (total - 1)) BETWEEN first_rank AND last_rank) AS hi,
        any_value(q * (total - 1) - floor(q * (total - 1))) AS fraction
    FROM values_by_scale CROSS JOIN (VALUES (0.5::DOUBLE), (0.9::DOUBLE)) AS p(q)
    GROUP BY ALL
),
summary AS (
    SELECT h.measure, h.items, h.within_deadline,
        max(p.lo + p.fraction * (p.hi - p.lo))
            FILTER (WHERE p.scale = 'working_days' AND p.q = 0.5) AS median_working_days,
        max(p.lo + p.fraction * (p.hi - p.lo))
            FILTER (WHERE p.scale = 'working_days' AND p.q = 0.9) AS p90_working_days,
        max(p.lo + p.fraction * (p.hi - p.lo))
            FILTER (WHERE p.scale = 'days' AND p.q = 0.5) AS median_days,
        max(p.lo + p.fraction * (p.hi - p.lo))
            FILTER (WHERE p.scale = 'days' AND p.q = 0.9) AS p90_days
    FROM (SELECT measure, sum(items) AS items,
                 coalesce(sum(items) FILTER (WHERE within), 0) AS within_deadline
          FROM histogram GROUP BY measure) AS h
    JOIN percentiles AS p ON p.measure = h.measure
    GROUP BY ALL
),
measures(measure_order, measure, deadline) AS (
    VALUES (1, 'acknowledge', 'acknowledge'), (2, 'reach_leadership', NULL),
           (3, 'decide', 'decide_or_answer'), (4, 'return', 'decide_or_answer'),
           (5, 'decision_to_return', 'return_after_decision')
),
judged AS (
    SELECT m.measure_order, m.measure, m.deadline, d.amount AS deadline_amount,
        d.unit AS deadline_unit, coalesce(s.items, 0) AS items, s.median_working_days,
        s.p90_working_days, s.median_days, s.p90_days, s.within_deadline,
        is_small_group(coalesce(s.items, 0)) AS suppressed
    FROM measures AS m
    LEFT JOIN summary AS s ON s.measure = m.measure
    LEFT JOIN deadlines AS d ON d.deadline = m.deadline
)
SELECT measure_order, measure,
    CASE WHEN NOT suppressed THEN items END AS items,
    CASE WHEN NOT suppressed THEN median_working_days END AS median_working_days,
    CASE WHEN NOT suppressed THEN p90_working_days END AS p90_working_days,
    CASE WHEN NOT suppressed THEN median_days END AS median_days,
    CASE WHEN NOT suppressed THEN p90_days END AS p90_days,
    deadline, deadline_amount, deadline_unit,
    CASE WHEN NOT suppressed AND deadline IS NOT NULL THEN within_deadline END
        AS within_deadline,
    CASE WHEN NOT suppressed AND deadline IS NOT NULL AND items > 0
        THEN within_deadline / items END AS within_deadline_share,
    suppressed
FROM judged
ORDER BY measure_order;

-- Chart: lead-time distributions against the deadlines (one histogram per measure).
-- Grain: one row per measure × bucket: 5 measures (as lead_time_summary) × 10 buckets, every
--   bucket present (items 0 when empty), so each histogram has the same axis.
-- Columns: measure_order, measure, bucket_order (1..10), bucket (label: '0', '1', '2', '3',
--   '4–5', '6–10', '11–20', '21–30', '31–60', '61+'), bucket_from, bucket_to (NULL: open),
--   day_unit (working_days | calendar_days: the unit of the measure's deadline; working days
--   when it has none), deadline, deadline_amount, items (items whose lead time falls in the
--   bucket), beyond_deadline (the whole bucket lies beyond the deadline's amount; false when
--   there is no deadline), suppressed.
-- Lead times in calendar days are between the Finnish dates (days_to_*), in working days as in
--   item_milestones (working_days_to_*). A calendar-day deadline falling on a non-working day
--   moves to the next working day, so a few items in the first bucket beyond it were on time
--   (lead_time_summary.within_deadline counts them exactly).
-- Parameters: $county, $service_area, $unit, $period_start, $period_end (on month_received),
--   $theme; NULL = all.
-- Suppression: a bucket of 1-4 items shows items NULL, suppressed = true (0 is shown).
WITH chosen AS NOT MATERIALIZED (
    SELECT * FROM item_milestones
    WHERE ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR month_received >= $period_start)
      AND ($period_end IS NULL OR month_received <= $period_end)
      AND ($theme IS NULL OR list_contains(themes, $theme))
),
histogram AS (  -- measure × working days × calendar days: items (one scan per measure)
    SELECT 'acknowledge' AS measure, working_days_to_acknowledge AS working_days,
        days_to_acknowledge AS days, count(*) AS items
    FROM chosen WHERE days_to_acknowledge IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT 'reach_leadership', working_days_to_reach_leadership, days_to_reach_leadership,
        count(*)
    FROM chosen WHERE days_to_reach_leadership IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT 'decide', working_days_to_decide, days_to_decide, count(*)
    FROM chosen WHERE days_to_decide IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT 'return', working_days_to_return, days_to_return, count(*)
    FROM chosen WHERE days_to_return IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT 'decision_to_return', working_days_decision_to_return, days_decision_to_return,
        count(*)
    FROM chosen WHERE days_decision_to_return IS NOT NULL GROUP BY ALL
),
measures(measure_order, measure, deadline) AS (
    VALUES (1, 'acknowledge', 'acknowledge'), (2, 'reach_leadership', NULL),
           (3, 'decide', 'decide_or_answer'), (4, 'return', 'decide_or_answer'),
           (5, 'decision_to_return', 'return_after_decision')
),
buckets(bucket_order, bucket, bucket_from, bucket_to) AS (
    VALUES (1, '0', 0, 0), (2, '1', 1, 1), (3, '2', 2, 2), (4, '3', 3, 3), (5, '4–5', 4, 5),
           (6, '6–10', 6, 10), (7, '11–20', 11, 20), (8, '21–30', 21, 30),
           (9, '31–60', 31, 60), (10, '61+', 61, NULL)
),
axes AS (
    SELECT m.measure_order, m.measure, m.deadline, d.amount AS deadline_amount,
        coalesce(d.unit, 'working_days') AS day_unit, b.*
    FROM measures AS m
    LEFT JOIN deadlines AS d ON d.deadline = m.deadline
    CROSS JOIN buckets AS b
),
counted AS (
    SELECT a.measure_order, a.measure, a.bucket_order, a.bucket, a.bucket_from, a.bucket_to,
        a.day_unit, a.deadline, a.deadline_amount,
        coalesce(sum(h.items), 0) AS items,
        coalesce(a.bucket_from > a.deadline_amount, false) AS beyond_deadline
    FROM axes AS a
    LEFT JOIN histogram AS h
        ON h.measure = a.measure
        AND greatest(CASE a.day_unit WHEN 'working_days' THEN h.working_days ELSE h.days END, 0)
            BETWEEN a.bucket_from AND coalesce(a.bucket_to, 2147483647)
    GROUP BY ALL
)
SELECT measure_order, measure, bucket_order, bucket, bucket_from, bucket_to, day_unit,
    deadline, deadline_amount,
    suppress_small(items) AS items,
    beyond_deadline,
    is_small_group(items) AS suppressed
FROM counted
ORDER BY measure_order, bucket_order;

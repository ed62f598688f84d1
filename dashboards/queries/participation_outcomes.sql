-- Chart: what became of the participation's outputs (workshop output items and expert
--   statements).
-- Grain: one row per source_family (workshop_output | expert_statement) × target × outcome
--   with items, plus (rollup = true) one row per source_family × outcome over all targets.
--   target: whom a workshop output was meant for (unit, service_area, county_policy,
--   decision_under_preparation); NULL on rollup rows and for statements, which have no target
--   (so statements have rollup rows only).
-- Columns: rollup, source_family, target, outcome_order, outcome (the first decision's outcome:
--   adopted, partly, already_under_way, no_action_needed, rejected; else
--   'returned_without_decision' or 'pending'), items, reached_decision_makers (of them,
--   presented to a political body), returned (of them, returned to the group or expert),
--   suppressed.
-- Parameters: $county, $service_area, $unit, $period_start, $period_end (on month_received),
--   $theme; NULL = all.
-- Suppression: a row of 1-4 items shows its figures NULL, suppressed = true.
WITH chosen AS (
    SELECT i.*, k.target,
        coalesce(i.outcome, CASE WHEN i.returned_at IS NOT NULL
                                 THEN 'returned_without_decision' ELSE 'pending' END)
            AS outcome_or_state
    FROM item_milestones AS i
    JOIN knowledge_items AS k ON k.item_id = i.item_id
    WHERE i.source_family IN ('workshop_output', 'expert_statement')
      AND k.source_family IN ('workshop_output', 'expert_statement')
      AND ($county IS NULL OR i.county = $county)
      AND ($service_area IS NULL OR i.service_area = $service_area)
      AND ($unit IS NULL OR i.unit = $unit)
      AND ($period_start IS NULL OR i.month_received >= $period_start)
      AND ($period_end IS NULL OR i.month_received <= $period_end)
      AND ($theme IS NULL OR list_contains(i.themes, $theme))
),
counted AS (
    SELECT grouping(target) = 1 AS rollup, source_family, target,
        outcome_or_state AS outcome,
        count(*) AS items,
        count(reached_decision_makers_at) AS reached_decision_makers,
        count(returned_at) AS returned
    FROM chosen
    GROUP BY GROUPING SETS ((source_family, target, outcome_or_state),
                            (source_family, outcome_or_state))
)
SELECT rollup, source_family, target,
    CASE outcome WHEN 'adopted' THEN 1 WHEN 'partly' THEN 2 WHEN 'already_under_way' THEN 3
                 WHEN 'no_action_needed' THEN 4 WHEN 'rejected' THEN 5
                 WHEN 'returned_without_decision' THEN 6 ELSE 7 END AS outcome_order,
    outcome,
    suppress_small(items) AS items,
    suppress_small(reached_decision_makers, items) AS reached_decision_makers,
    suppress_small(returned, items) AS returned,
    is_small_group(items) AS suppressed
FROM counted
WHERE rollup OR source_family = 'workshop_output'
ORDER BY source_family DESC, rollup DESC,
    CASE target WHEN 'unit' THEN 1 WHEN 'service_area' THEN 2 WHEN 'county_policy' THEN 3
                WHEN 'decision_under_preparation' THEN 4 ELSE 5 END,
    outcome_order;

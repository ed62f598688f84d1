-- Macros the quality frames share. TEMP: the store is opened read-only; they live only in the
-- checking connection.
-- Grain: each macro's own, in the `Grain:` comment above it.

-- Grain: one row per item of `relation` (knowledge_items or item_milestones) whose milestones
-- are out of order: the pairs, as 'decided_at > returned_at, ...'.
--
-- The order that the lifecycle guarantees (streams/lifecycle.py): a person's step is never timed
-- before the item's receipt or before the previous person's step, and steps are never
-- reordered; escalation and presentation need an acknowledgement first. So, where present:
--   received ≤ acknowledged ≤ escalated ≤ reached decision-makers ≤ decided ≤ returned ≤ closed.
-- Not in the chain: classified and routed (the worker's steps, timed when it gets to the item,
-- which for replayed or back-dated history is after the people's steps), and reached
-- leadership: it is the first step by leadership or a decision-maker whatever the step (e.g. a
-- leadership return after a unit's decision), or a weekly signal's acknowledgement (before or
-- after the item's own steps); it is only never before receipt (checked in the frames).
-- Consecutive present milestones in order means every pair is.
CREATE OR REPLACE TEMP MACRO milestones_out_of_order(relation) AS TABLE
WITH present AS (
    UNPIVOT (
        SELECT item_id, received_at, acknowledged_at, escalated_at, reached_decision_makers_at,
            decided_at, returned_at, closed_at
        FROM query_table(relation)
    )
    ON received_at, acknowledged_at, escalated_at, reached_decision_makers_at, decided_at,
        returned_at, closed_at
    INTO NAME milestone VALUE moment
),
chained AS (
    SELECT item_id, milestone, moment,
        lag(milestone) OVER w AS previous, lag(moment) OVER w AS previous_moment
    FROM present
    WINDOW w AS (PARTITION BY item_id ORDER BY list_position(
        ['received_at', 'acknowledged_at', 'escalated_at', 'reached_decision_makers_at',
         'decided_at', 'returned_at', 'closed_at'], milestone))
)
SELECT item_id, string_agg(previous || ' > ' || milestone, ', ') AS problem
FROM chained
WHERE previous_moment > moment
GROUP BY item_id;

-- The codes of `list` not in `allowed`, as 'x, y', or NULL when all are allowed (a NULL element
-- counts as unknown).
CREATE OR REPLACE TEMP MACRO unknown_codes(list, allowed) AS nullif(array_to_string(
    list_transform(list_filter(list, lambda c: c IS NULL OR NOT list_contains(allowed, c)),
                   lambda c: coalesce(c, 'NULL')), ', '), '');

-- Is the moment old enough that the sink has surely stored what goes with it? A forwarded copy
-- travels on a routed topic and can be stored a batch before its item's received event; a
-- snapshot taken between the two is not broken, only early.
CREATE OR REPLACE TEMP MACRO settled(sunk_at) AS
    sunk_at < now() - to_seconds(getvariable('settle_seconds'));

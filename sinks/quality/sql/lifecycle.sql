-- Quality frame of `lifecycle`. Grain: one row per row of lifecycle. From details: the
-- decision's outcome and the return's recipient ('' when the step lacks them, which is not a
-- code). Derived, NULL when fine:
--   unknown_item_id: the row's item is not in knowledge_items;
--   returned_without_decision: a returned step of an item that has no decided step and gives no
--   no_decision_reason (streams/lifecycle.py rule 8).
SELECT CAST(l.event_id AS VARCHAR) AS row_key,
    CAST(l.event_id AS VARCHAR) AS event_id, l.item_id, l.step, l.actor_role, l.occurred_at,
    l.recorded_at, l.county, l.unit, l.topic, l."partition", l."offset",
    CASE WHEN l.step = 'decided' THEN coalesce(l.details ->> '$.outcome', '') END AS outcome,
    CASE WHEN l.step = 'returned' THEN coalesce(l.details ->> '$.returned_to', '') END
        AS returned_to,
    CASE WHEN NOT EXISTS (SELECT 1 FROM knowledge_items AS k WHERE k.item_id = l.item_id)
         THEN l.item_id END AS unknown_item_id,
    CASE WHEN l.step = 'returned'
              AND nullif(trim(l.details ->> '$.no_decision_reason'), '') IS NULL
              AND NOT EXISTS (SELECT 1 FROM lifecycle AS d
                              WHERE d.item_id = l.item_id AND d.step = 'decided')
         THEN l.item_id END AS returned_without_decision
FROM lifecycle AS l

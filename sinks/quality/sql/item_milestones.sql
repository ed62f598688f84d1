-- Quality frame of the `item_milestones` view. Grain: one row per row of the view (one per
-- client knowledge item received). Derived, NULL when fine:
--   unknown_themes: theme codes outside Theme;
--   milestones_out_of_order: the pairs out of order (macros.sql);
--   differs_from_lifecycle: the milestone columns in which the row differs from the same item
--   recomputed from every stored lifecycle row (item_milestones_at at the end of time), or
--   'not in the lifecycle'. The view may be a table the sink maintains batch by batch
--   (item_milestones_materialised); this says whether it kept up. Items the recomputation has
--   and the view lacks are counted by the row-count check (parameter in frames.py).
-- Free text (the decision's rationale) stays out; it is scanned where it is stored.
WITH shown AS (
    SELECT COLUMNS(lambda c: c <> 'decision_rationale') FROM item_milestones
),
recomputed AS (  -- one row per item even if knowledge_items is not (its suite says so)
    SELECT * FROM item_milestones_at(TIMESTAMPTZ 'infinity',
                                     recorded_by := TIMESTAMPTZ 'infinity')
    QUALIFY row_number() OVER (PARTITION BY item_id) = 1
),
out_of_order AS (
    SELECT * FROM milestones_out_of_order('item_milestones')
)
SELECT m.item_id AS row_key,
    m.*,
    unknown_codes(m.themes, getvariable('themes')) AS unknown_themes,
    nullif(concat_ws(', ', o.problem,
        CASE WHEN m.reached_leadership_at < m.received_at
             THEN 'received_at > reached_leadership_at' END), '') AS milestones_out_of_order,
    CASE WHEN r.item_id IS NULL THEN 'not in the lifecycle' ELSE nullif(concat_ws(', ',
        CASE WHEN m.received_at IS DISTINCT FROM r.received_at THEN 'received_at' END,
        CASE WHEN m.acknowledged_at IS DISTINCT FROM r.acknowledged_at THEN 'acknowledged_at' END,
        CASE WHEN m.escalated_at IS DISTINCT FROM r.escalated_at THEN 'escalated_at' END,
        CASE WHEN m.reached_leadership_at IS DISTINCT FROM r.reached_leadership_at
             THEN 'reached_leadership_at' END,
        CASE WHEN m.reached_decision_makers_at IS DISTINCT FROM r.reached_decision_makers_at
             THEN 'reached_decision_makers_at' END,
        CASE WHEN m.decided_at IS DISTINCT FROM r.decided_at THEN 'decided_at' END,
        CASE WHEN m.outcome IS DISTINCT FROM r.outcome THEN 'outcome' END,
        CASE WHEN m.returned_at IS DISTINCT FROM r.returned_at THEN 'returned_at' END,
        CASE WHEN m.returned_to IS DISTINCT FROM r.returned_to THEN 'returned_to' END,
        CASE WHEN m.closed_at IS DISTINCT FROM r.closed_at THEN 'closed_at' END), '')
    END AS differs_from_lifecycle
FROM shown AS m
LEFT JOIN out_of_order AS o ON o.item_id = m.item_id
LEFT JOIN recomputed AS r ON r.item_id = m.item_id

-- Quality frame of `knowledge_items`. Grain: one row per row of knowledge_items. The free text
-- stays out (only its length, to check it is there); it is scanned for identifiers separately.
-- Derived, NULL when fine: unknown_themes (codes outside Theme), milestones_out_of_order.
WITH out_of_order AS (
    SELECT * FROM milestones_out_of_order('knowledge_items')
)
SELECT k.item_id AS row_key,
    k.* EXCLUDE (text, classifier_explanation, critical_triggers, classifier_rules),
    length(k.text) AS text_length,
    unknown_codes(k.themes, getvariable('themes')) AS unknown_themes,
    nullif(concat_ws(', ', o.problem,
        CASE WHEN k.reached_leadership_at < k.received_at
             THEN 'received_at > reached_leadership_at' END), '') AS milestones_out_of_order
FROM knowledge_items AS k
LEFT JOIN out_of_order AS o ON o.item_id = k.item_id

-- Quality frame of `aggregate_members`. Grain: one row per (weekly signal, member item).
-- Derived, NULL when fine: unknown_aggregate_item_id (not an aggregate item in knowledge_items),
-- unknown_member_item_id (not in knowledge_items).
SELECT concat_ws('|', m.aggregate_item_id, m.member_item_id) AS row_key,
    m.aggregate_item_id, m.member_item_id,
    CASE WHEN NOT EXISTS (SELECT 1 FROM knowledge_items AS k
                          WHERE k.item_id = m.aggregate_item_id
                            AND k.source_family = 'aggregate')
         THEN m.aggregate_item_id END AS unknown_aggregate_item_id,
    CASE WHEN NOT EXISTS (SELECT 1 FROM knowledge_items AS k WHERE k.item_id = m.member_item_id)
         THEN m.member_item_id END AS unknown_member_item_id
FROM aggregate_members AS m

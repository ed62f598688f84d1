-- Quality frame of the `overdue_items` view. Grain: the view's own, one row per open client
-- item × deadline it has missed. unknown_item_id (NULL when fine): not in knowledge_items.
SELECT concat_ws('|', o.item_id, o.deadline) AS row_key,
    o.item_id, o.deadline, o.started_at, o.due_date, o.days_overdue, o.working_days_overdue,
    CASE WHEN NOT EXISTS (SELECT 1 FROM knowledge_items AS k WHERE k.item_id = o.item_id)
         THEN o.item_id END AS unknown_item_id
FROM overdue_items AS o

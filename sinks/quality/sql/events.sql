-- Quality frame of `events`. Grain: one row per row of events (no key assumed: uniqueness is
-- what is checked). The payload is not in the frame; it is scanned for identifiers separately.
-- unknown_item_id: the event names an item that knowledge_items lacks (NULL when fine).
SELECT CAST(e.event_id AS VARCHAR) AS row_key,
    CAST(e.event_id AS VARCHAR) AS event_id, e.event_type, e.schema_version, e.occurred_at,
    e.recorded_at, e.county, e.unit, e.item_id, e.topic, e."partition", e."offset", e.sunk_at,
    CASE WHEN e.item_id IS NOT NULL AND settled(e.sunk_at)
              AND NOT EXISTS (SELECT 1 FROM knowledge_items AS k WHERE k.item_id = e.item_id)
         THEN e.item_id END AS unknown_item_id
FROM events AS e

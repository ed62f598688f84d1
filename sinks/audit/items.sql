-- Tamper checks, per knowledge item. Grain: one row per (item, problem found).
-- 1. The item's row agrees with its sealed received, classified and routed events (the text,
--    classification and routes that `trace` shows are the ones in the chain).
-- 2. Every milestone the item's row says it reached has its lifecycle event (deleting the last
--    events of a chain leaves the chain itself unbroken; the milestone gives it away); an item
--    acknowledged by reaching leadership has the event that made it so.
-- Parameters: $item (NULL for every item).

WITH items AS (
    SELECT * FROM knowledge_items WHERE $item::VARCHAR IS NULL OR item_id = $item::VARCHAR
),

step_payloads AS (
    SELECT item_id, event_type,
           json_transform(any_value(payload), '{
               "item": {"text": "VARCHAR", "source_family": "VARCHAR",
                        "source_event_id": "VARCHAR", "county": "VARCHAR",
                        "service_area": "VARCHAR", "unit": "VARCHAR"},
               "classification": {"themes": ["VARCHAR"], "stance": "VARCHAR",
                                  "severity": "VARCHAR", "classifier_version": "VARCHAR",
                                  "rules": ["VARCHAR"]},
               "routes": [{"topic": "VARCHAR"}]}') AS p
    FROM events
    WHERE event_type IN ('item.received', 'item.classified', 'item.routed')
      AND ($item::VARCHAR IS NULL OR item_id = $item::VARCHAR)
    GROUP BY ALL
),

differing AS (
    SELECT k.item_id, concat_ws(', ',
        CASE WHEN r.p IS NOT NULL AND (
            k.text IS DISTINCT FROM r.p.item.text
            OR k.source_family IS DISTINCT FROM r.p.item.source_family
            OR k.source_event_id IS DISTINCT FROM r.p.item.source_event_id
            OR k.county IS DISTINCT FROM r.p.item.county
            OR k.service_area IS DISTINCT FROM r.p.item.service_area
            OR k.unit IS DISTINCT FROM r.p.item.unit)
            THEN 'knowledge_items (text or origin)' END,
        CASE WHEN c.p IS NOT NULL AND (
            k.themes IS DISTINCT FROM c.p.classification.themes
            OR k.stance IS DISTINCT FROM c.p.classification.stance
            OR k.severity IS DISTINCT FROM c.p.classification.severity
            OR k.classifier_version IS DISTINCT FROM c.p.classification.classifier_version
            OR k.classifier_rules IS DISTINCT FROM c.p.classification.rules)
            THEN 'knowledge_items (classification)' END,
        CASE WHEN o.p IS NOT NULL
                AND k.routed_topics IS DISTINCT FROM list_transform(o.p.routes, x -> x.topic)
            THEN 'knowledge_items (routed_topics)' END
    ) AS columns
    FROM items AS k
    LEFT JOIN step_payloads AS r ON r.item_id = k.item_id AND r.event_type = 'item.received'
    LEFT JOIN step_payloads AS c ON c.item_id = k.item_id AND c.event_type = 'item.classified'
    LEFT JOIN step_payloads AS o ON o.item_id = k.item_id AND o.event_type = 'item.routed'
),

reached AS (
    UNPIVOT (
        SELECT item_id, received_at AS received, classified_at AS classified,
               routed_at AS routed, acknowledged_at AS acknowledged, escalated_at AS escalated,
               reached_decision_makers_at AS presented, decided_at AS decided,
               returned_at AS returned, closed_at AS closed
        FROM items
    ) ON received, classified, routed, acknowledged, escalated, presented, decided, returned,
        closed
    INTO NAME step VALUE reached_at
),

-- The events that show a milestone was reached: the item's own step, and for `acknowledged`
-- also what counts as reaching leadership (docs/data-dictionary.md, "Which figures bound
-- which"): its presentation to decision-makers, or leadership's acknowledgement of a weekly
-- signal the item is a member of.
-- (One item's check reads that item's rows only: the page of an item at 1M items.)
evidence AS (
    SELECT item_id, step FROM audit_lifecycle
    WHERE $item::VARCHAR IS NULL OR item_id = $item::VARCHAR
    UNION ALL
    SELECT item_id, 'acknowledged' FROM audit_lifecycle WHERE step = 'presented'
      AND ($item::VARCHAR IS NULL OR item_id = $item::VARCHAR)
    UNION ALL
    SELECT m.member_item_id, 'acknowledged'
    FROM aggregate_members AS m
    JOIN audit_lifecycle AS a ON a.item_id = m.aggregate_item_id AND a.step = 'acknowledged'
    WHERE $item::VARCHAR IS NULL OR m.member_item_id = $item::VARCHAR
),

missing_steps AS (
    SELECT r.item_id, string_agg(r.step, ', ' ORDER BY r.reached_at) AS steps
    FROM reached AS r
    ANTI JOIN evidence AS e ON e.item_id = r.item_id AND e.step = r.step
    GROUP BY r.item_id
)

SELECT item_id, 'item_row_differs' AS "check", columns AS detail
FROM differing WHERE columns <> ''
UNION ALL
SELECT item_id, 'missing_step', steps FROM missing_steps
UNION ALL
SELECT item_id, 'item_known', NULL FROM items
ORDER BY item_id

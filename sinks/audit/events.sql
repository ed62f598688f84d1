-- Tamper checks, per event. Grain: one row per lifecycle event of the items checked: its
-- `lifecycle` row, its `events` row, or both (joined on event_id), in each item's Kafka order
-- (topic, partition, offset). The hash itself is recomputed in Python (schemas/chain.py defines
-- the canonical JSON); everything else is compared here, column by column.
-- Parameters: $item (NULL for every item), $types (the lifecycle event types), $buckets and
-- $bucket (this query covers the items whose hash falls in one bucket of that many, so that a
-- large store is checked in slices of bounded memory).
-- Reads audit_lifecycle: the lifecycle table with chain columns (NULL in stores made before them).

WITH lifecycle_rows AS (
    SELECT * FROM audit_lifecycle
    WHERE ($item::VARCHAR IS NULL OR item_id = $item::VARCHAR)
      AND hash(item_id) % $buckets::UBIGINT = $bucket::UBIGINT
),

lifecycle_events AS (
    SELECT *,
        -- One parse of the payload: NULL for a field that is null or absent.
        json_transform(payload, '{"event_id": "VARCHAR", "event_type": "VARCHAR",
            "item_id": "VARCHAR", "actor_role": "VARCHAR", "occurred_at": "VARCHAR",
            "recorded_at": "VARCHAR", "county": "VARCHAR", "unit": "VARCHAR",
            "caused_by": "VARCHAR", "chain_prev": "VARCHAR", "chain_hash": "VARCHAR"}') AS p
    FROM events
    WHERE list_contains($types::VARCHAR[], event_type)
      AND ($item::VARCHAR IS NULL OR item_id = $item::VARCHAR)
      AND hash(item_id) % $buckets::UBIGINT = $bucket::UBIGINT
),

joined AS (
    SELECT
        coalesce(l.item_id, e.item_id) AS item_id,
        coalesce(l.event_id, e.event_id) AS event_id,
        coalesce(l.step, replace(e.event_type, 'item.', '')) AS step,
        coalesce(l.topic, e.topic) AS topic,
        coalesce(l."partition", e."partition") AS "partition",
        coalesce(l."offset", e."offset") AS "offset",
        l.event_id IS NOT NULL AS has_lifecycle_row,
        e.event_id IS NOT NULL AS has_event_row,
        CAST(e.payload AS VARCHAR) AS payload,
        CAST(l.details AS VARCHAR) AS details,
        -- The chain is read from the payload (what was published); the lifecycle columns must
        -- agree with it, and are used only when the payload is gone.
        CASE WHEN e.payload IS NOT NULL THEN e.p.chain_hash ELSE l.chain_hash END
            AS own_hash,
        CASE WHEN e.payload IS NOT NULL THEN e.p.chain_prev ELSE l.chain_prev END
            AS own_prev,
        CASE WHEN l.event_id IS NOT NULL AND e.payload IS NOT NULL THEN concat_ws(', ',
            CASE WHEN l.item_id IS DISTINCT FROM e.p.item_id
                THEN 'lifecycle.item_id' END,
            CASE WHEN 'item.' || l.step IS DISTINCT FROM e.p.event_type
                THEN 'lifecycle.step' END,
            CASE WHEN l.actor_role IS DISTINCT FROM e.p.actor_role
                THEN 'lifecycle.actor_role' END,
            CASE WHEN l.occurred_at IS DISTINCT FROM
                    TRY_CAST(e.p.occurred_at AS TIMESTAMPTZ)
                THEN 'lifecycle.occurred_at' END,
            CASE WHEN l.recorded_at IS DISTINCT FROM
                    TRY_CAST(e.p.recorded_at AS TIMESTAMPTZ)
                THEN 'lifecycle.recorded_at' END,
            CASE WHEN l.county IS DISTINCT FROM e.p.county
                THEN 'lifecycle.county' END,
            CASE WHEN l.unit IS DISTINCT FROM e.p.unit THEN 'lifecycle.unit' END,
            CASE WHEN l.chain_prev IS DISTINCT FROM e.p.chain_prev
                THEN 'lifecycle.chain_prev' END,
            CASE WHEN l.chain_hash IS DISTINCT FROM e.p.chain_hash
                THEN 'lifecycle.chain_hash' END,
            CASE WHEN l.topic IS DISTINCT FROM e.topic THEN 'lifecycle.topic' END,
            CASE WHEN l."partition" IS DISTINCT FROM e."partition"
                THEN 'lifecycle.partition' END,
            CASE WHEN l."offset" IS DISTINCT FROM e."offset" THEN 'lifecycle.offset' END
        ) END AS lifecycle_columns_differing,
        CASE WHEN e.payload IS NOT NULL THEN concat_ws(', ',
            CASE WHEN CAST(e.event_id AS VARCHAR) IS DISTINCT FROM e.p.event_id
                THEN 'events.event_id' END,
            CASE WHEN e.event_type IS DISTINCT FROM e.p.event_type
                THEN 'events.event_type' END,
            CASE WHEN e.item_id IS DISTINCT FROM e.p.item_id
                THEN 'events.item_id' END,
            CASE WHEN e.occurred_at IS DISTINCT FROM
                    TRY_CAST(e.p.occurred_at AS TIMESTAMPTZ)
                THEN 'events.occurred_at' END,
            CASE WHEN e.recorded_at IS DISTINCT FROM
                    TRY_CAST(e.p.recorded_at AS TIMESTAMPTZ)
                THEN 'events.recorded_at' END,
            CASE WHEN e.county IS DISTINCT FROM e.p.county
                THEN 'events.county' END,
            CASE WHEN e.unit IS DISTINCT FROM e.p.unit THEN 'events.unit' END,
            CASE WHEN CAST(e.caused_by AS VARCHAR) IS DISTINCT FROM e.p.caused_by
                THEN 'events.caused_by' END
        ) END AS event_columns_differing
    FROM lifecycle_rows AS l
    FULL OUTER JOIN lifecycle_events AS e ON l.event_id = e.event_id
)

SELECT
    item_id, CAST(event_id AS VARCHAR) AS event_id, step, topic, "partition", "offset",
    has_lifecycle_row, has_event_row, payload, details, own_hash, own_prev,
    lifecycle_columns_differing, event_columns_differing,
    row_number() OVER item_order AS position,
    lag(own_hash) OVER item_order AS previous_hash,
    coalesce(bool_or(own_hash IS NOT NULL) OVER (
        item_order ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS sealed_before
FROM joined
WINDOW item_order AS (PARTITION BY item_id ORDER BY topic, "partition", "offset", event_id)
ORDER BY item_id, topic, "partition", "offset", event_id

-- Quality frame of `sink_counters`. Grain: one row per counter, and a `consumed` row even when
-- the store has none yet (then it counts 0).
-- unbalanced (on the consumed row; NULL when it balances): every record the sink consumed became
-- exactly one row of events or dead_letters, or was counted under one of the not-stored counters
-- (getvariable('not_stored'): invalid intake, which the worker dead-letters itself; unreadable
-- records; duplicates within one batch). docs/quality.md explains the equation and its one gap.
WITH counters AS (
    SELECT name, value FROM sink_counters
    UNION ALL
    SELECT 'consumed', NULL WHERE NOT EXISTS (SELECT 1 FROM sink_counters WHERE name = 'consumed')
),
stored AS (
    SELECT (SELECT count(*) FROM events) AS events,
        (SELECT count(*) FROM dead_letters) AS dead_letters
),
not_stored AS (
    SELECT coalesce(sum(value), 0) AS total,
        string_agg(name || ' ' || value, ' + ' ORDER BY name) AS terms
    FROM sink_counters
    WHERE list_contains(getvariable('not_stored'), name)
)
SELECT c.name AS row_key, c.name, coalesce(c.value, 0) AS value,
    CASE WHEN c.name = 'consumed'
              AND coalesce(c.value, 0) <> s.events + s.dead_letters + n.total
         THEN format('erotus {}: consumed {} ≠ events {} + dead_letters {}{}',
                     coalesce(c.value, 0) - s.events - s.dead_letters - n.total,
                     coalesce(c.value, 0), s.events, s.dead_letters,
                     coalesce(' + ' || n.terms, ''))
         END AS unbalanced
FROM counters AS c, stored AS s, not_stored AS n

-- Quality frame of `dead_letters`. Grain: one row per row of dead_letters. The detail text and
-- the problems list are scanned for identifiers separately; the frame keeps whether a detail is
-- there, not what it says.
SELECT CAST(event_id AS VARCHAR) AS row_key,
    CAST(event_id AS VARCHAR) AS event_id, reason, CASE WHEN detail IS NOT NULL THEN '…' END
        AS detail,
    county, original_event_type, origin_topic, origin_partition, origin_offset, recorded_at,
    topic, "partition", "offset", sunk_at
FROM dead_letters

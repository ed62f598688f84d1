-- Quality frame of `sink_rejections`. Grain: one row per record the sink could not project
-- (coordinates, reason and exception type; the table never holds a payload).
SELECT topic || '[' || "partition" || ']@' || "offset" AS row_key,
    topic, "partition", "offset", reason, exception_type, stage, kafka_timestamp, sunk_at
FROM sink_rejections

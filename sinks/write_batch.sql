-- One micro-batch, run inside the sink's transaction. stage_* are the batch's Arrow tables.
-- Idempotent: only events whose event_id is not yet in the store are written or projected, so a
-- redelivered event changes nothing.
-- Grain: no result; writes one row per new event into events, and by its kind one row into
-- lifecycle, workshops, aggregate_members, forgotten_persons or dead_letters, and one row per
-- new rejected record into sink_rejections, one per new key or checkpoint of the worker's into
-- worker_keys or worker_checkpoints; one row per new
-- knowledge item into knowledge_items, and updates the items its events classify, route or
-- forget.
-- `-- @only-with stage_x`: the statement after it reads nothing but stage_x (and what filters
-- it), so it changes nothing when stage_x is empty, and the sink leaves it out then
-- (sinks/store.py, batch_script): most batches bring no workshop, key, label or dead letter,
-- and each statement costs about 2 ms to plan even with nothing to do.
-- `-- @unless-unique stage_x.column` before a `QUALIFY row_number() OVER (PARTITION BY column)
-- = 1`, which keeps one row of each value of a staged key: the sink leaves the QUALIFY out when
-- no value is twice in stage_x (sinks/store.py, unique_keys), where it keeps every row anyway;
-- a key is twice only in a batch holding a redelivered copy, and the window sorts the whole
-- batch (about 30 ms a batch of 1,000 intake records).

-- The events table has no key index (sinks/schema.sql): stored_event_ids, the batch's ids that
-- the store holds already (looked up by sinks/event_ids.py, not by a scan of every event), is
-- what keeps event_id unique; a batch that holds an event twice writes it once.
CREATE OR REPLACE TEMP TABLE new_event_ids AS
SELECT DISTINCT CAST(s.event_id AS UUID) AS event_id
FROM stage_events AS s
ANTI JOIN stored_event_ids AS e ON CAST(e.event_id AS UUID) = CAST(s.event_id AS UUID);

INSERT INTO events
SELECT CAST(s.event_id AS UUID), s.event_type, s.schema_version, s.occurred_at, s.recorded_at,
       s.county, s.unit, s.item_id, CAST(s.caused_by AS UUID), s.topic, s."partition",
       s."offset", s.kafka_timestamp, s.sunk_at, s.payload
FROM stage_events AS s
SEMI JOIN new_event_ids AS n ON n.event_id = CAST(s.event_id AS UUID)
-- @unless-unique stage_events.event_id
QUALIFY row_number() OVER (PARTITION BY s.event_id) = 1;

CREATE OR REPLACE TEMP TABLE new_lifecycle AS
SELECT l.*
FROM stage_lifecycle AS l
SEMI JOIN new_event_ids AS n ON n.event_id = CAST(l.event_id AS UUID)
-- @unless-unique stage_lifecycle.event_id
QUALIFY row_number() OVER (PARTITION BY l.event_id) = 1;

INSERT INTO lifecycle BY NAME
SELECT CAST(event_id AS UUID) AS event_id, item_id, step, actor_role, occurred_at, recorded_at,
       county, unit, details, topic, "partition", "offset", chain_prev, chain_hash,
       actor_pseudonym
FROM new_lifecycle;

-- The batch's items with their arrival numbers (sinks/item_seq.py): an item seen before keeps
-- the number of its item_steps row (every item with a stored lifecycle row has one), found
-- beside the store by item_id (known_item_seqs); a new item gets the next one (the largest
-- number comes from the row groups' statistics: no scan). Every later look-up of
-- the batch's items joins on (item_seq, item_id), which DuckDB prunes by row group.
-- milestones.sql adds the members of the batch's signals and the signals holding its items.
DELETE FROM batch_items;

INSERT INTO batch_items
WITH touched AS (
    SELECT item_id, min(occurred_at) AS first_at FROM new_lifecycle GROUP BY item_id
),
known AS (  -- looked up beside the store (sinks/item_seq.py ItemSeqs), not in item_steps
    SELECT item_id, item_seq FROM known_item_seqs
)
SELECT n.item_id, coalesce(k.item_seq, (SELECT coalesce(max(item_seq), 0) FROM item_steps)
           + row_number() OVER (ORDER BY k.item_seq IS NULL, n.first_at, n.item_id))
FROM touched AS n
LEFT JOIN known AS k ON k.item_id = n.item_id;

-- What the batch brings to its items, one row per item: its classification, its routes and the
-- first time it reached each milestone (NULL where it brings none), so that one UPDATE, one
-- pass over knowledge_items, writes them all (each pass costs the whole table's item ids).
CREATE OR REPLACE TEMP TABLE item_changes AS
WITH classified AS (
    SELECT c.*, true AS has_classification
    FROM stage_classified AS c
    SEMI JOIN new_lifecycle AS n ON n.item_id = c.item_id AND n.step = 'classified'
    -- @unless-unique stage_classified.item_id
    QUALIFY row_number() OVER (PARTITION BY c.item_id) = 1
),
routed AS (
    SELECT r.*, true AS has_routes
    FROM stage_routed AS r
    SEMI JOIN new_lifecycle AS n ON n.item_id = r.item_id AND n.step = 'routed'
    -- @unless-unique stage_routed.item_id
    QUALIFY row_number() OVER (PARTITION BY r.item_id) = 1
),
reached AS (
    SELECT s.item_id, true AS has_milestones,
           min(s."at") FILTER (WHERE s.milestone = 'classified_at') AS classified_at,
           min(s."at") FILTER (WHERE s.milestone = 'routed_at') AS routed_at,
           min(s."at") FILTER (WHERE s.milestone = 'acknowledged_at') AS acknowledged_at,
           min(s."at") FILTER (WHERE s.milestone = 'escalated_at') AS escalated_at,
           min(s."at") FILTER (WHERE s.milestone = 'reached_leadership_at')
               AS reached_leadership_at,
           min(s."at") FILTER (WHERE s.milestone = 'reached_decision_makers_at')
               AS reached_decision_makers_at,
           min(s."at") FILTER (WHERE s.milestone = 'decided_at') AS decided_at,
           min(s."at") FILTER (WHERE s.milestone = 'returned_at') AS returned_at,
           min(s."at") FILTER (WHERE s.milestone = 'closed_at') AS closed_at
    FROM stage_milestones AS s
    SEMI JOIN new_event_ids AS n ON n.event_id = CAST(s.event_id AS UUID)
    WHERE s.milestone <> 'received_at'
    GROUP BY s.item_id
),
-- leadership's acknowledgement in this batch (in an earlier one the status says so): not a
-- scan of the whole lifecycle, so the cost of a batch follows the batch
by_leadership AS (
    SELECT DISTINCT item_id, true AS acknowledged_by_leadership
    FROM new_lifecycle
    WHERE step = 'acknowledged' AND actor_role IN ('leadership', 'decision_maker')
)
SELECT i.item_id,
    c.has_classification, c.themes, c.stance, c.severity, c.classifier_version,
    c.classifier_rules, c.text_language, c.classifier_explanation, c.critical_triggers,
    c.critical_suspected,
    r.has_routes, r.routed_topics, r.immediate_attention,
    m.* EXCLUDE (item_id),
    l.acknowledged_by_leadership
FROM (SELECT item_id FROM classified UNION SELECT item_id FROM routed
      UNION SELECT item_id FROM reached) AS i
LEFT JOIN classified AS c ON c.item_id = i.item_id
LEFT JOIN routed AS r ON r.item_id = i.item_id
LEFT JOIN reached AS m ON m.item_id = i.item_id
LEFT JOIN by_leadership AS l ON l.item_id = i.item_id;

-- Items: created by their `received` event, once, with what the batch brings them already in
-- (most items arrive with their classification and routes): a new item needs no UPDATE, and
-- the UPDATE below, whose pass over knowledge_items is the costly part, is left with the
-- items of earlier batches (none, in a batch of intake records alone).
CREATE OR REPLACE TEMP TABLE new_items AS
SELECT r.*
FROM stage_received AS r
SEMI JOIN new_lifecycle AS n ON n.item_id = r.item_id AND n.step = 'received'
ANTI JOIN (SELECT k.item_id FROM knowledge_items AS k
           SEMI JOIN batch_items AS b ON b.item_seq = k.item_seq AND b.item_id = k.item_id)
    AS k ON k.item_id = r.item_id;

INSERT INTO knowledge_items (
    item_id, source_family, source_event_id, county, service_area, unit, language, channel,
    rating, reply_requested, contact_given, workshop_id, target, decision_ref, text, status,
    received_at, client_pseudonym, author_role,
    themes, stance, severity, classifier_version, classifier_rules, text_language,
    classifier_explanation, critical_triggers, critical_suspected, routed_topics,
    immediate_attention, classified_at, routed_at, acknowledged_at, escalated_at,
    reached_leadership_at, reached_decision_makers_at, decided_at, returned_at, closed_at,
    item_seq)
SELECT r.item_id, r.source_family, r.source_event_id, r.county, r.service_area, r.unit,
       r.language, r.channel, r.rating, r.reply_requested, r.contact_given, r.workshop_id,
       r.target, r.decision_ref, r.text,
       CASE WHEN u.has_milestones IS NULL THEN 'received'
            ELSE item_status(u.closed_at, u.returned_at, u.decided_at,
                             u.reached_decision_makers_at, u.acknowledged_by_leadership,
                             u.escalated_at, u.acknowledged_at, u.routed_at, u.classified_at,
                             'received') END,
       r.received_at, r.client_pseudonym, r.author_role,
       u.themes, u.stance, u.severity, u.classifier_version, u.classifier_rules,
       u.text_language, u.classifier_explanation, u.critical_triggers, u.critical_suspected,
       u.routed_topics, u.immediate_attention, u.classified_at, u.routed_at,
       u.acknowledged_at, u.escalated_at, u.reached_leadership_at,
       u.reached_decision_makers_at, u.decided_at, u.returned_at, u.closed_at, b.item_seq
FROM new_items AS r
JOIN batch_items AS b ON b.item_id = r.item_id
LEFT JOIN item_changes AS u ON u.item_id = r.item_id
ORDER BY b.item_seq;

-- Classification and routes as the batch brings them. Milestones: the first time each is
-- reached wins; status is the latest step reached (changed only by a batch bringing a
-- milestone). acknowledged_at and reached_leadership_at may already hold a weekly signal's
-- time (below), earlier or later than the item's own: the earlier wins (least skips NULLs).
UPDATE knowledge_items AS k
SET themes = CASE WHEN u.has_classification THEN u.themes ELSE k.themes END,
    stance = CASE WHEN u.has_classification THEN u.stance ELSE k.stance END,
    severity = CASE WHEN u.has_classification THEN u.severity ELSE k.severity END,
    classifier_version = CASE WHEN u.has_classification THEN u.classifier_version
                              ELSE k.classifier_version END,
    classifier_rules = CASE WHEN u.has_classification THEN u.classifier_rules
                            ELSE k.classifier_rules END,
    text_language = CASE WHEN u.has_classification THEN u.text_language
                         ELSE k.text_language END,
    classifier_explanation = CASE WHEN u.has_classification THEN u.classifier_explanation
                                  ELSE k.classifier_explanation END,
    critical_triggers = CASE WHEN u.has_classification THEN u.critical_triggers
                             ELSE k.critical_triggers END,
    critical_suspected = CASE WHEN u.has_classification THEN u.critical_suspected
                              ELSE k.critical_suspected END,
    routed_topics = CASE WHEN u.has_routes THEN u.routed_topics ELSE k.routed_topics END,
    immediate_attention = CASE WHEN u.has_routes THEN u.immediate_attention
                               ELSE k.immediate_attention END,
    classified_at = coalesce(k.classified_at, u.classified_at),
    routed_at = coalesce(k.routed_at, u.routed_at),
    acknowledged_at = least(k.acknowledged_at, u.acknowledged_at),
    escalated_at = coalesce(k.escalated_at, u.escalated_at),
    reached_leadership_at = least(k.reached_leadership_at, u.reached_leadership_at),
    reached_decision_makers_at = coalesce(k.reached_decision_makers_at,
                                          u.reached_decision_makers_at),
    decided_at = coalesce(k.decided_at, u.decided_at),
    returned_at = coalesce(k.returned_at, u.returned_at),
    closed_at = coalesce(k.closed_at, u.closed_at),
    status = CASE WHEN u.has_milestones IS NULL THEN k.status ELSE item_status(
        coalesce(k.closed_at, u.closed_at), coalesce(k.returned_at, u.returned_at),
        coalesce(k.decided_at, u.decided_at),
        coalesce(k.reached_decision_makers_at, u.reached_decision_makers_at),
        k.status = 'acknowledged_by_leadership' OR u.acknowledged_by_leadership,
        coalesce(k.escalated_at, u.escalated_at), coalesce(k.acknowledged_at, u.acknowledged_at),
        coalesce(k.routed_at, u.routed_at), coalesce(k.classified_at, u.classified_at),
        k.status) END
FROM (SELECT c.*, b.item_seq AS batch_seq FROM item_changes AS c
      JOIN batch_items AS b ON b.item_id = c.item_id
      ANTI JOIN new_items ON new_items.item_id = c.item_id)
    AS u
WHERE k.item_seq = u.batch_seq AND k.item_id = u.item_id;

-- A weekly signal's members: written with the signal's received event.
-- @only-with stage_aggregate_members
INSERT INTO aggregate_members
SELECT a.aggregate_item_id, a.member_item_id
FROM stage_aggregate_members AS a
SEMI JOIN new_lifecycle AS n ON n.item_id = a.aggregate_item_id AND n.step = 'received'
ON CONFLICT DO NOTHING;

-- When leadership acknowledges a signal, its members have reached leadership (docs/design.md §2.6)
-- and so are acknowledged (a level above counts, as in sinks/views.sql): at the earlier of
-- their own time and the signal's. Their status stays their own furthest step.
-- @only-with stage_milestones
UPDATE knowledge_items AS k
SET reached_leadership_at = least(k.reached_leadership_at, s.at),
    acknowledged_at = least(k.acknowledged_at, s.at)
FROM (
    SELECT m.member_item_id, min(a.reached_leadership_at) AS at
    FROM aggregate_members AS m
    JOIN knowledge_items AS a ON a.item_id = m.aggregate_item_id
    WHERE a.reached_leadership_at IS NOT NULL
      AND m.aggregate_item_id IN (SELECT item_id FROM stage_milestones
                                  WHERE milestone = 'reached_leadership_at')
    GROUP BY m.member_item_id
) AS s
WHERE k.item_id = s.member_item_id;

-- Forgotten persons: their items are marked erased, whichever arrives first (feedback given
-- after the person was forgotten stays unmarked).
-- @only-with stage_forgotten
INSERT INTO forgotten_persons
SELECT county, client_pseudonym, max(forgotten_at), bool_or(key_erased),
       CAST(arg_max(event_id, forgotten_at) AS UUID)
FROM stage_forgotten GROUP BY county, client_pseudonym
ON CONFLICT (county, client_pseudonym) DO UPDATE SET
    forgotten_at = greatest(forgotten_persons.forgotten_at, excluded.forgotten_at),
    key_erased = forgotten_persons.key_erased OR excluded.key_erased;

UPDATE knowledge_items AS k
SET erased_at = f.forgotten_at
FROM forgotten_persons AS f
WHERE k.county = f.county AND k.client_pseudonym = f.client_pseudonym
  AND k.erased_at IS NULL AND k.received_at <= f.forgotten_at
  -- only what this batch can change: its new items, or the persons it forgets
  AND (k.item_id IN (SELECT item_id FROM stage_received)
       OR f.client_pseudonym IN (SELECT client_pseudonym FROM stage_forgotten));

-- Workshops: one row per workshop.output_recorded event, written once.
-- @only-with stage_workshops
INSERT INTO workshops BY NAME
SELECT * REPLACE (CAST(event_id AS UUID) AS event_id)
FROM stage_workshops AS w
SEMI JOIN new_event_ids AS n ON n.event_id = CAST(w.event_id AS UUID);

-- @only-with stage_dead_letters
INSERT INTO dead_letters (event_id, reason, detail, problems, county, original_event_type,
                          original_event_id, origin_topic, origin_partition, origin_offset,
                          recorded_at, topic, "partition", "offset", sunk_at, payload)
SELECT CAST(event_id AS UUID), reason, detail, problems, county, original_event_type,
       original_event_id, origin_topic, origin_partition, origin_offset, recorded_at, topic,
       "partition", "offset", sunk_at, payload
FROM stage_dead_letters
ON CONFLICT DO NOTHING;

-- The worker's public keys and checkpoints (schemas/seals.py), as published.
-- @only-with stage_worker_keys
INSERT INTO worker_keys BY NAME
SELECT * FROM stage_worker_keys
ON CONFLICT DO NOTHING;

-- @only-with stage_worker_checkpoints
INSERT INTO worker_checkpoints BY NAME
SELECT * FROM stage_worker_checkpoints
ON CONFLICT DO NOTHING;

-- The access log (sinks/access_log.sql): views and the workplace's keys, each once.
-- @only-with stage_access_log
INSERT INTO access_log BY NAME
SELECT * REPLACE (CAST(event_id AS UUID) AS event_id)
FROM stage_access_log
QUALIFY row_number() OVER (PARTITION BY event_id) = 1
ON CONFLICT DO NOTHING;

-- @only-with stage_access_log_keys
INSERT INTO access_log_keys BY NAME
SELECT * FROM stage_access_log_keys
QUALIFY row_number() OVER (PARTITION BY key_id) = 1
ON CONFLICT DO NOTHING;

-- Records the sink could not project: one row each, by their coordinates (a record read again
-- after a crash before the commit changes nothing).
-- @only-with stage_rejections
INSERT INTO sink_rejections BY NAME
SELECT topic, "partition", "offset", reason, exception_type, stage, kafka_timestamp, sunk_at
FROM stage_rejections
ON CONFLICT DO NOTHING;

-- A person's word on the labels (sinks/labels.sql): one row per new labelling step.
-- @only-with stage_labels_human
INSERT INTO labels_human BY NAME
SELECT * REPLACE (CAST(event_id AS UUID) AS event_id)
FROM stage_labels_human AS h
SEMI JOIN new_event_ids AS n ON n.event_id = CAST(h.event_id AS UUID)
QUALIFY row_number() OVER (PARTITION BY h.event_id) = 1;

-- The notifier's side steps (sinks/notifications.sql): one row per new delivery or notice.
-- @only-with stage_reply_deliveries
INSERT INTO reply_deliveries BY NAME
SELECT * REPLACE (CAST(event_id AS UUID) AS event_id,
                  CAST(returned_event_id AS UUID) AS returned_event_id)
FROM stage_reply_deliveries AS d
SEMI JOIN new_event_ids AS n ON n.event_id = CAST(d.event_id AS UUID)
QUALIFY row_number() OVER (PARTITION BY d.event_id) = 1;

-- @only-with stage_staff_notifications
INSERT INTO staff_notifications BY NAME
SELECT * REPLACE (CAST(event_id AS UUID) AS event_id)
FROM stage_staff_notifications AS s
SEMI JOIN new_event_ids AS n ON n.event_id = CAST(s.event_id AS UUID)
QUALIFY row_number() OVER (PARTITION BY s.event_id) = 1;

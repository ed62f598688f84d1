-- The notifier's side steps (issue 15, kokemusvirta/notify/): deliveries of answers to clients
-- and notices to staff, as the worker accepted them, and how many returns to clients were
-- delivered. Documented column by column in docs/data-dictionary.md.
-- Grain: each table's and view's own, in the `Grain:` comment above it.
--
-- Run by sinks/store.py after labels.sql and before views.sql; written by write_batch.sql
-- (one row per new event, like labels_human). No addresses here, ever: a delivery names the
-- channel, a notice its recipients' roles.

-- Grain: one row per item.reply_delivery (one attempt to deliver a return to its client).
-- The attempts of one return share returned_event_id; the last (Kafka order: "offset", one
-- item's steps share a partition) is where its delivery stands.
CREATE TABLE IF NOT EXISTS reply_deliveries (
    event_id          UUID PRIMARY KEY,
    item_id           VARCHAR NOT NULL,
    returned_event_id UUID NOT NULL,     -- the item.returned (returned_to client) delivered
    status            VARCHAR NOT NULL,  -- sent | bounced | failed | contact_erased | unit_answers
    channel           VARCHAR NOT NULL,  -- email | post | phone (unit_answers: the unit calls)
    attempt           INTEGER NOT NULL,  -- 1 for the first attempt
    language          VARCHAR NOT NULL,  -- fi | sv | en | se: the answer's language
    detail            VARCHAR NOT NULL,  -- what happened, no personal data ('' none)
    county            VARCHAR NOT NULL,
    unit              VARCHAR,
    occurred_at       TIMESTAMPTZ NOT NULL,
    recorded_at       TIMESTAMPTZ NOT NULL,
    topic             VARCHAR NOT NULL,
    "partition"       INTEGER NOT NULL,
    "offset"          BIGINT NOT NULL
);

-- Grain: one row per item.staff_notified (one notice about one item to its recipients).
CREATE TABLE IF NOT EXISTS staff_notifications (
    event_id    UUID PRIMARY KEY,
    item_id     VARCHAR NOT NULL,
    notice      VARCHAR NOT NULL,  -- critical | reminder | escalation | digest
    recipients  VARCHAR[] NOT NULL,  -- roles with scopes (unit.<county>.<unit>, ...), no addresses
    channel     VARCHAR NOT NULL,  -- email
    deadline    DATE,              -- the deadline the notice is about; NULL none
    detail      VARCHAR NOT NULL,  -- what was told, no personal data ('' none)
    county      VARCHAR NOT NULL,
    unit        VARCHAR,
    occurred_at TIMESTAMPTZ NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    topic       VARCHAR NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset"    BIGINT NOT NULL
);

-- Grain: one row per county × unit (unit NULL: items of no unit) with client knowledge items
-- returned to their client who asked for a reply: how many returns there were
-- (returned_to_client), how many were delivered (a `sent` attempt), and where the others stand
-- by their last attempt: bounced, failed, contact_erased (the person was forgotten), no_contact
-- (no contact was left: nothing can be sent), waiting (no attempt yet), by_phone (a phone
-- number was left: the unit calls, the notifier sends nothing; last, so the older columns keep
-- their places). returned_to_client =
-- delivered + bounced + failed + contact_erased + no_contact + waiting + by_phone.
CREATE OR REPLACE VIEW returned_vs_delivered AS
WITH returns AS (
    SELECT l.event_id AS returned_event_id, k.county, k.unit, k.contact_given
    FROM lifecycle AS l
    JOIN knowledge_items AS k ON k.item_id = l.item_id
    WHERE l.step = 'returned' AND json_extract_string(l.details, '$.returned_to') = 'client'
      AND k.reply_requested
      AND k.source_family <> 'aggregate' AND NOT starts_with(k.item_id, 'ag-')
),
attempts AS (
    SELECT returned_event_id, bool_or(status = 'sent') AS sent,
        arg_max(status, "offset") AS last_status
    FROM reply_deliveries
    GROUP BY returned_event_id
)
SELECT r.county, r.unit,
    count(*) AS returned_to_client,
    count(*) FILTER (WHERE a.sent) AS delivered,
    count(*) FILTER (WHERE NOT a.sent AND a.last_status = 'bounced') AS bounced,
    count(*) FILTER (WHERE NOT a.sent AND a.last_status = 'failed') AS failed,
    count(*) FILTER (WHERE NOT a.sent AND a.last_status = 'contact_erased') AS contact_erased,
    count(*) FILTER (WHERE a.returned_event_id IS NULL AND NOT r.contact_given) AS no_contact,
    count(*) FILTER (WHERE a.returned_event_id IS NULL AND r.contact_given) AS waiting,
    count(*) FILTER (WHERE NOT a.sent AND a.last_status = 'unit_answers') AS by_phone
FROM returns AS r
LEFT JOIN attempts AS a ON a.returned_event_id = r.returned_event_id
GROUP BY r.county, r.unit;

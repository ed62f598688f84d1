-- The sink's tables. Kafka is the source of truth; all of this can be rebuilt by replaying topics.
-- Grain: each table's own, in the `Grain:` comment above it (e.g. events: one row per accepted
-- event).

-- Grain: one row per accepted event (source, lifecycle and forwarded events), with where it was read.
-- Intake events keep no payload here: it may hold personal data; their items carry redacted text.
-- Key: event_id, unique because the sink writes only events whose id it does not have
-- (write_batch.sql). No PRIMARY KEY: DuckDB writes a key's whole index again at every
-- checkpoint, which made each batch's cost grow with the history (sinks/store.py).
CREATE TABLE IF NOT EXISTS events (
    event_id        UUID NOT NULL,
    event_type      VARCHAR NOT NULL,
    schema_version  INTEGER NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    county          VARCHAR NOT NULL,
    unit            VARCHAR,
    item_id         VARCHAR,
    caused_by       UUID,
    topic           VARCHAR NOT NULL,
    "partition"     INTEGER NOT NULL,
    "offset"        BIGINT NOT NULL,
    kafka_timestamp TIMESTAMPTZ,          -- when the record was appended (publish time)
    sunk_at         TIMESTAMPTZ NOT NULL, -- when the sink committed it to this store
    -- zstd: the events' JSON is most of the store; a quarter of the size of DuckDB's default
    -- string compression (needs the storage version sinks/store.py opens new stores with)
    payload         JSON USING COMPRESSION zstd
);

-- Grain: one row per knowledge item (a feedback, one workshop output item, or a statement).
-- No PRIMARY KEY: DuckDB rewrites updates of list columns as delete+insert, which trips its key
-- index inside one transaction; the sink inserts an item only when it is absent (anti-join).
CREATE TABLE IF NOT EXISTS knowledge_items (
    item_id                    VARCHAR NOT NULL,
    source_family              VARCHAR NOT NULL,  -- feedback | workshop_output | expert_statement
    source_event_id            VARCHAR NOT NULL,
    county                     VARCHAR NOT NULL,
    service_area               VARCHAR NOT NULL,
    unit                       VARCHAR,
    language                   VARCHAR,           -- fi | sv | en | se | NULL (not known)
    channel                    VARCHAR,           -- oral | electronic | written (feedback only)
    rating                     INTEGER,
    reply_requested            BOOLEAN NOT NULL,
    contact_given              BOOLEAN NOT NULL,
    workshop_id                VARCHAR,
    target                     VARCHAR,
    decision_ref               VARCHAR,
    text                       VARCHAR NOT NULL,  -- redacted
    themes                     VARCHAR[],
    stance                     VARCHAR,
    severity                   VARCHAR,
    classifier_version         VARCHAR,
    classifier_rules           VARCHAR[],
    routed_topics              VARCHAR[],
    immediate_attention        BOOLEAN,
    status                     VARCHAR NOT NULL,  -- the item's furthest own step; leadership's
                                                  -- acknowledgement: acknowledged_by_leadership
    received_at                TIMESTAMPTZ,
    classified_at              TIMESTAMPTZ,
    routed_at                  TIMESTAMPTZ,
    acknowledged_at            TIMESTAMPTZ,
    escalated_at               TIMESTAMPTZ,
    reached_leadership_at      TIMESTAMPTZ,
    reached_decision_makers_at TIMESTAMPTZ,
    decided_at                 TIMESTAMPTZ,
    returned_at                TIMESTAMPTZ,
    closed_at                  TIMESTAMPTZ
);

-- Added after the first release (an older store gains them when the sink opens it).
ALTER TABLE knowledge_items ADD COLUMN IF NOT EXISTS text_language VARCHAR;  -- as the classifier read it: fi | sv | en | se | unsupported
ALTER TABLE knowledge_items ADD COLUMN IF NOT EXISTS classifier_explanation VARCHAR;  -- one line: labels and deciding words
ALTER TABLE knowledge_items ADD COLUMN IF NOT EXISTS critical_triggers VARCHAR[];  -- words that made it critical
ALTER TABLE knowledge_items ADD COLUMN IF NOT EXISTS client_pseudonym VARCHAR;  -- keyed HMAC of the client within the county (ps-…)
ALTER TABLE knowledge_items ADD COLUMN IF NOT EXISTS erased_at TIMESTAMPTZ;  -- the client was forgotten: contact unreadable
-- statements: who issued it (expert_by_experience | developer_client_group | influence_body)
ALTER TABLE knowledge_items ADD COLUMN IF NOT EXISTS author_role VARCHAR;
-- severity critical on partial evidence, waiting for a person's confirmation (item.severity_confirmed)
ALTER TABLE knowledge_items ADD COLUMN IF NOT EXISTS critical_suspected BOOLEAN;
-- the item's arrival number: given by the sink when it first stores a row of the item, kept in
-- every derived per-item table, rows stored in its order (sinks/item_seq.py says why)
ALTER TABLE knowledge_items ADD COLUMN IF NOT EXISTS item_seq BIGINT;

-- Grain: one row per workshop.output_recorded event (one meeting of a developer-client group,
-- or one pop-up or digital forum): who took part, in numbers by role, and how many output items
-- it gave (each became a knowledge item with this workshop_id). Counts only, never names.
CREATE TABLE IF NOT EXISTS workshops (
    event_id                          UUID PRIMARY KEY,  -- the workshop.output_recorded event
    workshop_id                       VARCHAR NOT NULL,
    group_id                          VARCHAR,           -- developer-client group, if any
    meeting_number                    INTEGER,           -- the group's meeting 1, 2, ...
    forum_type                        VARCHAR NOT NULL,  -- structural | pop_up | digital
    held_on                           DATE NOT NULL,
    county                            VARCHAR NOT NULL,
    service_area                      VARCHAR NOT NULL,
    unit                              VARCHAR,
    facilitator_count                 INTEGER NOT NULL,
    participants_developer_client     INTEGER NOT NULL,  -- kehittäjäasiakkaat
    participants_expert_by_experience INTEGER NOT NULL,  -- kokemusasiantuntijat
    participants_client               INTEGER NOT NULL,
    participants_close_one            INTEGER NOT NULL,  -- läheiset
    participants_staff                INTEGER NOT NULL,
    participants_other                INTEGER NOT NULL,
    participants_total                INTEGER NOT NULL,  -- the six added (no facilitators)
    output_items                      INTEGER NOT NULL,
    occurred_at                       TIMESTAMPTZ NOT NULL,
    recorded_at                       TIMESTAMPTZ NOT NULL
);

-- Grain: one row per forgotten person (county, pseudonym): their key is erased, so every sealed
-- copy of their contact details (Kafka, this store, backups) is unreadable.
CREATE TABLE IF NOT EXISTS forgotten_persons (
    county           VARCHAR NOT NULL,
    client_pseudonym VARCHAR NOT NULL,
    forgotten_at     TIMESTAMPTZ NOT NULL,
    key_erased       BOOLEAN NOT NULL,
    event_id         UUID NOT NULL,
    PRIMARY KEY (county, client_pseudonym)
);

-- Grain: one row per lifecycle event of an item. Key: event_id (an event's, written once with it;
-- no PRIMARY KEY, as events).
CREATE TABLE IF NOT EXISTS lifecycle (
    event_id    UUID NOT NULL,
    item_id     VARCHAR NOT NULL,
    step        VARCHAR NOT NULL,  -- received | classified | routed | acknowledged | escalated | ...
    actor_role  VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    county      VARCHAR NOT NULL,
    unit        VARCHAR,
    details     JSON,              -- the step's own fields (routes, outcome, body, ...)
    topic       VARCHAR NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset"    BIGINT NOT NULL,
    chain_prev  VARCHAR,           -- chain_hash of the item's previous lifecycle event
    chain_hash  VARCHAR            -- SHA-256 over this event (schemas/chain.py)
);
ALTER TABLE lifecycle ADD COLUMN IF NOT EXISTS chain_prev VARCHAR;
ALTER TABLE lifecycle ADD COLUMN IF NOT EXISTS chain_hash VARCHAR;
-- Who acted, when a staff user asked through the workplace: us- + 16 hex, never a name.
ALTER TABLE lifecycle ADD COLUMN IF NOT EXISTS actor_pseudonym VARCHAR;

-- Grain: one row per (weekly signal, member item). A signal (source_family 'aggregate', item id
-- ag-...) summarises items of one unit and theme in one ISO week; when leadership acknowledges
-- the signal, its members count as having reached leadership.
CREATE TABLE IF NOT EXISTS aggregate_members (
    aggregate_item_id VARCHAR NOT NULL,
    member_item_id    VARCHAR NOT NULL,
    PRIMARY KEY (aggregate_item_id, member_item_id)
);

-- Grain: one row per rejected input record. Reason and origin, never the payload.
CREATE TABLE IF NOT EXISTS dead_letters (
    event_id            UUID PRIMARY KEY,
    reason              VARCHAR NOT NULL,
    detail              VARCHAR NOT NULL,
    problems            JSON,
    county              VARCHAR NOT NULL,
    original_event_type VARCHAR,
    original_event_id   VARCHAR,
    origin_topic        VARCHAR NOT NULL,
    origin_partition    INTEGER NOT NULL,
    origin_offset       BIGINT NOT NULL,
    recorded_at         TIMESTAMPTZ NOT NULL,
    topic               VARCHAR NOT NULL,
    "partition"         INTEGER NOT NULL,
    "offset"            BIGINT NOT NULL,
    sunk_at             TIMESTAMPTZ NOT NULL
);

-- The dead letter as the worker signed it (its own JSON: reason and origin, never the rejected
-- record's values); verify checks its signature. NULL in stores written before.
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS payload JSON;

-- Grain: one row per worker signing key, as published on the keys topic (schemas/seals.py).
-- The first record of a key id wins; a record whose id is not its key's is not stored.
CREATE TABLE IF NOT EXISTS worker_keys (
    key_id      VARCHAR PRIMARY KEY,
    algorithm   VARCHAR NOT NULL,
    public_key  VARCHAR NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    topic       VARCHAR NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset"    BIGINT NOT NULL,
    sunk_at     TIMESTAMPTZ NOT NULL
);

-- Grain: one row per checkpoint record the worker published (every one, not only the latest:
-- verify uses the latest the store has caught up with). Key: where the record was read.
CREATE TABLE IF NOT EXISTS worker_checkpoints (
    covered_topic     VARCHAR NOT NULL,
    covered_partition INTEGER NOT NULL,
    last_offset       BIGINT NOT NULL,
    signed_from       BIGINT NOT NULL,
    event_count       BIGINT NOT NULL,
    digest            VARCHAR NOT NULL,
    published_at      TIMESTAMPTZ NOT NULL,
    key_id            VARCHAR,
    signature         VARCHAR,
    topic             VARCHAR NOT NULL,
    "partition"       INTEGER NOT NULL,
    "offset"          BIGINT NOT NULL,
    sunk_at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (topic, "partition", "offset")
);

-- Grain: one row per consumed record the sink could not project (invalid intake, which the worker
-- dead-letters too; an unreadable record on another topic; anything a record raised while it was
-- parsed or projected): where it is and why, never its payload. Written with the offsets, once
-- per record.
CREATE TABLE IF NOT EXISTS sink_rejections (
    topic          VARCHAR NOT NULL,
    "partition"    INTEGER NOT NULL,
    "offset"       BIGINT NOT NULL,
    reason         VARCHAR NOT NULL,  -- a dead-letter reason code (processing_error: it raised)
    exception_type VARCHAR NOT NULL,  -- e.g. InvalidEvent, RecursionError
    stage          VARCHAR NOT NULL,  -- parse | project
    kafka_timestamp TIMESTAMPTZ,
    sunk_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (topic, "partition", "offset")
);

-- Grain: one row per topic partition the sink reads: the last offset stored, written in the same
-- transaction as the rows, so a restart resumes exactly where the store ends.
CREATE TABLE IF NOT EXISTS sink_offsets (
    topic       VARCHAR NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset"    BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (topic, "partition")
);

-- Grain: one row per counter. Consumed records and what became of them.
CREATE TABLE IF NOT EXISTS sink_counters (
    name  VARCHAR PRIMARY KEY,
    value BIGINT NOT NULL
);

-- An item's status (knowledge_items.status): its furthest own step, from its milestones;
-- `by_leadership`: leadership or a decision-maker has acknowledged it; `otherwise` when it has
-- none of them. Used by sinks/write_batch.sql for new and for stored items alike.
CREATE OR REPLACE MACRO item_status(closed_at, returned_at, decided_at, presented_at,
                                    by_leadership, escalated_at, acknowledged_at, routed_at,
                                    classified_at, otherwise) AS CASE
    WHEN closed_at IS NOT NULL THEN 'closed'
    WHEN returned_at IS NOT NULL THEN 'returned'
    WHEN decided_at IS NOT NULL THEN 'decided'
    WHEN presented_at IS NOT NULL THEN 'presented'
    WHEN by_leadership THEN 'acknowledged_by_leadership'
    WHEN escalated_at IS NOT NULL THEN 'escalated'
    WHEN acknowledged_at IS NOT NULL THEN 'acknowledged'
    WHEN routed_at IS NOT NULL THEN 'routed'
    WHEN classified_at IS NOT NULL THEN 'classified'
    ELSE otherwise END;

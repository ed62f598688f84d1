-- The access log (issue 16): who viewed which item, when and why, as the workplace signed it
-- (schemas/access_log.py), and the workplace's public keys. Documented column by column in
-- docs/data-dictionary.md. No names: a viewer is a pseudonym (us- and 16 hex digits).
-- Grain: each table's own, in the `Grain:` comment above it.
--
-- Run by sinks/store.py when the store opens; written by write_batch.sql; checked by
-- `kokemusvirta verify` (sinks/audit/access_log.py), read by `kokemusvirta access-log`.

-- Grain: one row per access.item_viewed (one view of one item by one person).
CREATE TABLE IF NOT EXISTS access_log (
    event_id       UUID PRIMARY KEY,
    chain_id       VARCHAR NOT NULL,     -- the writer run's chain (16 hex)
    seq            BIGINT NOT NULL,      -- 0, 1, 2 … within the chain
    viewer         VARCHAR NOT NULL,     -- the viewer's pseudonym, us- + 16 hex
    viewer_role    VARCHAR NOT NULL,     -- unit_manager | leadership | secretary | auditor | analyst
    viewer_scope   VARCHAR NOT NULL,     -- county, county.unit, county.area or *
    item_id        VARCHAR NOT NULL,
    county         VARCHAR NOT NULL,
    purpose        VARCHAR NOT NULL,     -- inbox | item_page | queue | agenda | dashboard | export | trace | other
    reason         VARCHAR,              -- the viewer's own words, redacted, ≤ 200 characters
    viewed_at      TIMESTAMPTZ NOT NULL,
    chain_prev     VARCHAR,
    chain_hash     VARCHAR NOT NULL,
    topic          VARCHAR NOT NULL,
    "partition"    INTEGER NOT NULL,
    "offset"       BIGINT NOT NULL,
    sunk_at        TIMESTAMPTZ NOT NULL,
    payload        JSON NOT NULL         -- the view as signed; verify checks every column against it
);

-- Grain: one row per workplace signing key, as published on the access-log topic. The first
-- record of a key id wins; a record whose id is not its key's is not stored.
CREATE TABLE IF NOT EXISTS access_log_keys (
    key_id      VARCHAR PRIMARY KEY,
    algorithm   VARCHAR NOT NULL,
    public_key  VARCHAR NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    topic       VARCHAR NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset"    BIGINT NOT NULL,
    sunk_at     TIMESTAMPTZ NOT NULL
);

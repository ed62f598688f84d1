-- People's word on the items' labels (issue 14): the classifier's labels and a person's side by
-- side, the labels that count (a person's where one exists), and the confirmation of critical
-- items. Documented column by column in docs/data-dictionary.md.
-- Grain: each table's, view's and macro's own, in the `Grain:` comment above it (e.g.
-- labels_human: one row per person's labelling step).
--
-- The classifier's labels stay in knowledge_items as they were classified (verify recomputes
-- them from item.classified); a person's are the lifecycle steps item.relabelled and
-- item.severity_confirmed, kept here. Every metric that reads themes, stance or severity reads
-- item_milestones (sinks/views.sql), whose labels are the effective ones (human_labels_at
-- below, as of the metric's moment), so the dashboards use a person's label where one exists.
-- Run by sinks/store.py before views.sql (item_milestone_rows calls human_labels_at).

-- Grain: one row per person's labelling step (item.relabelled or item.severity_confirmed), as
-- the worker accepted it. A label left out of a relabelling is NULL (not relabelled); the last
-- step that gives a label counts (Kafka order: "offset", one item's steps share a partition).
CREATE TABLE IF NOT EXISTS labels_human (
    event_id     UUID PRIMARY KEY,
    item_id      VARCHAR NOT NULL,
    step         VARCHAR NOT NULL,  -- relabelled | severity_confirmed
    actor_role   VARCHAR NOT NULL,  -- unit_manager | leadership
    county       VARCHAR NOT NULL,
    unit         VARCHAR,
    themes       VARCHAR[],         -- the person's themes ([] none); NULL not relabelled
    stance       VARCHAR,           -- NULL not relabelled
    severity     VARCHAR,           -- relabelled: NULL when not given; severity_confirmed:
                                    -- critical (confirmed) or the severity down-graded to
    confirmation VARCHAR,           -- severity_confirmed: confirmed | downgraded; else NULL
    reason       VARCHAR NOT NULL,  -- why, in the person's words (redacted by policy: no names)
    occurred_at  TIMESTAMPTZ NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    topic        VARCHAR NOT NULL,
    "partition"  INTEGER NOT NULL,
    "offset"     BIGINT NOT NULL
);

-- Grain: one row per item with a person's label recorded by ts (occurred_at <= ts, recorded_at
-- <= coalesce(recorded_by, ts)): each label as the last step that gave it says (NULL where no
-- step gave it).
CREATE OR REPLACE MACRO human_labels_at(ts, recorded_by := NULL) AS TABLE
SELECT item_id,
    arg_max(themes, "offset") FILTER (WHERE themes IS NOT NULL) AS themes,
    arg_max(stance, "offset") FILTER (WHERE stance IS NOT NULL) AS stance,
    arg_max(severity, "offset") FILTER (WHERE severity IS NOT NULL) AS severity,
    count(*) AS steps,
    max(occurred_at) AS last_labelled_at
FROM labels_human
WHERE occurred_at <= ts AND recorded_at <= coalesce(recorded_by, ts)
GROUP BY item_id;

-- Grain: one row per classified knowledge item (weekly signals included): the classifier's
-- labels (machine_*), a person's (human_*; NULL where none), and the labels that count
-- (themes, stance, severity: the person's where one exists, else the classifier's), as the
-- store knows them now.
CREATE OR REPLACE VIEW item_labels AS
SELECT k.item_id, k.source_family, k.county, k.service_area, k.unit, k.classifier_version,
    k.themes AS machine_themes, k.stance AS machine_stance, k.severity AS machine_severity,
    k.critical_suspected,
    h.themes AS human_themes, h.stance AS human_stance, h.severity AS human_severity,
    coalesce(h.themes, k.themes) AS themes,
    coalesce(h.stance, k.stance) AS stance,
    coalesce(h.severity, k.severity) AS severity,
    h.item_id IS NOT NULL AS labelled_by_person,
    coalesce(h.steps, 0) AS human_steps,
    h.last_labelled_at
FROM knowledge_items AS k
LEFT JOIN human_labels_at(TIMESTAMPTZ 'infinity') AS h ON h.item_id = k.item_id
WHERE k.classified_at IS NOT NULL;

-- Grain: one row per client knowledge item the classifier marked critical (aggregates
-- excluded) received by ts: whether it was suspected (critical on partial evidence), whether a
-- person confirmed or down-graded it by ts and how long that took from receipt, and whether it
-- still waits for confirmation (no confirmation, and no person's severity below critical).
CREATE OR REPLACE MACRO severity_confirmations_at(ts, recorded_by := NULL) AS TABLE
WITH confirmations AS (
    SELECT item_id,
        arg_min(confirmation, "offset") AS confirmation,
        arg_min(severity, "offset") AS confirmed_severity,
        arg_min(actor_role, "offset") AS confirmed_by,
        min(occurred_at) AS confirmed_at
    FROM labels_human
    WHERE step = 'severity_confirmed'
      AND occurred_at <= ts AND recorded_at <= coalesce(recorded_by, ts)
    GROUP BY item_id
)
SELECT k.item_id, k.county, k.service_area, k.unit, k.source_family,
    CAST(date_trunc('month', timezone('Europe/Helsinki', k.received_at)) AS DATE)
        AS month_received,
    coalesce(k.critical_suspected, false) AS critical_suspected,
    k.received_at, c.confirmation, c.confirmed_severity, c.confirmed_by, c.confirmed_at,
    (epoch(c.confirmed_at) - epoch(k.received_at)) / 3600 AS hours_to_confirm,
    h.severity AS human_severity,
    c.item_id IS NULL AND coalesce(h.severity, 'critical') = 'critical' AS waiting
FROM knowledge_items AS k
LEFT JOIN confirmations AS c ON c.item_id = k.item_id
LEFT JOIN human_labels_at(ts, recorded_by := recorded_by) AS h ON h.item_id = k.item_id
WHERE k.severity = 'critical' AND k.received_at <= ts
  AND k.source_family <> 'aggregate' AND NOT starts_with(k.item_id, 'ag-');

CREATE OR REPLACE VIEW severity_confirmations AS
SELECT * FROM severity_confirmations_at(now());

-- Grain: one row per county × service_area × month of receipt with critical items by ts: how
-- many the classifier marked critical, how many of them on partial evidence (suspected), how
-- many a person confirmed or down-graded, how many still wait (all, and the suspected), and
-- the median and longest time from receipt to confirmation.
CREATE OR REPLACE MACRO critical_confirmation_summary_at(ts, recorded_by := NULL) AS TABLE
SELECT county, service_area, month_received,
    count(*) AS critical_items,
    count(*) FILTER (WHERE critical_suspected) AS suspected,
    count(*) FILTER (WHERE confirmation = 'confirmed') AS confirmed,
    count(*) FILTER (WHERE confirmation = 'downgraded') AS downgraded,
    count(*) FILTER (WHERE waiting) AS waiting,
    count(*) FILTER (WHERE waiting AND critical_suspected) AS suspected_waiting,
    median(hours_to_confirm) AS median_hours_to_confirm,
    max(hours_to_confirm) AS max_hours_to_confirm
FROM severity_confirmations_at(ts, recorded_by := recorded_by)
GROUP BY ALL;

CREATE OR REPLACE VIEW critical_confirmation_summary AS
SELECT * FROM critical_confirmation_summary_at(now());

-- Flow metrics (issue 3): how far clients' knowledge got, how fast, and what is overdue.
-- Documented column by column in docs/data-dictionary.md.
-- Grain: each table's, view's and macro's own, in the `Grain:` comment above it (e.g.
-- item_milestones: one row per client knowledge item received).
--
-- Point in time: every metric is a table macro `<name>_at(ts)` computed from the lifecycle rows
-- that had been recorded by `ts` (recorded_at <= ts, occurred_at <= ts); the view `<name>` is
-- that macro at now(). The optional `recorded_by := t` asks what the store knows by t about the
-- state at ts (late-recorded events included); it defaults to ts: what the metrics showed then.
--
-- Speed: the views do not recompute the milestones from every lifecycle row on each query. The
-- sink keeps two tables current in the same transaction as each batch (sinks/milestones.sql):
-- item_milestones_materialised (item_milestones' rows) and open_obligations (what open items
-- still owe); the views read them and equal the macros at now() (tests/unit/test_views.py),
-- unless an event is dated in the future, which the tables count at once. The macros keep
-- computing from the lifecycle rows.
--
-- Milestones come from the `lifecycle` table (knowledge_items gives only the item's dimensions).
-- Each level counts an item that reached it OR A LEVEL ABOVE, so that no count at a level can
-- exceed the count below it (received >= acknowledged >= reached leadership >= reached
-- decision-makers; tests/integration/sinks/test_monotone_figures.py holds it):
--   reached decision-makers = the first presented event;
--   reached leadership      = the first lifecycle event by a leadership or decision_maker actor
--                             (acknowledged, presented, decided, ...), the first such event of
--                             a weekly signal (aggregate) holding the item (its acknowledgement),
--                             or reaching decision-makers, whichever is first;
--   acknowledged            = the first acknowledged event, or reaching leadership, whichever is
--                             first (a signal's acknowledgement by leadership acknowledges its
--                             members);   returned = the first returned event.
-- Aggregates (source_family 'aggregate', ag-…) are not client knowledge: no metric counts them.
-- Times are the events' occurred_at; dates, months and working days are Finnish (Europe/Helsinki).

-- Working days and due dates follow one rule, schemas/deadlines.py: sinks/calendar.py writes
-- calendar_days and deadline_due_dates from its functions, and the fi_* macros below count on
-- calendar_days (tests/integration/sinks/test_deadline_rule.py holds them to the functions).

-- Grain: one row per calendar day, 2010-01-01 .. 2045-12-31 (written by sinks/calendar.py from
-- schemas/deadlines.py; its comment names the rule's version it was computed by).
CREATE TABLE IF NOT EXISTS calendar_days (
    day                DATE PRIMARY KEY,
    is_working_day     BOOLEAN NOT NULL,  -- Mon-Fri and not a Finnish public holiday
    holiday_name       VARCHAR,           -- the public holiday's Finnish name, else NULL
    working_day_number INTEGER NOT NULL   -- working days from 2010-01-01 up to and including day
);

-- Grain: one row per deadline (written from Settings at every sink start).
CREATE TABLE IF NOT EXISTS deadlines (
    deadline     VARCHAR PRIMARY KEY,  -- acknowledge | decide_or_answer | return_after_decision
                                       -- | reply_to_client
    amount       INTEGER NOT NULL,
    unit         VARCHAR NOT NULL,     -- working_days | calendar_days
    counted_from VARCHAR NOT NULL,     -- received | decided
    met_by       VARCHAR NOT NULL,
    applies_to   VARCHAR NOT NULL
);

-- The day in Finland at a moment.
CREATE OR REPLACE MACRO fi_date(t) AS CAST(timezone('Europe/Helsinki', t) AS DATE);

-- Working days in (d1, d2]: 0 on the same day, 1 from a Friday to the next Monday.
CREATE OR REPLACE MACRO fi_working_days_between(d1, d2) AS
    (SELECT working_day_number FROM calendar_days WHERE day = d2)
    - (SELECT working_day_number FROM calendar_days WHERE day = d1);

-- A deadline's due date: the amount-th working day after d, or d + amount calendar days moved
-- to the next working day when that is not one (the first working day on or after a day x has
-- the number of x - 1 day plus one): schemas.deadlines.due_date on calendar_days' numbers, for
-- a query's own amounts. The views join deadline_due_dates instead, since a correlated subquery
-- per row is slow over thousands of items. 0 working days is d itself, even on a holiday.
CREATE OR REPLACE MACRO fi_due_date(d, amount, unit) AS CASE
    WHEN unit = 'working_days' AND amount = 0 THEN CAST(d AS DATE)
    ELSE (SELECT c.day FROM calendar_days AS c
          WHERE c.is_working_day AND c.working_day_number = CASE unit
              WHEN 'working_days' THEN amount
                  + (SELECT s.working_day_number FROM calendar_days AS s WHERE s.day = d)
              WHEN 'calendar_days' THEN 1
                  + (SELECT s.working_day_number FROM calendar_days AS s
                     WHERE s.day = CAST(d AS DATE) + CAST(amount AS INTEGER) - 1)
              END) END;

-- Grain: one row per deadline × Finnish calendar day an obligation could start on: its due
-- date (schemas.deadlines.due_date, written by sinks/calendar.py when the store is new, the
-- deadlines change or the rule does), so that an item's due dates are one join away, not a
-- calendar walk. A due date after the calendar's end has no row.
CREATE TABLE IF NOT EXISTS deadline_due_dates (
    deadline VARCHAR NOT NULL,
    start_on DATE NOT NULL,     -- the Finnish date the obligation starts (receipt, decision)
    due_on   DATE NOT NULL      -- fi_due_date(start_on, amount, unit)
);  -- no PRIMARY KEY: rewritten by delete + insert in one transaction (one row per key)

-- The rows of item_milestones for the lifecycle rows recorded by ts (see item_milestones_at).
-- `scoped`: only the items listed in the table milestone_scope (the sink's scratch table, empty
-- outside its transaction), so that a batch recomputes just the items it touched. The members
-- of a signal count as reaching leadership when the signal does, so a scoped run also reads the
-- lifecycle of the signals its items belong to.
CREATE TABLE IF NOT EXISTS milestone_scope (item_id VARCHAR NOT NULL);

-- Every item a batch touches (its lifecycle rows' items, the members of its signals, the
-- signals holding them) with its arrival number, item_seq: the sink's scratch table, empty
-- outside its transaction (sinks/write_batch.sql fills it). The derived tables keep item_seq
-- and are stored in its order, so a look-up joined on (item_seq, item_id) reads only the row
-- groups whose item_seq range holds the batch's (DuckDB's zone maps): not a million item ids.
CREATE TABLE IF NOT EXISTS batch_items (item_id VARCHAR NOT NULL, item_seq BIGINT NOT NULL);

-- The batch's lifecycle rows while the sink writes them (sinks/milestones.sql; empty outside its
-- transaction): what item_step_rows folds into the stored item_steps, so that a batch reads
-- only its own rows, never the whole lifecycle.
CREATE TABLE IF NOT EXISTS lifecycle_batch (
    item_id VARCHAR NOT NULL, step VARCHAR NOT NULL, actor_role VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL, details JSON
);

-- One row per item with lifecycle rows recorded by ts (weekly signals and items not received
-- yet included): the first time of each step, and the fields of the first decision and return
-- (each with the time of the row it came from, *_of_at, so that a later batch can fold its rows
-- in: every column is a min or an arg_min). `batch`: the rows of lifecycle_batch instead.
CREATE OR REPLACE MACRO item_step_rows(ts, recorded_by, batch) AS TABLE
WITH known AS (
    SELECT item_id, step, actor_role, occurred_at, details FROM lifecycle
    WHERE NOT batch AND occurred_at <= ts AND recorded_at <= coalesce(recorded_by, ts)
    UNION ALL
    SELECT item_id, step, actor_role, occurred_at, details FROM lifecycle_batch WHERE batch
),
decided AS (
    SELECT item_id, occurred_at, json_extract_string(details, '$.outcome') AS outcome,
        json_extract_string(details, '$.rationale') AS rationale
    FROM known WHERE step = 'decided'
),
returned AS (
    SELECT item_id, occurred_at, json_extract_string(details, '$.returned_to') AS returned_to
    FROM known WHERE step = 'returned'
),
firsts AS (
    SELECT item_id,
        min(occurred_at) FILTER (WHERE step = 'received') AS received_at,
        min(occurred_at) FILTER (WHERE step = 'acknowledged') AS acknowledged_at,
        min(occurred_at) FILTER (WHERE step = 'escalated') AS escalated_at,
        -- a person's word on the labels (sinks/labels.sql) and the notifier's deliveries and
        -- notices (sinks/notifications.sql) are side steps, no step in handling the item; a
        -- weekly signal's leadership_step_at is when its members reached leadership
        min(occurred_at) FILTER (WHERE actor_role IN ('leadership', 'decision_maker')
                                   AND step NOT IN ('relabelled', 'severity_confirmed',
                                                    'reply_delivery', 'staff_notified'))
            AS leadership_step_at,
        min(occurred_at) FILTER (WHERE step = 'presented') AS reached_decision_makers_at,
        min(occurred_at) FILTER (WHERE step = 'decided') AS decided_at,
        min(occurred_at) FILTER (WHERE step = 'returned') AS returned_at,
        min(occurred_at) FILTER (WHERE step = 'returned'
                                   AND json_extract_string(details, '$.returned_to') = 'client')
            AS returned_to_client_at,
        min(occurred_at) FILTER (WHERE step = 'closed') AS closed_at
    FROM known
    GROUP BY item_id
),
-- arg_min skips a NULL field, so each field keeps the time of the row it came from
outcomes AS (
    SELECT item_id, arg_min(outcome, occurred_at) AS outcome,
        min(occurred_at) FILTER (WHERE outcome IS NOT NULL) AS outcome_of_at,
        arg_min(rationale, occurred_at) AS decision_rationale,
        min(occurred_at) FILTER (WHERE rationale IS NOT NULL) AS decision_rationale_of_at
    FROM decided GROUP BY item_id
),
returns AS (
    SELECT item_id, arg_min(returned_to, occurred_at) AS returned_to,
        min(occurred_at) FILTER (WHERE returned_to IS NOT NULL) AS returned_to_of_at
    FROM returned GROUP BY item_id
)
SELECT f.item_id, f.received_at, f.acknowledged_at, f.escalated_at, f.leadership_step_at,
    f.reached_decision_makers_at, f.decided_at, o.outcome, o.outcome_of_at,
    o.decision_rationale, o.decision_rationale_of_at, f.returned_at, r.returned_to,
    r.returned_to_of_at, f.returned_to_client_at, f.closed_at
FROM firsts AS f
LEFT JOIN outcomes AS o ON o.item_id = f.item_id
LEFT JOIN returns AS r ON r.item_id = f.item_id;

-- @derived item_steps: here sinks/store.py makes sure that the table exists with
-- item_step_rows' columns: every item's steps at 'infinity' from every row stored, kept by
-- the sink (sinks/milestones.sql folds each batch's rows into its items' rows).

CREATE OR REPLACE MACRO item_milestone_rows(ts, recorded_by, scoped) AS TABLE
WITH wanted AS (  -- with scoped: the scoped items and the signals holding them
    SELECT item_id FROM milestone_scope
    UNION
    SELECT m.aggregate_item_id FROM aggregate_members AS m
    SEMI JOIN milestone_scope AS s ON s.item_id = m.member_item_id
),
steps AS (  -- each item's first steps: kept by the sink (scoped), or from the lifecycle rows
    SELECT t.* EXCLUDE (item_seq) FROM item_steps AS t
    SEMI JOIN (SELECT b.* FROM batch_items AS b SEMI JOIN wanted AS w ON w.item_id = b.item_id)
        AS w ON w.item_seq = t.item_seq AND w.item_id = t.item_id
    WHERE scoped
    UNION ALL
    SELECT * FROM item_step_rows(ts, recorded_by, false) WHERE NOT scoped
),
known_items AS (  -- scoped: the batch's items only, found by their arrival number (batch_items)
    SELECT k.* FROM knowledge_items AS k
    SEMI JOIN batch_items AS b ON b.item_seq = k.item_seq AND b.item_id = k.item_id
    WHERE scoped
    UNION ALL
    SELECT * FROM knowledge_items WHERE NOT scoped
),
via_aggregate AS (  -- a signal's first leadership step is its members' reaching leadership
    SELECT m.member_item_id AS item_id, min(a.leadership_step_at) AS at
    FROM aggregate_members AS m
    JOIN steps AS a ON a.item_id = m.aggregate_item_id
    GROUP BY m.member_item_id
),
items AS (
    SELECT k.item_id, k.source_family, k.county, k.service_area, k.unit, k.channel, k.language,
        -- the labels that count: a person's where one exists by ts (sinks/labels.sql)
        coalesce(h.themes, k.themes) AS themes, coalesce(h.stance, k.stance) AS stance,
        coalesce(h.severity, k.severity) AS severity, k.reply_requested, k.contact_given,
        s.received_at,
        -- each level at the first time it or a level above was reached (least skips NULLs)
        least(s.acknowledged_at, s.leadership_step_at, v.at, s.reached_decision_makers_at)
            AS acknowledged_at,
        s.escalated_at,
        least(s.leadership_step_at, v.at, s.reached_decision_makers_at) AS reached_leadership_at,
        coalesce(v.at < least(s.leadership_step_at, s.reached_decision_makers_at)
                 OR (v.at IS NOT NULL AND s.leadership_step_at IS NULL
                     AND s.reached_decision_makers_at IS NULL),
                 false) AS reached_leadership_via_aggregate,
        s.reached_decision_makers_at, s.decided_at, s.outcome, s.returned_at, s.returned_to,
        s.returned_to_client_at, s.closed_at, s.decision_rationale,
        fi_date(s.received_at) AS received_on, fi_date(s.decided_at) AS decided_on
    FROM steps AS s
    JOIN known_items AS k ON k.item_id = s.item_id
    LEFT JOIN via_aggregate AS v ON v.item_id = s.item_id
    LEFT JOIN human_labels_at(ts, recorded_by := recorded_by) AS h ON h.item_id = s.item_id
    WHERE s.received_at IS NOT NULL
      AND k.source_family <> 'aggregate' AND NOT starts_with(k.item_id, 'ag-')
      AND (NOT scoped OR s.item_id IN (SELECT item_id FROM milestone_scope))
)
SELECT i.item_id, i.source_family, i.county, i.service_area, i.unit, i.channel, i.language,
    i.themes, i.stance, i.severity, i.reply_requested, i.contact_given, i.received_at,
    i.acknowledged_at, i.escalated_at, i.reached_leadership_at,
    i.reached_leadership_via_aggregate, i.reached_decision_makers_at, i.decided_at, i.outcome,
    i.returned_at, i.returned_to, i.returned_to_client_at, i.closed_at,
    CAST(date_trunc('month', i.received_on) AS DATE) AS month_received,
    (epoch(i.acknowledged_at) - epoch(i.received_at)) / 3600 AS hours_to_acknowledge,
    (epoch(i.reached_leadership_at) - epoch(i.received_at)) / 3600 AS hours_to_reach_leadership,
    (epoch(i.decided_at) - epoch(i.received_at)) / 3600 AS hours_to_decide,
    (epoch(i.returned_at) - epoch(i.received_at)) / 3600 AS hours_to_return,
    (epoch(i.returned_at) - epoch(i.decided_at)) / 3600 AS hours_decision_to_return,
    fi_working_days_between(i.received_on, fi_date(i.acknowledged_at))
        AS working_days_to_acknowledge,
    fi_working_days_between(i.received_on, fi_date(i.reached_leadership_at))
        AS working_days_to_reach_leadership,
    fi_working_days_between(i.received_on, i.decided_on) AS working_days_to_decide,
    fi_working_days_between(i.received_on, fi_date(i.returned_at)) AS working_days_to_return,
    fi_working_days_between(i.decided_on, fi_date(i.returned_at))
        AS working_days_decision_to_return,
    -- calendar days between the Finnish dates (what a calendar-day deadline counts)
    CAST(fi_date(i.acknowledged_at) - i.received_on AS INTEGER) AS days_to_acknowledge,
    CAST(fi_date(i.reached_leadership_at) - i.received_on AS INTEGER)
        AS days_to_reach_leadership,
    CAST(i.decided_on - i.received_on AS INTEGER) AS days_to_decide,
    CAST(fi_date(i.returned_at) - i.received_on AS INTEGER) AS days_to_return,
    CAST(fi_date(i.returned_at) - i.decided_on AS INTEGER) AS days_decision_to_return,
    i.decision_rationale,
    i.received_on, i.decided_on,  -- the Finnish dates of receipt and of the decision
    -- due dates of the deadlines (deadlines table); NULL where a deadline does not apply
    ack.due_on AS acknowledge_due_on,
    dec.due_on AS decide_or_answer_due_on,
    ret.due_on AS return_after_decision_due_on,
    CASE WHEN i.reply_requested AND i.contact_given THEN rep.due_on END AS reply_to_client_due_on
FROM items AS i
LEFT JOIN deadline_due_dates AS ack
    ON ack.deadline = 'acknowledge' AND ack.start_on = i.received_on
LEFT JOIN deadline_due_dates AS dec
    ON dec.deadline = 'decide_or_answer' AND dec.start_on = i.received_on
LEFT JOIN deadline_due_dates AS ret
    ON ret.deadline = 'return_after_decision' AND ret.start_on = i.decided_on
LEFT JOIN deadline_due_dates AS rep
    ON rep.deadline = 'reply_to_client' AND rep.start_on = i.received_on;

-- Grain: one row per client knowledge item received by ts (aggregates excluded): its
-- dimensions, its milestones as of ts, the time each took from receipt and the due date of
-- each deadline.
CREATE OR REPLACE MACRO item_milestones_at(ts, recorded_by := NULL) AS TABLE
SELECT * FROM item_milestone_rows(ts, recorded_by, false);

-- @derived item_milestones_materialised: sinks/store.py runs this file in parts; here it makes
-- sure that the table exists with item_milestone_rows' columns (the macros below are bound to
-- its columns when they are created).

-- @derived milestones_batch: the rows of item_milestones_materialised the sink is writing in
-- the current batch (sinks/milestones.sql; empty outside its transaction), so that
-- obligation_rows reads them there and not out of the whole materialised table.

-- The derived tables the sink keeps current (sinks/milestones.sql): the milestones of every
-- client item (item_milestones_materialised: item_milestone_rows at 'infinity', every row
-- stored) and every obligation an open item has not yet met (open_obligations:
-- obligation_rows). sinks/store.py creates them from these macros, fills them, and remakes
-- them when a release changed their columns.

-- Grain: one row per open (not closed) client knowledge item × deadline it has not met yet,
-- with the due date (whether past or not): the overdue items of any day are those due before
-- it. earliest_due marks the item's obligation due first (its most overdue one); on a tie of
-- due dates, the one first in deadline_order (acknowledge, decide_or_answer,
-- return_after_decision, reply_to_client), so exactly one row per item has it. Computed from
-- the batch's rows of item_milestones_materialised, in milestones_batch (scoped = true: the
-- sink), or from item_milestones_at(ts, recorded_by) (scoped = false).
CREATE OR REPLACE MACRO obligation_rows(ts, recorded_by, scoped) AS TABLE
WITH items AS NOT MATERIALIZED (
    SELECT * EXCLUDE (item_seq) FROM milestones_batch WHERE scoped
    UNION ALL
    SELECT * FROM item_milestone_rows(ts, recorded_by, false) WHERE NOT scoped
),
open_items AS NOT MATERIALIZED (
    SELECT * FROM items WHERE closed_at IS NULL
),
unmet AS (  -- one pass over the open items: each deadline that applies and is not met yet
    SELECT o.item_id, o.source_family, o.county, o.service_area, o.unit, o.channel, o.themes,
        o.severity, o.month_received, d.deadline, d.deadline_order, d.started_at, d.due_on
    FROM open_items AS o,
    LATERAL (VALUES
        ('acknowledge', 1, o.received_at, o.acknowledge_due_on, o.acknowledged_at IS NULL),
        ('decide_or_answer', 2, o.received_at, o.decide_or_answer_due_on,
         o.decided_at IS NULL AND o.returned_at IS NULL),
        ('return_after_decision', 3, o.decided_at, o.return_after_decision_due_on,
         o.returned_at IS NULL),
        ('reply_to_client', 4, o.received_at, o.reply_to_client_due_on,
         o.returned_to_client_at IS NULL)
    ) AS d(deadline, deadline_order, started_at, due_on, not_met)
    WHERE d.not_met AND d.due_on IS NOT NULL
)
SELECT item_id, source_family, county, service_area, unit, channel, themes, severity,
    month_received, deadline, deadline_order, started_at, due_on,
    row_number() OVER (PARTITION BY item_id ORDER BY due_on, deadline_order) = 1
        AS earliest_due
FROM unmet;

-- @derived open_obligations: here sinks/store.py makes sure that the table exists with
-- obligation_rows' columns; the views below are bound to the derived tables' columns.

-- The current state (every lifecycle row stored, whenever it occurred) is kept in the table
-- item_milestones_materialised, maintained by the sink in the same transaction as each batch
-- (sinks/milestones.sql); it has exactly item_milestones_at's columns, and item_seq.
-- The view reads the table: it equals item_milestones_at(now()) unless a lifecycle event is
-- dated in the future (the table counts it at once).
CREATE OR REPLACE VIEW item_milestones AS
SELECT * EXCLUDE (item_seq) FROM item_milestones_materialised;

-- The milestone rows every metric below is computed from: the materialised current state
-- (current = true, for the views), or item_milestones_at(ts, recorded_by) (for the *_at
-- macros). The branch not taken is a constant-false filter, which DuckDB prunes when planning.
CREATE OR REPLACE MACRO milestone_source(ts, recorded_by, current) AS TABLE
SELECT * EXCLUDE (item_seq) FROM item_milestones_materialised WHERE current
UNION ALL
SELECT * FROM item_milestone_rows(ts, recorded_by, false) WHERE NOT current;

-- Grain: one row per county × service_area × unit × source_family × channel × month of
-- receipt. Each item counts once, whatever its themes, so rows add up to item counts. Each
-- column counts the items that had reached that milestone by ts.
CREATE OR REPLACE MACRO flow_funnel_of(ts, recorded_by, current) AS TABLE
SELECT county, service_area, unit, source_family, channel, month_received,
    count(*) AS received,
    count(acknowledged_at) AS acknowledged,
    count(reached_leadership_at) AS reached_leadership,
    count(reached_decision_makers_at) AS reached_decision_makers,
    count(decided_at) AS decided,
    count(returned_at) AS returned,
    count(closed_at) AS closed
FROM milestone_source(ts, recorded_by, current)
GROUP BY ALL;

CREATE OR REPLACE MACRO flow_funnel_at(ts, recorded_by := NULL) AS TABLE
SELECT * FROM flow_funnel_of(ts, recorded_by, false);
CREATE OR REPLACE VIEW flow_funnel AS SELECT * FROM flow_funnel_of(now(), NULL, true);

-- Grain: one row per county × service_area × unit × theme × source_family × channel × month of
-- receipt. An item counts under each of its themes (an item with two themes counts twice when
-- themes are added up: to count items, use flow_funnel); an item without themes counts once,
-- under theme NULL. Each column counts the items that had reached that milestone by ts.
CREATE OR REPLACE MACRO flow_funnel_by_theme_of(ts, recorded_by, current) AS TABLE
WITH by_theme_list AS (  -- counted per list of themes first: a few hundred lists, not an
                         -- unnest of every item
    SELECT county, service_area, unit, themes, source_family, channel, month_received,
        count(*) AS received,
        count(acknowledged_at) AS acknowledged,
        count(reached_leadership_at) AS reached_leadership,
        count(reached_decision_makers_at) AS reached_decision_makers,
        count(decided_at) AS decided,
        count(returned_at) AS returned,
        count(closed_at) AS closed
    FROM milestone_source(ts, recorded_by, current)
    GROUP BY ALL
),
by_theme AS (
    SELECT *, unnest(CASE WHEN len(coalesce(themes, [])) = 0 THEN [NULL::VARCHAR]
                          ELSE themes END) AS theme
    FROM by_theme_list
)
SELECT county, service_area, unit, theme, source_family, channel, month_received,
    CAST(sum(received) AS BIGINT) AS received,
    CAST(sum(acknowledged) AS BIGINT) AS acknowledged,
    CAST(sum(reached_leadership) AS BIGINT) AS reached_leadership,
    CAST(sum(reached_decision_makers) AS BIGINT) AS reached_decision_makers,
    CAST(sum(decided) AS BIGINT) AS decided,
    CAST(sum(returned) AS BIGINT) AS returned,
    CAST(sum(closed) AS BIGINT) AS closed
FROM by_theme
GROUP BY ALL;

CREATE OR REPLACE MACRO flow_funnel_by_theme_at(ts, recorded_by := NULL) AS TABLE
SELECT * FROM flow_funnel_by_theme_of(ts, recorded_by, false);
CREATE OR REPLACE VIEW flow_funnel_by_theme AS
SELECT * FROM flow_funnel_by_theme_of(now(), NULL, true);

-- Grain: as flow_funnel_by_theme. Shares of the items received; to roll up, add the counts
-- and divide again (never average the shares; across themes, count items in flow_funnel or
-- item_milestones instead).
CREATE OR REPLACE MACRO reach_rates_of(ts, recorded_by, current) AS TABLE
WITH by_theme_list AS (  -- counted per list of themes first, then spread over its themes
    SELECT county, service_area, unit, themes, source_family, channel, month_received,
        count(*) AS items,
        count(acknowledged_at) AS acknowledged,
        count(reached_leadership_at) AS reached_leadership,
        count(*) FILTER (WHERE reached_leadership_via_aggregate)
            AS reached_leadership_via_aggregate,
        count(reached_decision_makers_at) AS reached_decision_makers
    FROM milestone_source(ts, recorded_by, current)
    GROUP BY ALL
),
counts AS (
    SELECT county, service_area, unit, theme, source_family, channel, month_received,
        CAST(sum(items) AS BIGINT) AS items,
        CAST(sum(acknowledged) AS BIGINT) AS acknowledged,
        CAST(sum(reached_leadership) AS BIGINT) AS reached_leadership,
        CAST(sum(reached_leadership_via_aggregate) AS BIGINT)
            AS reached_leadership_via_aggregate,
        CAST(sum(reached_decision_makers) AS BIGINT) AS reached_decision_makers
    FROM (SELECT *, unnest(CASE WHEN len(coalesce(themes, [])) = 0 THEN [NULL::VARCHAR]
                                ELSE themes END) AS theme
          FROM by_theme_list)
    GROUP BY ALL
)
SELECT county, service_area, unit, theme, source_family, channel, month_received, items,
    acknowledged, acknowledged / items AS acknowledged_share,
    reached_leadership, reached_leadership / items AS reached_leadership_share,
    reached_leadership_via_aggregate,
    reached_decision_makers, reached_decision_makers / items AS reached_decision_makers_share
FROM counts;

CREATE OR REPLACE MACRO reach_rates_at(ts, recorded_by := NULL) AS TABLE
SELECT * FROM reach_rates_of(ts, recorded_by, false);
CREATE OR REPLACE VIEW reach_rates AS SELECT * FROM reach_rates_of(now(), NULL, true);

-- Grain: as flow_funnel_by_theme. Shares of the items received, of the items decided, and of
-- the items whose client asked for a reply (reply_requested means that, as in knowledge_items,
-- whether or not a contact was given; the reply_to_client deadline is what needs the contact).
CREATE OR REPLACE MACRO return_rates_of(ts, recorded_by, current) AS TABLE
WITH by_theme_list AS (  -- counted per list of themes first, then spread over its themes
    SELECT county, service_area, unit, themes, source_family, channel, month_received,
        count(*) AS items,
        count(returned_at) AS returned,
        count(decided_at) AS decided,
        count(*) FILTER (WHERE decided_at IS NOT NULL AND returned_at IS NOT NULL)
            AS decided_and_returned,
        count(*) FILTER (WHERE reply_requested) AS reply_requested,
        count(*) FILTER (WHERE reply_requested AND returned_to_client_at IS NOT NULL)
            AS replied_to_client
    FROM milestone_source(ts, recorded_by, current)
    GROUP BY ALL
),
counts AS (
    SELECT county, service_area, unit, theme, source_family, channel, month_received,
        CAST(sum(items) AS BIGINT) AS items,
        CAST(sum(returned) AS BIGINT) AS returned,
        CAST(sum(decided) AS BIGINT) AS decided,
        CAST(sum(decided_and_returned) AS BIGINT) AS decided_and_returned,
        CAST(sum(reply_requested) AS BIGINT) AS reply_requested,
        CAST(sum(replied_to_client) AS BIGINT) AS replied_to_client
    FROM (SELECT *, unnest(CASE WHEN len(coalesce(themes, [])) = 0 THEN [NULL::VARCHAR]
                                ELSE themes END) AS theme
          FROM by_theme_list)
    GROUP BY ALL
)
SELECT county, service_area, unit, theme, source_family, channel, month_received, items,
    returned, returned / items AS returned_share,
    decided, decided_and_returned,
    CASE WHEN decided > 0 THEN decided_and_returned / decided END AS returned_share_of_decided,
    reply_requested, replied_to_client,
    CASE WHEN reply_requested > 0 THEN replied_to_client / reply_requested END
        AS replied_share_of_requested
FROM counts;

CREATE OR REPLACE MACRO return_rates_at(ts, recorded_by := NULL) AS TABLE
SELECT * FROM return_rates_of(ts, recorded_by, false);
CREATE OR REPLACE VIEW return_rates AS SELECT * FROM return_rates_of(now(), NULL, true);

-- Grain: one row per county × service_area × month of receipt × measure (acknowledge,
-- reach_leadership, decide, return: each from receipt; decision_to_return: from the decision).
-- Only items that reached the measure's milestone by ts count. Percentiles are interpolated
-- (quantile_cont, like PERCENTILE.INC).
CREATE OR REPLACE MACRO lead_times_of(ts, recorded_by, current) AS TABLE
WITH durations AS (
    SELECT i.county, i.service_area, i.month_received, m.measure, m.hours, m.working_days
    FROM milestone_source(ts, recorded_by, current) AS i,
    LATERAL (VALUES
        ('acknowledge', i.hours_to_acknowledge, i.working_days_to_acknowledge),
        ('reach_leadership', i.hours_to_reach_leadership, i.working_days_to_reach_leadership),
        ('decide', i.hours_to_decide, i.working_days_to_decide),
        ('return', i.hours_to_return, i.working_days_to_return),
        ('decision_to_return', i.hours_decision_to_return, i.working_days_decision_to_return)
    ) AS m(measure, hours, working_days)
    WHERE m.hours IS NOT NULL
)
SELECT county, service_area, month_received, measure,
    count(*) AS items,
    quantile_cont(hours, 0.5) AS median_hours,
    quantile_cont(hours, 0.9) AS p90_hours,
    quantile_cont(working_days, 0.5) AS median_working_days,
    quantile_cont(working_days, 0.9) AS p90_working_days
FROM durations
GROUP BY ALL;

CREATE OR REPLACE MACRO lead_times_at(ts, recorded_by := NULL) AS TABLE
SELECT * FROM lead_times_of(ts, recorded_by, false);
CREATE OR REPLACE VIEW lead_times AS SELECT * FROM lead_times_of(now(), NULL, true);

-- Grain: one row per open (not closed by ts) client knowledge item × deadline it has missed:
-- the deadline's milestone not reached by ts and ts's Finnish date later than the due date
-- (the item's <deadline>_due_on). most_overdue marks the item's row with the earliest due
-- date, on a tie the deadline first in deadline_order: one row per overdue item. The current
-- view reads the open_obligations table.
CREATE OR REPLACE MACRO overdue_items_of(ts, recorded_by, current) AS TABLE
WITH obligations AS NOT MATERIALIZED (
    SELECT * EXCLUDE (item_seq) FROM open_obligations WHERE current
    UNION ALL
    SELECT * FROM obligation_rows(ts, recorded_by, false) WHERE NOT current
),
today AS (
    SELECT day, working_day_number FROM calendar_days WHERE day = fi_date(ts)
)
SELECT b.item_id, b.source_family, b.county, b.service_area, b.unit, b.channel, b.themes,
    b.severity, b.deadline, d.amount AS deadline_amount, d.unit AS deadline_unit, b.started_at,
    b.due_on AS due_date,
    t.day - b.due_on AS days_overdue,
    t.working_day_number - c.working_day_number AS working_days_overdue,
    b.month_received, b.earliest_due AS most_overdue
FROM obligations AS b
JOIN deadlines AS d ON d.deadline = b.deadline
JOIN calendar_days AS c ON c.day = b.due_on
CROSS JOIN today AS t
WHERE b.due_on < t.day;

CREATE OR REPLACE MACRO overdue_items_at(ts, recorded_by := NULL) AS TABLE
SELECT * FROM overdue_items_of(ts, recorded_by, false);
CREATE OR REPLACE VIEW overdue_items AS SELECT * FROM overdue_items_of(now(), NULL, true);

-- Flow metrics (issue 3): how far clients' knowledge got, how fast, and what is overdue.
-- Documented column by column in docs/data-dictionary.md.
--
-- Point in time: every metric is a table macro `<name>_at(ts)` computed from the lifecycle rows
-- that had been recorded by `ts` (recorded_at <= ts, occurred_at <= ts); the view `<name>` is
-- that macro at now(). The optional `recorded_by := t` asks what the store knows by t about the
-- state at ts (late-recorded events included); it defaults to ts: what the metrics showed then.
--
-- Milestones come from the `lifecycle` table (knowledge_items gives only the item's dimensions):
--   reached leadership      = the first lifecycle event by a leadership or decision_maker actor
--                             (acknowledged, presented, decided, ...), or the first such event of
--                             a weekly signal (aggregate) holding the item (its acknowledgement);
--   reached decision-makers = the first presented event;   returned = the first returned event.
-- Aggregates (source_family 'aggregate', ag-…) are not client knowledge: no metric counts them.
-- Times are the events' occurred_at; dates, months and working days are Finnish (Europe/Helsinki).

-- Grain: one row per calendar day, 2010-01-01 .. 2045-12-31 (written by sinks/calendar.py).
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
-- the number of x - 1 day plus one). For a few rows; overdue_items_at joins calendar_days the
-- same way, since a correlated subquery per row is slow over thousands of items.
CREATE OR REPLACE MACRO fi_due_date(d, amount, unit) AS (
    SELECT c.day FROM calendar_days AS c
    WHERE c.is_working_day AND c.working_day_number = CASE unit
        WHEN 'working_days' THEN amount
            + (SELECT s.working_day_number FROM calendar_days AS s WHERE s.day = d)
        WHEN 'calendar_days' THEN 1
            + (SELECT s.working_day_number FROM calendar_days AS s
               WHERE s.day = CAST(d AS DATE) + CAST(amount AS INTEGER) - 1)
        END);

-- Grain: one row per client knowledge item received by ts (aggregates excluded): its
-- dimensions, its milestones as of ts and the time each took from receipt.
CREATE OR REPLACE MACRO item_milestones_at(ts, recorded_by := NULL) AS TABLE
WITH known AS (
    SELECT * FROM lifecycle
    WHERE occurred_at <= ts AND recorded_at <= coalesce(recorded_by, ts)
),
steps AS (
    SELECT item_id,
        min(occurred_at) FILTER (WHERE step = 'received') AS received_at,
        min(occurred_at) FILTER (WHERE step = 'acknowledged') AS acknowledged_at,
        min(occurred_at) FILTER (WHERE step = 'escalated') AS escalated_at,
        min(occurred_at) FILTER (WHERE actor_role IN ('leadership', 'decision_maker'))
            AS leadership_step_at,
        min(occurred_at) FILTER (WHERE step = 'presented') AS reached_decision_makers_at,
        min(occurred_at) FILTER (WHERE step = 'decided') AS decided_at,
        arg_min(json_extract_string(details, '$.outcome'), occurred_at)
            FILTER (WHERE step = 'decided') AS outcome,
        min(occurred_at) FILTER (WHERE step = 'returned') AS returned_at,
        arg_min(json_extract_string(details, '$.returned_to'), occurred_at)
            FILTER (WHERE step = 'returned') AS returned_to,
        min(occurred_at) FILTER (WHERE step = 'returned'
                                   AND json_extract_string(details, '$.returned_to') = 'client')
            AS returned_to_client_at,
        min(occurred_at) FILTER (WHERE step = 'closed') AS closed_at
    FROM known
    GROUP BY item_id
),
via_aggregate AS (
    SELECT m.member_item_id AS item_id, min(a.occurred_at) AS at
    FROM aggregate_members AS m
    JOIN known AS a ON a.item_id = m.aggregate_item_id
    WHERE a.actor_role IN ('leadership', 'decision_maker')
    GROUP BY m.member_item_id
),
items AS (
    SELECT k.item_id, k.source_family, k.county, k.service_area, k.unit, k.channel, k.language,
        k.themes, k.stance, k.severity, k.reply_requested, k.contact_given,
        s.received_at, s.acknowledged_at, s.escalated_at,
        least(s.leadership_step_at, v.at) AS reached_leadership_at,
        coalesce(v.at < s.leadership_step_at OR (v.at IS NOT NULL AND s.leadership_step_at IS NULL),
                 false) AS reached_leadership_via_aggregate,
        s.reached_decision_makers_at, s.decided_at, s.outcome, s.returned_at, s.returned_to,
        s.returned_to_client_at, s.closed_at
    FROM steps AS s
    JOIN knowledge_items AS k ON k.item_id = s.item_id
    LEFT JOIN via_aggregate AS v ON v.item_id = s.item_id
    WHERE s.received_at IS NOT NULL
      AND k.source_family <> 'aggregate' AND NOT starts_with(k.item_id, 'ag-')
)
SELECT *,
    CAST(date_trunc('month', fi_date(received_at)) AS DATE) AS month_received,
    (epoch(acknowledged_at) - epoch(received_at)) / 3600 AS hours_to_acknowledge,
    (epoch(reached_leadership_at) - epoch(received_at)) / 3600 AS hours_to_reach_leadership,
    (epoch(decided_at) - epoch(received_at)) / 3600 AS hours_to_decide,
    (epoch(returned_at) - epoch(received_at)) / 3600 AS hours_to_return,
    (epoch(returned_at) - epoch(decided_at)) / 3600 AS hours_decision_to_return,
    fi_working_days_between(fi_date(received_at), fi_date(acknowledged_at))
        AS working_days_to_acknowledge,
    fi_working_days_between(fi_date(received_at), fi_date(reached_leadership_at))
        AS working_days_to_reach_leadership,
    fi_working_days_between(fi_date(received_at), fi_date(decided_at))
        AS working_days_to_decide,
    fi_working_days_between(fi_date(received_at), fi_date(returned_at))
        AS working_days_to_return,
    fi_working_days_between(fi_date(decided_at), fi_date(returned_at))
        AS working_days_decision_to_return
FROM items;

CREATE OR REPLACE VIEW item_milestones AS SELECT * FROM item_milestones_at(now());

-- Grain: one row per county × service_area × unit × theme × source_family × channel × month of
-- receipt. An item counts under each of its themes (an item with two themes counts twice when
-- themes are added up); an item without themes counts once, under theme NULL. Each column
-- counts the items that had reached that milestone by ts.
CREATE OR REPLACE MACRO flow_funnel_at(ts, recorded_by := NULL) AS TABLE
WITH by_theme AS (
    SELECT *, unnest(CASE WHEN len(coalesce(themes, [])) = 0 THEN [NULL::VARCHAR]
                          ELSE themes END) AS theme
    FROM item_milestones_at(ts, recorded_by := recorded_by)
)
SELECT county, service_area, unit, theme, source_family, channel, month_received,
    count(*) AS received,
    count(acknowledged_at) AS acknowledged,
    count(reached_leadership_at) AS reached_leadership,
    count(reached_decision_makers_at) AS reached_decision_makers,
    count(decided_at) AS decided,
    count(returned_at) AS returned,
    count(closed_at) AS closed
FROM by_theme
GROUP BY ALL;

CREATE OR REPLACE VIEW flow_funnel AS SELECT * FROM flow_funnel_at(now());

-- Grain: as flow_funnel. Shares of the items received; to roll up, add the counts and divide
-- again (never average the shares; across themes, count items in item_milestones instead).
CREATE OR REPLACE MACRO reach_rates_at(ts, recorded_by := NULL) AS TABLE
WITH by_theme AS (
    SELECT *, unnest(CASE WHEN len(coalesce(themes, [])) = 0 THEN [NULL::VARCHAR]
                          ELSE themes END) AS theme
    FROM item_milestones_at(ts, recorded_by := recorded_by)
),
counts AS (
    SELECT county, service_area, unit, theme, source_family, channel, month_received,
        count(*) AS items,
        count(acknowledged_at) AS acknowledged,
        count(reached_leadership_at) AS reached_leadership,
        count(*) FILTER (WHERE reached_leadership_via_aggregate)
            AS reached_leadership_via_aggregate,
        count(reached_decision_makers_at) AS reached_decision_makers
    FROM by_theme
    GROUP BY ALL
)
SELECT county, service_area, unit, theme, source_family, channel, month_received, items,
    acknowledged, acknowledged / items AS acknowledged_share,
    reached_leadership, reached_leadership / items AS reached_leadership_share,
    reached_leadership_via_aggregate,
    reached_decision_makers, reached_decision_makers / items AS reached_decision_makers_share
FROM counts;

CREATE OR REPLACE VIEW reach_rates AS SELECT * FROM reach_rates_at(now());

-- Grain: as flow_funnel. Shares of the items received, of the items decided, and of the items
-- whose client asked for a reply and gave contact details.
CREATE OR REPLACE MACRO return_rates_at(ts, recorded_by := NULL) AS TABLE
WITH by_theme AS (
    SELECT *, unnest(CASE WHEN len(coalesce(themes, [])) = 0 THEN [NULL::VARCHAR]
                          ELSE themes END) AS theme
    FROM item_milestones_at(ts, recorded_by := recorded_by)
),
counts AS (
    SELECT county, service_area, unit, theme, source_family, channel, month_received,
        count(*) AS items,
        count(returned_at) AS returned,
        count(decided_at) AS decided,
        count(*) FILTER (WHERE decided_at IS NOT NULL AND returned_at IS NOT NULL)
            AS decided_and_returned,
        count(*) FILTER (WHERE reply_requested AND contact_given) AS reply_requested,
        count(*) FILTER (WHERE reply_requested AND contact_given
                         AND returned_to_client_at IS NOT NULL) AS replied_to_client
    FROM by_theme
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

CREATE OR REPLACE VIEW return_rates AS SELECT * FROM return_rates_at(now());

-- Grain: one row per county × service_area × month of receipt × measure (acknowledge,
-- reach_leadership, decide, return: each from receipt; decision_to_return: from the decision).
-- Only items that reached the measure's milestone by ts count. Percentiles are interpolated
-- (quantile_cont, like PERCENTILE.INC).
CREATE OR REPLACE MACRO lead_times_at(ts, recorded_by := NULL) AS TABLE
WITH durations AS (
    SELECT i.county, i.service_area, i.month_received, m.measure, m.hours, m.working_days
    FROM item_milestones_at(ts, recorded_by := recorded_by) AS i,
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

CREATE OR REPLACE VIEW lead_times AS SELECT * FROM lead_times_at(now());

-- Grain: one row per open (not closed by ts) client knowledge item × deadline it has missed:
-- the deadline's milestone not reached by ts and ts's Finnish date later than the due date.
CREATE OR REPLACE MACRO overdue_items_at(ts, recorded_by := NULL) AS TABLE
WITH open_items AS (
    SELECT * FROM item_milestones_at(ts, recorded_by := recorded_by) WHERE closed_at IS NULL
),
obligations AS (
    SELECT i.*, o.deadline, o.started_at, o.met_at
    FROM open_items AS i,
    LATERAL (VALUES
        ('acknowledge', i.received_at, i.acknowledged_at, true),
        ('decide_or_answer', i.received_at, least(i.decided_at, i.returned_at), true),
        ('return_after_decision', i.decided_at, i.returned_at, i.decided_at IS NOT NULL),
        ('reply_to_client', i.received_at, i.returned_to_client_at,
         coalesce(i.reply_requested AND i.contact_given, false))
    ) AS o(deadline, started_at, met_at, applies)
    WHERE o.applies AND o.met_at IS NULL
),
numbered AS (  -- the due date's working-day number, as fi_due_date computes it, by joins
    SELECT b.*, d.amount AS deadline_amount, d.unit AS deadline_unit,
        CASE d.unit WHEN 'working_days' THEN s.working_day_number + d.amount
                    WHEN 'calendar_days' THEN e.working_day_number + 1 END AS due_number
    FROM obligations AS b
    JOIN deadlines AS d ON d.deadline = b.deadline
    JOIN calendar_days AS s ON s.day = fi_date(b.started_at)
    JOIN calendar_days AS e ON e.day = fi_date(b.started_at) + CAST(d.amount AS INTEGER) - 1
),
today AS (
    SELECT day, working_day_number FROM calendar_days WHERE day = fi_date(ts)
)
SELECT n.item_id, n.source_family, n.county, n.service_area, n.unit, n.channel, n.themes,
    n.severity, n.deadline, n.deadline_amount, n.deadline_unit, n.started_at,
    c.day AS due_date,
    t.day - c.day AS days_overdue,
    t.working_day_number - n.due_number AS working_days_overdue
FROM numbered AS n
JOIN calendar_days AS c ON c.is_working_day AND c.working_day_number = n.due_number
CROSS JOIN today AS t
WHERE t.day > c.day;

CREATE OR REPLACE VIEW overdue_items AS SELECT * FROM overdue_items_at(now());

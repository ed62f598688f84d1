-- Keeps item_steps (each item's first steps), item_milestones_materialised (one row per client
-- knowledge item: item_milestones' columns) and open_obligations (what the open items still
-- owe, with due dates) current, inside the sink's transaction, right after write_batch.sql.
-- Only the items the batch can change are touched: the items of its new lifecycle rows and the
-- members of the signals among them (a signal acknowledged by leadership makes its members
-- reach leadership). No statement reads the whole lifecycle: each item's stored item_steps row
-- is folded with the batch's rows of it (every column a min or an arg_min, kept with the time it
-- came from), which gives what a rebuild from every row gives, whatever order the rows arrive in
-- and however often a batch is redelivered (only new events reach new_lifecycle).
-- Each look-up of the batch's items is a join on (item_seq, item_id) with batch_items (filled
-- by write_batch.sql), so that the scan of a large table skips the row groups outside the
-- batch's arrival numbers (sinks/item_seq.py).
-- Grain: no result; rewrites one row per item the batch changed in item_steps, one per client
-- knowledge item it changed in item_milestones_materialised, and their rows (one per deadline
-- still owed) in open_obligations.

DELETE FROM milestone_scope;
DELETE FROM lifecycle_batch;
DELETE FROM milestones_batch;

INSERT INTO lifecycle_batch
SELECT item_id, step, actor_role, occurred_at, details FROM new_lifecycle;

-- The items recomputed beyond the batch's own: the members of its signals, and the signals
-- holding its items or those members (item_milestone_rows reads their steps). Their numbers
-- come from item_steps (a look-up by item_id, only when the batch has such items).
INSERT INTO batch_items
WITH members AS (
    SELECT m.member_item_id AS item_id FROM aggregate_members AS m
    SEMI JOIN new_lifecycle AS n ON n.item_id = m.aggregate_item_id
),
scope AS (SELECT item_id FROM new_lifecycle UNION SELECT item_id FROM members),
wanted AS (
    SELECT item_id FROM members
    UNION
    SELECT m.aggregate_item_id FROM aggregate_members AS m
    SEMI JOIN scope AS s ON s.item_id = m.member_item_id
),
missing AS (SELECT item_id FROM wanted ANTI JOIN batch_items AS b ON b.item_id = wanted.item_id)
SELECT t.item_id, t.item_seq FROM item_steps AS t
SEMI JOIN missing AS w ON w.item_id = t.item_id;

-- The stored steps of the batch's items folded with the batch's own (least skips NULLs; an
-- arg_min field is the batch's when its row is earlier than the stored one's).
CREATE OR REPLACE TEMP TABLE folded_steps AS
WITH b AS (
    SELECT * FROM item_step_rows(TIMESTAMPTZ 'infinity', NULL, true)
),
s AS (
    SELECT t.* FROM item_steps AS t
    SEMI JOIN batch_items AS w ON w.item_seq = t.item_seq AND w.item_id = t.item_id
)
SELECT b.item_id, w.item_seq,
    least(s.received_at, b.received_at) AS received_at,
    least(s.acknowledged_at, b.acknowledged_at) AS acknowledged_at,
    least(s.escalated_at, b.escalated_at) AS escalated_at,
    least(s.leadership_step_at, b.leadership_step_at) AS leadership_step_at,
    least(s.reached_decision_makers_at, b.reached_decision_makers_at)
        AS reached_decision_makers_at,
    least(s.decided_at, b.decided_at) AS decided_at,
    CASE WHEN b.outcome_of_at < coalesce(s.outcome_of_at, TIMESTAMPTZ 'infinity')
         THEN b.outcome ELSE s.outcome END AS outcome,
    least(s.outcome_of_at, b.outcome_of_at) AS outcome_of_at,
    CASE WHEN b.decision_rationale_of_at
              < coalesce(s.decision_rationale_of_at, TIMESTAMPTZ 'infinity')
         THEN b.decision_rationale ELSE s.decision_rationale END AS decision_rationale,
    least(s.decision_rationale_of_at, b.decision_rationale_of_at) AS decision_rationale_of_at,
    least(s.returned_at, b.returned_at) AS returned_at,
    CASE WHEN b.returned_to_of_at < coalesce(s.returned_to_of_at, TIMESTAMPTZ 'infinity')
         THEN b.returned_to ELSE s.returned_to END AS returned_to,
    least(s.returned_to_of_at, b.returned_to_of_at) AS returned_to_of_at,
    least(s.returned_to_client_at, b.returned_to_client_at) AS returned_to_client_at,
    least(s.closed_at, b.closed_at) AS closed_at
FROM b
JOIN batch_items AS w ON w.item_id = b.item_id
LEFT JOIN s ON s.item_id = b.item_id;

DELETE FROM item_steps AS t USING folded_steps AS f
WHERE t.item_seq = f.item_seq AND t.item_id = f.item_id;

INSERT INTO item_steps BY NAME SELECT * FROM folded_steps ORDER BY item_seq;

INSERT INTO milestone_scope
SELECT item_id FROM new_lifecycle
UNION
SELECT m.member_item_id FROM aggregate_members AS m
SEMI JOIN new_lifecycle AS n ON n.item_id = m.aggregate_item_id;

-- (scoped: the items with their numbers, for the deletes below)
CREATE OR REPLACE TEMP TABLE scope_seqs AS
SELECT b.* FROM batch_items AS b SEMI JOIN milestone_scope AS s ON s.item_id = b.item_id;

DELETE FROM item_milestones_materialised AS t
USING scope_seqs AS s WHERE t.item_seq = s.item_seq AND t.item_id = s.item_id;

DELETE FROM milestones_batch;

INSERT INTO milestones_batch
SELECT m.*, b.item_seq FROM item_milestone_rows(TIMESTAMPTZ 'infinity', NULL, true) AS m
JOIN batch_items AS b ON b.item_id = m.item_id
ORDER BY b.item_seq;

INSERT INTO item_milestones_materialised SELECT * FROM milestones_batch;

-- Their obligations not yet met (open_obligations), from the rows just written (in
-- milestones_batch, not read back out of the whole table).
DELETE FROM open_obligations AS t
USING scope_seqs AS s WHERE t.item_seq = s.item_seq AND t.item_id = s.item_id;

INSERT INTO open_obligations
SELECT o.*, b.item_seq FROM obligation_rows(TIMESTAMPTZ 'infinity', NULL, true) AS o
JOIN batch_items AS b ON b.item_id = o.item_id
ORDER BY b.item_seq;

DELETE FROM batch_items;
DELETE FROM milestone_scope;
DELETE FROM lifecycle_batch;
DELETE FROM milestones_batch;

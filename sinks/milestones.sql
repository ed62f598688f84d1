-- Keeps item_milestones_materialised (one row per client knowledge item: item_milestones'
-- columns, from every lifecycle row stored) and open_obligations (what the open items still
-- owe, with due dates) current, inside the sink's transaction, right
-- after write_batch.sql. Only the items the batch can change are recomputed: the items of its
-- new lifecycle rows and the members of the signals among them (a signal acknowledged by
-- leadership makes its members reach leadership). Each is recomputed from all its stored
-- lifecycle rows, so a redelivered or out-of-order batch gives the same rows as a rebuild.
-- Grain: no result; rewrites one row per client knowledge item the batch changed in
-- item_milestones_materialised, and its rows (one per deadline it still owes) in
-- open_obligations.

DELETE FROM milestone_scope;

INSERT INTO milestone_scope
SELECT item_id FROM new_lifecycle
UNION
SELECT m.member_item_id FROM aggregate_members AS m
SEMI JOIN new_lifecycle AS n ON n.item_id = m.aggregate_item_id;

DELETE FROM item_milestones_materialised
WHERE item_id IN (SELECT item_id FROM milestone_scope);

INSERT INTO item_milestones_materialised
SELECT * FROM item_milestone_rows(TIMESTAMPTZ 'infinity', NULL, true);

-- Their obligations not yet met (open_obligations), from the rows just written.
DELETE FROM open_obligations
WHERE item_id IN (SELECT item_id FROM milestone_scope);

INSERT INTO open_obligations
SELECT * FROM obligation_rows(TIMESTAMPTZ 'infinity', NULL, true);

DELETE FROM milestone_scope;

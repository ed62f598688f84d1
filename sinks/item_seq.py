"""Each item's arrival number, `item_seq`, and why the per-item tables keep it.

The per-item tables (knowledge_items, item_steps, item_milestones_materialised,
open_obligations) have no key index: DuckDB writes a key's whole index again at every
checkpoint (sinks/schema.sql). Without one, finding a batch's hundred items by `item_id` (a hash,
in no order) read the whole `item_id` column of a million rows, 30-200 ms for each of the
batch's look-ups. The sink therefore numbers items in the order it first stores a row of them
(sinks/write_batch.sql: a new item gets the next number, an item seen before keeps the number
its item_steps row holds, found by the batch's one look-up by id), writes every derived row
with it, in its order, and joins the batch's items on (item_seq, item_id): DuckDB passes the
batch's smallest and largest item_seq to the scan, whose zone maps skip every row group outside
that range. A batch of new items reads the newest row group; steps of older items read the row
groups their numbers fall in.

A store made before the number existed gets it once, when the sink first opens it: items
numbered in the order they were received, knowledge_items written again in that order; the
derived tables are then rebuilt in it (sinks/store.py, their columns changed).
"""

from __future__ import annotations

import duckdb


def number_items(con: duckdb.DuckDBPyConnection) -> bool:
    """Give every item without an arrival number one (an older store, once), and store
    knowledge_items in their order; True when it did."""
    row = con.execute("SELECT count(*) FILTER (WHERE item_seq IS NULL) FROM knowledge_items"
                      ).fetchone()
    if not row or not row[0]:
        return False
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("""
            CREATE TEMP TABLE numbered_items AS
            SELECT * REPLACE (coalesce(item_seq,
                (SELECT coalesce(max(item_seq), 0) FROM knowledge_items)
                + row_number() OVER (ORDER BY item_seq IS NULL, received_at, item_id))
                AS item_seq)
            FROM knowledge_items""")
        # delete and insert, not a copy under the same name: the table keeps its constraints
        con.execute("DELETE FROM knowledge_items")
        con.execute("INSERT INTO knowledge_items SELECT * FROM numbered_items ORDER BY item_seq")
        con.execute("DROP TABLE numbered_items")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return True

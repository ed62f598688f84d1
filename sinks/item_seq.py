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

import sqlite3
from collections.abc import Iterable

import duckdb
import pyarrow as pa

_CHUNK = 500  # ids per look-up (SQLite's default limit of host parameters is 32,766)


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


class ItemSeqs:
    """Each stored item's arrival number, in a SQLite B-tree beside the store (the event ids'
    file, sinks/event_ids.py): a batch looks up its own items there, not in item_steps, whose
    whole `item_id` column such a look-up read (34 ms of a 207 ms batch at a million items, one
    DuckDB thread). The store stays the truth, as for the event ids: numbers are added after the
    store's commit, so they are a subset of item_steps'; `catch_up` (when the sink opens the
    store) adds what a crash between the two commits left out, and `rebuild` follows a rebuild
    of the derived tables, which may number items not yet received anew."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.execute("CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, seq INTEGER NOT NULL)"
                   " WITHOUT ROWID")
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER)")
        db.execute("INSERT OR IGNORE INTO meta VALUES ('items', 0)")
        db.execute("INSERT OR IGNORE INTO meta VALUES ('items_max_seq', 0)")

    def _meta(self, name: str) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", [name]).fetchone()
        return int(row[0]) if row else 0

    def count(self) -> int:
        return self._meta("items")

    def max_seq(self) -> int:
        return self._meta("items_max_seq")

    def known(self, item_ids: Iterable[str]) -> pa.Table:
        """The numbers of those of these items the store holds, as (item_id, item_seq)."""
        wanted = list(set(item_ids))
        ids: list[str] = []
        seqs: list[int] = []
        for n in range(0, len(wanted), _CHUNK):
            chunk = wanted[n:n + _CHUNK]
            for item_id, seq in self.db.execute(
                    f"SELECT id, seq FROM items WHERE id IN ({','.join('?' * len(chunk))})",
                    chunk):
                ids.append(item_id)
                seqs.append(seq)
        return pa.table({"item_id": pa.array(ids, pa.string()),
                         "item_seq": pa.array(seqs, pa.int64())})

    def add(self, rows: Iterable[tuple[str, int]]) -> None:
        """After the store's commit: these items are stored with these numbers."""
        rows = list(rows)
        if not rows:
            return
        self.db.execute("BEGIN")
        try:
            added = self.db.executemany("INSERT OR IGNORE INTO items VALUES (?, ?)",
                                        rows).rowcount
            self.db.execute("UPDATE meta SET value = value + ? WHERE name = 'items'", [added])
            self.db.execute("UPDATE meta SET value = max(value, ?) WHERE name = "
                            "'items_max_seq'", [max(seq for _, seq in rows)])
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def catch_up(self, con: duckdb.DuckDBPyConnection) -> None:
        """Make the numbers those of the store's item_steps."""
        count, top = self._store_figures(con)
        if (self.count(), self.max_seq()) == (count, top):
            return
        self._add_from(con, f"SELECT item_id, item_seq FROM item_steps "  # after a crash:
                            f"WHERE item_seq > {self.max_seq()} ORDER BY item_id")  # its batch
        if (self.count(), self.max_seq()) != (count, top):
            self.rebuild(con)

    def invalidate(self) -> None:
        """Before the store's derived tables are rebuilt (their numbers may change): no count
        matches the store's any more, so `catch_up` rebuilds unless `rebuild` comes first."""
        self.db.execute("UPDATE meta SET value = -1 WHERE name = 'items'")

    def rebuild(self, con: duckdb.DuckDBPyConnection) -> None:
        """Every item's number again, from item_steps."""
        self.db.execute("DELETE FROM items")
        self.db.execute("UPDATE meta SET value = 0 WHERE name IN ('items', 'items_max_seq')")
        # in the B-tree's order: appending is many times faster than inserting at random places
        self._add_from(con, "SELECT item_id, item_seq FROM item_steps ORDER BY item_id")

    @staticmethod
    def _store_figures(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
        row = con.execute("SELECT count(*), coalesce(max(item_seq), 0) FROM item_steps"
                          ).fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def _add_from(self, con: duckdb.DuckDBPyConnection, sql: str) -> None:
        for batch in con.execute(sql).to_arrow_reader(100_000):
            self.add(zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(),
                         strict=True))

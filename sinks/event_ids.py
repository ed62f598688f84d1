"""Which of a batch's events the store already holds, at a cost that follows the batch.

The sink writes an event only if its id is new (a redelivered event changes nothing). Asking
DuckDB meant scanning every stored event id per batch (millions at a million items), and a
DuckDB key index is written again whole at every checkpoint. So the ids are kept, as well, in
a SQLite B-tree beside the store (`<stem>.event-ids.sqlite`): a batch looks up its own ids and
adds the new ones.

The store stays the truth: the ids are added after the store's commit, so they are always a
subset of the store's events; the number of ids is kept with them. When the sink opens the
store and the two counts differ (a crash between the two commits, a deleted or older file),
the ids of the newest events are added, and if the counts still differ, all of them.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable
from pathlib import Path

import duckdb

# The newest events' window looked at first when the counts differ: a crash loses at most the
# last batch's ids, and a batch is written within seconds.
_RECENT = "INTERVAL 1 HOUR"
_CHUNK = 500  # ids per lookup (SQLite's default limit of host parameters is 32,766)


def ids_path(store: Path) -> Path:
    return store.with_name(store.stem + ".event-ids.sqlite")


class EventIds:
    def __init__(self, store: Path) -> None:
        self.path = ids_path(store)
        # One Store uses it, from one thread at a time; that thread need not be the one that
        # opened it (a sink run in a thread of its own).
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")  # the store is the truth (see above)
        self.db.execute("CREATE TABLE IF NOT EXISTS ids (id BLOB PRIMARY KEY) WITHOUT ROWID")
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER)")
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('count', 0)")

    def close(self) -> None:
        self.db.close()

    def count(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE name = 'count'").fetchone()
        return int(row[0]) if row else 0

    def stored(self, event_ids: Iterable[str]) -> list[str]:
        """The ids among these that the store holds."""
        wanted = list({uuid.UUID(i).bytes for i in event_ids})
        found: list[str] = []
        for n in range(0, len(wanted), _CHUNK):
            chunk = wanted[n:n + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found += [str(uuid.UUID(bytes=r[0])) for r in self.db.execute(
                f"SELECT id FROM ids WHERE id IN ({marks})", chunk)]
        return found

    def add(self, event_ids: Iterable[uuid.UUID | str]) -> None:
        """After the store's commit: these events are stored."""
        rows = [((i if isinstance(i, uuid.UUID) else uuid.UUID(i)).bytes,) for i in event_ids]
        if not rows:
            return
        self.db.execute("BEGIN")
        try:
            added = self.db.executemany("INSERT OR IGNORE INTO ids VALUES (?)", rows).rowcount
            self.db.execute("UPDATE meta SET value = value + ? WHERE name = 'count'", [added])
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def catch_up(self, con: duckdb.DuckDBPyConnection) -> None:
        """Make the ids those of the store's events (see the module's docstring)."""
        (events,) = con.execute("SELECT count(*) FROM events").fetchone() or (0,)
        if self.count() == events:
            return
        self._add_from(con, "SELECT event_id FROM events WHERE sunk_at >= "
                            f"(SELECT max(sunk_at) FROM events) - {_RECENT}")
        # All of them, in the B-tree's order (appending is many times faster than inserting
        # at random places: minutes instead of a quarter of an hour at 8 million events).
        every = "SELECT event_id FROM events ORDER BY event_id"
        if self.count() != events:
            self._add_from(con, every)
        if self.count() != events:  # ids the store no longer has (a store made anew)
            self.db.execute("DELETE FROM ids")
            self.db.execute("UPDATE meta SET value = 0 WHERE name = 'count'")
            self._add_from(con, every)

    def _add_from(self, con: duckdb.DuckDBPyConnection, sql: str) -> None:
        reader = con.execute(sql).to_arrow_reader(100_000)
        for batch in reader:
            self.add(batch.column(0).to_pylist())

"""The notifier's memory of what it sent: a small SQLite file under $KOKEMUSVIRTA_HOME
(notify/ledger.sqlite3), so a notice or an answer goes out exactly once across restarts.

A round claims a key (e.g. `delivery:<returned event id>`) before it sends; a claim already
held is not taken again, so a second notifier, or the same one after a crash, never sends it
twice. After the attempt the round records its status, the attempt's number and when to try
again (a retry after `MailDeferred`). The store's rows (reply_deliveries, staff_notifications)
arrive later, through the worker and the sink; the ledger bridges that gap. A claim left by a
crash during a send stays claimed (the mail may have gone): nothing is sent again for it
without a person looking (`kokemusvirta notify run` logs such keys).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS sends (
    key         TEXT PRIMARY KEY,
    status      TEXT NOT NULL,      -- claimed | sent | bounced | failed | contact_erased | retry
                                    -- | unit_answers (a phone) | unusable_contact | no_contact
    attempt     INTEGER NOT NULL,   -- the attempts made so far
    next_try_at TEXT,               -- ISO time of the next attempt (status retry); else NULL
    updated_at  TEXT NOT NULL
)
"""
OUTBOX = """
CREATE TABLE IF NOT EXISTS outbox (
    key   TEXT PRIMARY KEY,  -- the send's key
    event BLOB NOT NULL      -- the lifecycle request to publish (JSON)
)
"""
RETRY = "retry"
CLAIMED = "claimed"


@dataclass(frozen=True)
class Entry:
    key: str
    status: str
    attempt: int
    next_try_at: datetime | None


def ledger_path(home: Path) -> Path:
    return home / "notify" / "ledger.sqlite3"


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._con = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute(SCHEMA)
        self._con.execute(OUTBOX)

    def close(self) -> None:
        self._con.close()

    def get(self, key: str) -> Entry | None:
        row = self._con.execute("SELECT key, status, attempt, next_try_at FROM sends "
                                "WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        return Entry(row[0], row[1], row[2],
                     datetime.fromisoformat(row[3]) if row[3] else None)

    def claim(self, key: str, now: datetime | None = None) -> bool:
        """Take `key` for one attempt: True if it is new, or waits for a retry that is due
        (`now` at or after its next_try_at); False if it is done, claimed, or not due yet."""
        at = (now or datetime.now(UTC)).isoformat()
        self._con.execute("BEGIN IMMEDIATE")
        try:
            entry = self.get(key)
            if entry is None:
                self._con.execute("INSERT INTO sends VALUES (?, ?, 0, NULL, ?)",
                                  (key, CLAIMED, at))
            elif entry.status == RETRY and (entry.next_try_at is None or now is None
                                            or entry.next_try_at <= now):
                self._con.execute("UPDATE sends SET status = ?, updated_at = ? WHERE key = ?",
                                  (CLAIMED, at, key))
            else:
                self._con.execute("ROLLBACK")
                return False
            self._con.execute("COMMIT")
            return True
        except BaseException:
            self._con.execute("ROLLBACK")
            raise

    def record(self, key: str, status: str, attempt: int, next_try_at: datetime | None = None,
               now: datetime | None = None, event: bytes | None = None) -> None:
        """The outcome of an attempt: a final status, or RETRY with the time of the next; with
        `event`, the lifecycle request that records it, kept in the outbox in the same
        transaction until `published` (so a broker that is down loses no attempt)."""
        at = (now or datetime.now(UTC)).isoformat()
        self._con.execute("BEGIN IMMEDIATE")
        try:
            self._con.execute(
                "INSERT INTO sends VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                "status = excluded.status, attempt = excluded.attempt, "
                "next_try_at = excluded.next_try_at, updated_at = excluded.updated_at",
                (key, status, attempt, next_try_at.isoformat() if next_try_at else None, at))
            if event is not None:
                self._con.execute("INSERT OR REPLACE INTO outbox VALUES (?, ?)",
                                  (f"{key}#{attempt}", event))
            self._con.execute("COMMIT")
        except BaseException:
            self._con.execute("ROLLBACK")
            raise

    def unpublished(self) -> list[tuple[str, bytes]]:
        """The lifecycle requests recorded and not yet published: (outbox key, event)."""
        return [(r[0], bytes(r[1])) for r in self._con.execute(
            "SELECT key, event FROM outbox ORDER BY rowid")]

    def published(self, outbox_key: str) -> None:
        self._con.execute("DELETE FROM outbox WHERE key = ?", (outbox_key,))

    def claimed(self) -> list[str]:
        """Keys claimed and never recorded (a crash during a send)."""
        return [r[0] for r in self._con.execute(
            "SELECT key FROM sends WHERE status = ? ORDER BY key", (CLAIMED,))]

"""Idempotency-Key: a retried request publishes nothing new and gets the first answer again.

The decision is pure (`decide`); the memory is a small SQLite file under $KOKEMUSVIRTA_HOME
(`IdempotencyStore`), so a restarted service still knows the keys. What is kept is no one's
data: the key is stored only as a hash together with the client (remote address) it is scoped
to, the request as its SHA-256, and the answer is the item ids. Keys are kept
KOKEMUSVIRTA_INTAKE_IDEMPOTENCY_HOURS (24 h by default: a client retries within minutes, a
batch job within a day); an older key is forgotten and a retry with it publishes again (the
worker derives the same item ids from the same event ids, so the store still holds each item
once).
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_KEY = re.compile(r"[\x21-\x7e]{1,200}")


def valid_key(key: str) -> bool:
    """1 to 200 visible ASCII characters (a UUID, a hash, a job's row id…)."""
    return bool(_KEY.fullmatch(key))


def request_hash(family: str, payloads: list[dict[str, Any]]) -> str:
    """The request's fingerprint: the same events in any key order or spacing hash the same."""
    canonical = json.dumps([family, payloads], sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def key_digest(client: str, key: str) -> str:
    return hashlib.sha256(f"{client}\0{key}".encode()).hexdigest()


@dataclass(frozen=True)
class Remembered:
    request_hash: str
    item_ids: tuple[str, ...]
    stored_at: float


class Decision(enum.Enum):
    NEW = "new"            # publish, then remember
    REPLAY = "replay"      # answer as before, publish nothing
    CONFLICT = "conflict"  # the key was used for another request: refuse (422)


def decide(remembered: Remembered | None, this_hash: str, now: float, keep_s: float) -> Decision:
    if remembered is None or now - remembered.stored_at >= keep_s:
        return Decision.NEW
    if remembered.request_hash == this_hash:
        return Decision.REPLAY
    return Decision.CONFLICT


class IdempotencyStore:
    """The keys answered within the keeping time. Calls are short (one indexed row), so the
    service makes them on its event loop; a lock keeps the one connection to one thread."""

    PURGE_EVERY = 1000  # remembered keys between purges of the expired ones

    def __init__(self, path: Path, keep_s: float) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.keep_s = keep_s
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("pragma journal_mode=wal")
        self._db.execute("pragma synchronous=normal")
        self._db.execute("create table if not exists answered (key_digest text primary key, "
                         "request_hash text not null, item_ids text not null, "
                         "stored_at real not null)")
        self._since_purge = 0

    def get(self, client: str, key: str) -> Remembered | None:
        with self._lock:
            row = self._db.execute(
                "select request_hash, item_ids, stored_at from answered where key_digest = ?",
                (key_digest(client, key),)).fetchone()
        if row is None:
            return None
        return Remembered(row[0], tuple(json.loads(row[1])), row[2])

    def remember(self, client: str, key: str, this_hash: str, item_ids: list[str],
                 now: float) -> None:
        with self._lock:
            self._db.execute("insert or replace into answered values (?, ?, ?, ?)",
                             (key_digest(client, key), this_hash, json.dumps(item_ids), now))
            self._since_purge += 1
            if self._since_purge >= self.PURGE_EVERY:
                self._purge(now)

    def purge(self, now: float) -> int:
        with self._lock:
            return self._purge(now)

    def _purge(self, now: float) -> int:
        self._since_purge = 0
        return self._db.execute("delete from answered where stored_at <= ?",
                                (now - self.keep_s,)).rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()

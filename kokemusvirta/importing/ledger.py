"""The import ledger: which event ids an import has published, per intake topic.

SQLite under $KOKEMUSVIRTA_HOME/imports/ (one writer at a time is all an import needs). Only
event ids the broker acknowledged are written, so a row that failed to publish is published by
the next run, and a row that did is never published again. It holds ids only: nothing of a
row's content, nothing personal. Lost, nothing breaks: a re-import publishes the same event ids
again and the sink, which keeps each event id once, stores nothing twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
create table if not exists imported (
    topic text not null,
    event_id text not null,
    mapping text not null,
    imported_at text not null,
    primary key (topic, event_id)
) without rowid
"""


def ledger_path(home: Path) -> Path:
    return home / "imports" / "ledger.sqlite3"


class Ledger:
    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        if read_only and not path.exists():  # a dry run creates nothing
            self._db = sqlite3.connect(":memory:")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30)
        self._db.execute(SCHEMA)

    def known(self, topic: str, event_ids: Iterable[str]) -> set[str]:
        ids = list(event_ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):  # SQLite's limit on a statement's parameters
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self._db.execute(
                f"select event_id from imported where topic = ? and event_id in ({marks})",
                [topic, *chunk]))
        return found

    def record(self, topic: str, event_ids: Iterable[str], mapping: str) -> None:
        now = datetime.now(UTC).isoformat()
        with self._db:
            self._db.executemany(
                "insert or ignore into imported values (?, ?, ?, ?)",
                [(topic, e, mapping, now) for e in event_ids])

    def close(self) -> None:
        self._db.close()

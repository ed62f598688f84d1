"""The sink's published snapshot, read live: one read-only connection to the newest snapshot,
replaced when the sink publishes a new one.

The sink replaces its snapshot by atomic rename every few seconds (sinks/store.py). A reader
that has the old file open keeps reading the old one, so the reader looks at the snapshot's
file identity (inode, mtime, size) on each request and opens the new one when it changed; the
old connection is dropped and closes once the requests still using it are done. Used by the
public dashboards (dashboards/server.py) and the workplace's /kojelauta.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime
from pathlib import Path

import duckdb

from sinks.reader import open_read_only
from sinks.store import snapshot_path, status_path

log = logging.getLogger("kokemusvirta.dashboard")


class NoStoreYet(RuntimeError):
    pass


class SnapshotReader:
    """One read-only connection to the newest snapshot, replaced when the sink publishes."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._version = ""

    def _target(self) -> Path:
        snap = snapshot_path(self.store)
        return snap if snap.exists() else self.store

    def version(self) -> str:
        try:
            st = self._target().stat()
        except FileNotFoundError:
            return ""
        return f"{st.st_ino:x}-{st.st_mtime_ns:x}-{st.st_size:x}"

    def as_of(self) -> datetime | None:
        """When the sink published the snapshot (its status file), else the file's mtime."""
        try:
            published = json.loads(status_path(self.store).read_text())["published_at"]
            return datetime.fromisoformat(published)
        except (OSError, ValueError, KeyError, TypeError):
            try:
                return datetime.fromtimestamp(self._target().stat().st_mtime).astimezone()
            except OSError:
                return None

    def cursor(self) -> tuple[duckdb.DuckDBPyConnection, str]:
        """A cursor of its own for one request (DuckDB connections are not shared between
        threads; cursors of one connection may be used side by side)."""
        with self._lock:
            version = self.version()
            if not version:
                raise NoStoreYet(str(self.store))
            if self._con is None or version != self._version:
                try:
                    self._con = open_read_only(self.store)
                except duckdb.IOException as exc:
                    # No snapshot yet and the sink holds the store (one writer, no readers).
                    raise NoStoreYet(str(self.store)) from exc
                self._version = version
                log.info("opened snapshot %s (version %s)", self._target(), version)
            cur = self._con.cursor()
        cur.execute("SET TimeZone = 'UTC'")
        return cur, version

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

"""The workplace's own SQLite files (accounts.sqlite, sessions.sqlite): readable by the service's
user only, from the moment they exist."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path


def make_private(path: Path) -> None:
    """The file (and its folder, 0700) created 0600 before SQLite opens it, so no moment exists
    when others may read it; an existing file is made 0600 too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)


@contextmanager
def connected(path: Path) -> Iterator[sqlite3.Connection]:
    """One transaction on the file, closed after (another process may be writing: wait 10 s)."""
    with closing(sqlite3.connect(path, timeout=10)) as db, db:
        yield db

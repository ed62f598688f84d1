"""Sessions the server can end: one SQLite file, $KOKEMUSVIRTA_HOME/workplace/sessions.sqlite
(0600, beside accounts.sqlite), one row per signed-in session.

Why a record on the server: a signed cookie alone is valid wherever it is copied to until its
time runs out, so signing out, `kokemusvirta users remove` or `users reset` could not end a copy
taken before. Now the cookie carries only a random session id (32 bytes); the row is found by
the id's SHA-256, so the file holds nothing a reader could put in a cookie. Deleting the row ends
the session everywhere at once: sign-out deletes its own, `users remove|reset` every one of
the account's (local accounts only: an OpenID Connect subject of the same name is someone else),
and a row older than the session's hours (8) is deleted when it is next looked at, and with the
other old ones whenever someone signs in.

Local accounts and OpenID Connect sign-ins use the same records (sessions.py sign_in).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path

from kokemusvirta.workplace.private_db import connected, make_private
from kokemusvirta.workplace.users import StaffRole, StaffUser

FILE_NAME = "sessions.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id_hash     TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    auth        TEXT NOT NULL,
    user_json   TEXT NOT NULL,
    created_at  REAL NOT NULL
)
"""
_BY_USER = "CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id, auth)"


def sessions_path(folder: Path) -> Path:
    """The sessions file in the workplace's folder (the one accounts.sqlite is in)."""
    return folder / FILE_NAME


def _hashed(session_id: str) -> str:
    # A plain hash is enough: the id is 256 random bits, there is nothing to guess.
    return hashlib.sha256(session_id.encode()).hexdigest()


def _user_json(user: StaffUser) -> str:
    return json.dumps({"id": user.user_id, "ps": user.pseudonym, "name": user.display_name,
                       "role": user.role.value, "scope": user.scope, "lang": user.language,
                       "auth": user.auth})


def _user(text: str) -> StaffUser:
    kept = json.loads(text)
    return StaffUser(user_id=kept["id"], pseudonym=kept["ps"], display_name=kept["name"],
                     role=StaffRole(kept["role"]), scope=kept["scope"], language=kept["lang"],
                     auth=kept["auth"])


class SessionStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        make_private(path)
        with self._db() as db:
            db.execute(_SCHEMA)
            db.execute(_BY_USER)

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return connected(self.path)

    def open(self, user: StaffUser, now: float, max_age_s: float) -> str:
        """A new session for `user`; its id, for the cookie (only its hash is kept). Rows past
        `max_age_s` go at the same time, so the file does not grow with every sign-in."""
        session_id = secrets.token_urlsafe(32)
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE created_at < ?", (now - max_age_s,))
            db.execute("INSERT INTO sessions (id_hash, user_id, auth, user_json, created_at) "
                       "VALUES (?, ?, ?, ?, ?)",
                       (_hashed(session_id), user.user_id, user.auth, _user_json(user), now))
        return session_id

    def user(self, session_id: str, now: float, max_age_s: float) -> StaffUser | None:
        """The session's user; None when it was ended, never existed, or is older than
        `max_age_s` (then it is ended now). A clock set back (created in the future) ends it
        too."""
        key = _hashed(session_id)
        with self._db() as db:
            row = db.execute("SELECT user_json, created_at FROM sessions WHERE id_hash = ?",
                             (key,)).fetchone()
            if row is None:
                return None
            if not 0 <= now - row[1] <= max_age_s:
                db.execute("DELETE FROM sessions WHERE id_hash = ?", (key,))
                return None
        try:
            return _user(row[0])
        except (KeyError, TypeError, ValueError):  # a row of an older shape: sign in again
            self.end(session_id)
            return None

    def end(self, session_id: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE id_hash = ?", (_hashed(session_id),))

    def end_user(self, user_id: str, auth: str = "local") -> int:
        """End every session of one user (signed in by `auth`); how many there were."""
        with self._db() as db:
            return int(db.execute("DELETE FROM sessions WHERE user_id = ? AND auth = ?",
                                  (user_id, auth)).rowcount)

    def count(self, user_id: str, auth: str = "local") -> int:
        """How many sessions one user has (old ones not yet deleted included)."""
        with self._db() as db:
            return int(db.execute("SELECT count(*) FROM sessions WHERE user_id = ? AND auth = ?",
                                  (user_id, auth)).fetchone()[0])

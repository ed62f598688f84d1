"""Local accounts: the embedded default for the demo and small deployments (a county's own
identity provider is the other way in, through OpenID Connect).

One SQLite file, $KOKEMUSVIRTA_HOME/workplace/accounts.sqlite (0600, in a 0700 folder): per user
the display name, role, scope and language, an argon2id hash of the password (argon2-cffi's
PasswordHasher, its current parameters; a hash made under older ones is renewed at the next
sign-in) and a TOTP secret (RFC 6238, 30 s steps, pyotp).

Guessing is slowed twice: five failures in a row (password or code) lock the account for 15
minutes, and a locked account answers as a wrong password does, so the answer never says
whether a user exists or is locked. A TOTP code is accepted once: the step it was used in is
kept, and a code of that step or an earlier one is refused (someone who saw it over a shoulder
cannot reuse it within its 30-90 s of validity).
"""

from __future__ import annotations

import secrets
import sqlite3
import string
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kokemusvirta.workplace.private_db import connected, make_private
from kokemusvirta.workplace.users import (
    Language,
    StaffRole,
    StaffUser,
    check_scope,
    check_user_id,
    pseudonym_of,
)

MAX_FAILURES = 5
LOCKOUT_S = 15 * 60
TOTP_STEP_S = 30
ISSUER = "Kokemusvirta"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    user_id         TEXT PRIMARY KEY,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL,
    scope           TEXT NOT NULL,
    language        TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    totp_secret     TEXT NOT NULL,
    failures        INTEGER NOT NULL DEFAULT 0,
    locked_until    REAL NOT NULL DEFAULT 0,
    last_totp_step  INTEGER NOT NULL DEFAULT -1
)
"""
_HASHER = PasswordHasher()  # argon2id with argon2-cffi's recommended parameters
# Verified when the user does not exist, so an unknown name costs what a known one does.
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A user id, role, scope or language the accounts cannot take; one line."""


@dataclass(frozen=True)
class Account:
    user_id: str
    display_name: str
    role: StaffRole
    scope: str
    language: Language
    locked_until: float


def accounts_path(home: Path) -> Path:
    return home / "workplace" / "accounts.sqlite"


def generated_password() -> str:
    """20 letters and digits, about 119 bits."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(20))


class Accounts:
    def __init__(self, path: Path, pseudonym_key: bytes) -> None:
        self.path = path
        self._key = pseudonym_key
        make_private(path)
        with self._db() as db:
            db.execute(_SCHEMA)

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return connected(self.path)

    # -- administration (kokemusvirta users) ---------------------------------------------

    def add(self, user_id: str, *, role: StaffRole, scope: str, display_name: str,
            language: Language = "fi", password: str) -> str:
        """A new account; returns its TOTP secret. AccountError if it exists or does not fit."""
        self._check(user_id, role, scope, language, password)
        secret = pyotp.random_base32()
        try:
            with self._db() as db:
                db.execute("INSERT INTO accounts (user_id, display_name, role, scope, language, "
                           "password_hash, totp_secret) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (user_id, display_name or user_id, role.value, scope, language,
                            _HASHER.hash(password), secret))
        except sqlite3.IntegrityError:
            raise AccountError(f"user {user_id!r} exists already (`kokemusvirta users reset` "
                               "gives it a new password and code)") from None
        return secret

    def reset(self, user_id: str, password: str) -> str:
        """A new password and TOTP secret, the lock lifted; returns the secret."""
        if len(password) < 12:
            raise AccountError("a password is at least 12 characters")
        secret = pyotp.random_base32()
        with self._db() as db:
            n = db.execute("UPDATE accounts SET password_hash = ?, totp_secret = ?, failures = 0, "
                           "locked_until = 0, last_totp_step = -1 WHERE user_id = ?",
                           (_HASHER.hash(password), secret, user_id)).rowcount
        if not n:
            raise AccountError(f"no user {user_id!r}")
        self.end_sessions(user_id)
        return secret

    def remove(self, user_id: str) -> None:
        with self._db() as db:
            if not db.execute("DELETE FROM accounts WHERE user_id = ?", (user_id,)).rowcount:
                raise AccountError(f"no user {user_id!r}")
        self.end_sessions(user_id)

    def end_sessions(self, user_id: str) -> int:
        """End the account's sessions on the server (session_store.py, the file beside this
        one): whoever copied a cookie of them is signed out too. How many there were."""
        from kokemusvirta.workplace.session_store import SessionStore, sessions_path

        return SessionStore(sessions_path(self.path.parent)).end_user(user_id, "local")

    def current_code(self, user_id: str, now: float | None = None) -> str:
        """A TOTP code the account may sign in with now, for `kokemusvirta users code`: this
        step's, or the next step's when this one's was used (a code works once). Whoever can
        run it can read this file, and the secret in it, already. AccountError for an unknown
        user, or when both were used (wait for the next step)."""
        now = time.time() if now is None else now
        with self._db() as db:
            row = db.execute("SELECT totp_secret, last_totp_step FROM accounts WHERE user_id = ?",
                             (user_id,)).fetchone()
        if row is None:
            raise AccountError(f"no user {user_id!r}")
        step = int(now // TOTP_STEP_S)
        usable = max(step, row[1] + 1)
        if usable > step + 1:
            wait = (step + 1) * TOTP_STEP_S - now
            raise AccountError(f"the codes of this moment were used; try again in {wait:.0f} s")
        return pyotp.TOTP(row[0]).at(usable * TOTP_STEP_S)

    def list(self) -> list[Account]:
        with self._db() as db:
            rows = db.execute("SELECT user_id, display_name, role, scope, language, locked_until "
                              "FROM accounts ORDER BY user_id").fetchall()
        return [Account(r[0], r[1], StaffRole(r[2]), r[3], r[4], r[5]) for r in rows]

    def get(self, user_id: str) -> Account | None:
        with self._db() as db:
            r = db.execute("SELECT user_id, display_name, role, scope, language, locked_until "
                           "FROM accounts WHERE user_id = ?", (user_id,)).fetchone()
        return None if r is None else Account(r[0], r[1], StaffRole(r[2]), r[3], r[4], r[5])

    def provisioning_uri(self, user_id: str, secret: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=user_id, issuer_name=ISSUER)

    def staff_user(self, account: Account) -> StaffUser:
        return StaffUser(user_id=account.user_id,
                         pseudonym=pseudonym_of(self._key, account.user_id),
                         display_name=account.display_name, role=account.role,
                         scope=account.scope, language=account.language, auth="local")

    # -- signing in ------------------------------------------------------------------------

    def verify_password(self, user_id: str, password: str,
                        now: float | None = None) -> Account | None:
        """The account if the password is right and the account not locked; else None, the
        same for an unknown user, a wrong password and a locked account."""
        now = time.time() if now is None else now
        with self._db() as db:
            row = db.execute("SELECT password_hash, locked_until FROM accounts WHERE user_id = ?",
                             (user_id,)).fetchone()
        if row is None:
            _verify(_DUMMY_HASH, password)
            return None
        stored, locked_until = row
        if locked_until > now:
            _verify(_DUMMY_HASH, password)
            return None
        if not _verify(stored, password):
            self._failed(user_id, now)
            return None
        if _HASHER.check_needs_rehash(stored):
            with self._db() as db:
                db.execute("UPDATE accounts SET password_hash = ? WHERE user_id = ?",
                           (_HASHER.hash(password), user_id))
        return self.get(user_id)

    def verify_totp(self, user_id: str, code: str, now: float | None = None) -> bool:
        """Whether `code` is the user's current TOTP code (the step before or after too, for a
        clock a little off), not used before; a right code is then spent. A wrong one counts
        as a failure towards the lock."""
        now = time.time() if now is None else now
        code = code.strip().replace(" ", "")
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")  # two tabs posting one code: only one gets in
            row = db.execute("SELECT totp_secret, locked_until, last_totp_step FROM accounts "
                             "WHERE user_id = ?", (user_id,)).fetchone()
            if row is None or row[1] > now or not (code.isdigit() and len(code) == 6):
                matched = None
            else:
                totp = pyotp.TOTP(row[0])
                step = int(now // TOTP_STEP_S)
                matched = next((s for s in (step - 1, step, step + 1)
                                if s > row[2] and secrets.compare_digest(
                                    totp.at(s * TOTP_STEP_S), code)), None)
            if matched is not None:
                db.execute("UPDATE accounts SET last_totp_step = ?, failures = 0 "
                           "WHERE user_id = ?", (matched, user_id))
        if matched is None and row is not None:
            self._failed(user_id, now)
        return matched is not None

    def _failed(self, user_id: str, now: float) -> None:
        with self._db() as db:
            db.execute(  # the right-hand sides all see the old failures
                "UPDATE accounts SET failures = CASE WHEN failures + 1 >= ? THEN 0 ELSE "
                "failures + 1 END, locked_until = CASE WHEN failures + 1 >= ? THEN ? ELSE "
                "locked_until END WHERE user_id = ?",
                (MAX_FAILURES, MAX_FAILURES, now + LOCKOUT_S, user_id))

    @staticmethod
    def _check(user_id: str, role: StaffRole, scope: str, language: str, password: str) -> None:
        try:
            check_user_id(user_id)
            check_scope(role, scope)
        except ValueError as exc:
            raise AccountError(str(exc)) from None
        if language not in ("fi", "sv", "en"):
            raise AccountError(f"language {language!r}: fi, sv or en")
        if len(password) < 12:
            raise AccountError("a password is at least 12 characters")


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False

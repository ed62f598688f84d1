"""Who is signed in: the signed cookie (Starlette's SessionMiddleware) carries only a random
session id; the user, how they signed in and when are in the server's record of it
(session_store.py, `app.state.sessions`), which the server can end.

A session ends for every copy of its cookie at once: on sign-out, on `kokemusvirta users
remove|reset` of its local account, and when it is older than
KOKEMUSVIRTA_WORKPLACE_SESSION_HOURS (8: a working day) by the server's clock, whatever the
cookie's own age says. The session of a local account given another role or scope since ends
on its next request as well.

Signing in starts a new session (the old one's contents, the half-finished sign-in or the CSRF
token, are dropped) so a session fixed before sign-in is of no use after it.
"""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import quote

from starlette.requests import Request

from kokemusvirta.workplace.session_store import SessionStore
from kokemusvirta.workplace.users import StaffRole, StaffUser

SESSION_USER = "user"


class SignInRequired(Exception):
    """No one is signed in: a page redirects to /kirjaudu?seuraava=…, an API-like path is 401."""

    def __init__(self, path: str) -> None:
        super().__init__("sign-in required")
        self.path = path


class Forbidden(Exception):
    """Signed in, but the role or scope does not allow it: a 403 page in the user's language."""


def _hours(request: Request) -> float:
    return float(request.app.state.settings.workplace_session_hours)


def _now() -> float:
    return time.time()


def _store(request: Request) -> SessionStore:
    return request.app.state.sessions


def _session_id(request: Request) -> str | None:
    kept: Any = request.session.get(SESSION_USER)
    # A dict is a session of the cookie-only shape before the server kept records: ignored.
    return kept if isinstance(kept, str) and kept else None


def current_user(request: Request) -> StaffUser | None:
    """The signed-in user, or None (never signed in, signed out, ended by an administrator, or
    the session is too old)."""
    if "staff_user" in request.scope.get("state", {}):  # looked up once per request
        return request.state.staff_user
    user = _look_up(request)
    request.state.staff_user = user
    return user


def _look_up(request: Request) -> StaffUser | None:
    if SESSION_USER not in request.session:
        return None
    session_id = _session_id(request)
    user = None if session_id is None else _store(request).user(
        session_id, _now(), _hours(request) * 3600)
    if user is None:
        sign_out(request)
        return None
    if not _still_valid(request, user):
        sign_out(request)
        return None
    return user


def _still_valid(request: Request, user: StaffUser) -> bool:
    """A local account removed, or given another role or scope, since sign-in: the session
    ends at once (`kokemusvirta users remove` takes effect on the next request, not after
    hours). Locking does not end a session: it guards the next sign-in."""
    accounts = getattr(request.app.state, "accounts", None)
    if user.auth != "local" or accounts is None:
        return True
    account = accounts.get(user.user_id)
    return (account is not None and account.role is user.role
            and account.scope == user.scope)


def require_user(request: Request) -> StaffUser:
    user = current_user(request)
    if user is None:
        raise SignInRequired(request.url.path
                             + (f"?{request.url.query}" if request.url.query else ""))
    return user


def require_roles(user: StaffUser, *roles: StaffRole) -> StaffUser:
    if user.role not in roles:
        raise Forbidden
    return user


def sign_in(request: Request, user: StaffUser) -> None:
    """A fresh session for `user` (a session this browser had before is ended): the language
    chosen before sign-in (`?kieli=`) stays, else the user's own."""
    lang = request.session.get("lang")
    sign_out(request)
    request.session["lang"] = lang or user.language
    request.session[SESSION_USER] = _store(request).open(user, _now(), _hours(request) * 3600)
    request.session["csrf"] = secrets.token_urlsafe(32)
    request.state.staff_user = user


def sign_out(request: Request) -> None:
    """End the session on the server (every copy of the cookie with it) and clear this one."""
    session_id = _session_id(request)
    if session_id is not None:
        _store(request).end(session_id)
    request.state.staff_user = None
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang


def login_url(next_path: str) -> str:
    """/kirjaudu with where to go after it (only a path of this site: no open redirect)."""
    return "/kirjaudu" + (f"?seuraava={quote(next_path, safe='/')}" if next_path != "/" else "")


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: a path of this site, else the landing page."""
    if (not target or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(ord(c) < 32 for c in target)):
        return "/"
    return target

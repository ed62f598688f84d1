"""Who is signed in: the session (a signed cookie, Starlette's SessionMiddleware) holds the user
(never a password), how they signed in and when.

A session older than KOKEMUSVIRTA_WORKPLACE_SESSION_HOURS (8: a working day) is signed out on
its next request, whatever the cookie's own age says: the time is in the signed data, so a
client cannot extend it. So is the session of a local account removed or given another role or
scope since. The cookie is the whole session (no server-side store): signing out clears the
browser's copy, and a copy taken before stays valid until one of those ends it.

Signing in starts a new session (the old one's contents, the half-finished sign-in or the CSRF
token, are dropped) so a session fixed before sign-in is of no use after it.
"""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import quote

from starlette.requests import Request

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


def current_user(request: Request) -> StaffUser | None:
    """The signed-in user, or None (never signed in, signed out, or the session is too old)."""
    kept: dict[str, Any] | None = request.session.get(SESSION_USER)
    if not kept:
        return None
    try:
        at = float(kept["at"])
        if not 0 <= _now() - at <= _hours(request) * 3600:
            sign_out(request)
            return None
        user = StaffUser(user_id=kept["id"], pseudonym=kept["ps"], display_name=kept["name"],
                         role=StaffRole(kept["role"]), scope=kept["scope"],
                         language=kept["lang"], auth=kept["auth"])
    except (KeyError, TypeError, ValueError):  # a session of an older shape: sign in again
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
    """A fresh session for `user`: the language chosen before sign-in (`?kieli=`) stays, else
    the user's own."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session["lang"] = lang or user.language
    request.session[SESSION_USER] = {
        "id": user.user_id, "ps": user.pseudonym, "name": user.display_name,
        "role": user.role.value, "scope": user.scope, "lang": user.language,
        "auth": user.auth, "at": _now()}
    request.session["csrf"] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
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

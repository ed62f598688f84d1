"""Who is signed in: the session (a signed cookie, Starlette's SessionMiddleware) holds the user
(never a password), how they signed in and when.

A session older than KOKEMUSVIRTA_WORKPLACE_SESSION_HOURS (8: a working day) is signed out on
its next request, whatever the cookie's own age says: the time is in the signed data, so a
client cannot extend it. Signing in starts a new session (the old one's contents, the
half-finished sign-in or the CSRF token, are dropped) so a session fixed before sign-in is of no
use after it.
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
        return StaffUser(user_id=kept["id"], pseudonym=kept["ps"], display_name=kept["name"],
                         role=StaffRole(kept["role"]), scope=kept["scope"],
                         language=kept["lang"], auth=kept["auth"])
    except (KeyError, TypeError, ValueError):  # a session of an older shape: sign in again
        sign_out(request)
        return None


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
    """A fresh session for `user` (the language chosen before sign-in stays)."""
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
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

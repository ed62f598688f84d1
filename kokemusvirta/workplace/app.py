"""The workplace's web app: Starlette with signed sessions, security headers, CSRF protection and
server-rendered pages (Jinja2) in Finnish, Swedish and English. Works without JavaScript.

Guards on every response (SecurityHeaders): a Content-Security-Policy that allows no script at
all and styles only from here, X-Frame-Options DENY (no clickjacking), no referrer, and
Cache-Control no-store on every page (they show clients' feedback and who the user is: nothing
of it stays in a shared computer's cache). The session cookie is HttpOnly and SameSite=Lax,
HTTPS-only when KOKEMUSVIRTA_WORKPLACE_HTTPS says the site is behind TLS; its secret is
KOKEMUSVIRTA_WORKPLACE_SESSION_KEY or one generated once in $KOKEMUSVIRTA_HOME/workplace/.

Every POST carries the session's CSRF token in a hidden field `csrf` (`render` puts it in every
template's context as `csrf`); a handler calls `check_csrf(request, form)` first, which answers
403 for a missing or wrong one. SameSite=Lax keeps most forged posts out already; the token
keeps out the rest (a sibling site, an old browser).

What the parts of the workplace find on `request.app.state`: settings, accounts (local accounts
or None), sessions (session_store.SessionStore: the server's records of who is signed in),
actor (acting.WebActor or a stand-in), templates (the Jinja2 environment; a part adds
its own template folder with `add_template_folder`), oidc (set by the OpenID Connect part).
"""

from __future__ import annotations

import logging
import os
import secrets
import traceback
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kokemusvirta.settings import Settings
from kokemusvirta.workplace.i18n import LANGUAGE_NAMES, LANGUAGES, Texts, language_of
from kokemusvirta.workplace.sessions import (
    Forbidden,
    SignInRequired,
    current_user,
    login_url,
)
from kokemusvirta.workplace.users import StaffRole, StaffUser

log = logging.getLogger("kokemusvirta.workplace")
HERE = Path(__file__).resolve().parent
COOKIE = "kv_workplace"

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# API-like paths answer 401 rather than a redirect to the sign-in page.
API_PREFIXES = ("/api/",)

# The nav's entries per role: (path, text key). The pages are the other parts'.
NAV: dict[StaffRole, tuple[tuple[str, str], ...]] = {
    StaffRole.UNIT_MANAGER: (("/saapuneet", "nav_inbox"), ("/kojelauta", "nav_dashboards")),
    StaffRole.LEADERSHIP: (("/jono", "nav_queue"), ("/kojelauta", "nav_dashboards")),
    StaffRole.SECRETARY: (("/esityslista", "nav_agenda"), ("/kojelauta", "nav_dashboards")),
    StaffRole.AUDITOR: (("/loki", "nav_log"),),
    StaffRole.ANALYST: (("/kojelauta", "nav_dashboards"),),
}
HOME: dict[StaffRole, str] = {role: entries[0][0] for role, entries in NAV.items()}


class SecurityHeaders:
    """The headers above on every response; no-store on all but the stylesheet."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    headers.append((name.lower().encode(), value.encode()))
                if not static and b"cache-control" not in have:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class Contained:
    """An unexpected error: a 500 page and one log line with its type and place, never its
    message (it may quote a client's words)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:  # noqa: BLE001 - the one place that answers for all
            where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            log.error("workplace: unexpected %s on %s %s%s", type(exc).__name__,
                      scope["method"], scope["path"],
                      f" at {where.filename}:{where.lineno}" if where else "")
            if not started:
                await HTMLResponse("<!doctype html><html lang=\"fi\"><title>Virhe</title>"
                                   "<p>Virhe – Fel – Error (500)</p></html>", 500,
                                   headers={"Cache-Control": "no-store"})(scope, receive, send)


def session_secret(settings: Settings) -> str:
    """KOKEMUSVIRTA_WORKPLACE_SESSION_KEY, or a key made once in $KOKEMUSVIRTA_HOME/workplace/
    (0600): restarting the server keeps everyone signed in."""
    if settings.workplace_session_key is not None:
        return settings.workplace_session_key.get_secret_value()
    folder = settings.home / "workplace"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / "session.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        os.chmod(path, 0o600)
        return path.read_text().strip()
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(32))
    return path.read_text().strip()


def templates() -> Environment:
    return Environment(loader=ChoiceLoader([FileSystemLoader(HERE / "templates")]),
                       autoescape=True, trim_blocks=True, lstrip_blocks=True)


def add_template_folder(env: Environment, folder: Path) -> None:
    """A part's own templates (they may extend "base.html")."""
    assert isinstance(env.loader, ChoiceLoader)
    env.loader.loaders = [*env.loader.loaders, FileSystemLoader(folder)]


def lang_of(request: Request) -> str:
    if "lang" not in request.scope.get("state", {}):
        request.state.lang = language_of(request.query_params, request.session,
                                         request.headers.get("accept-language"))
    return str(request.state.lang)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, form: FormData | Mapping[str, Any]) -> None:
    """403 unless the form's `csrf` is this session's token."""
    sent = form.get("csrf")
    kept = request.session.get("csrf")
    # As bytes: compare_digest refuses a str with non-ASCII characters (a 500, not a 403).
    if not (isinstance(sent, str) and kept
            and secrets.compare_digest(sent.encode(), str(kept).encode())):
        raise HTTPException(403, "csrf")


def language_links(request: Request, lang: str) -> list[dict[str, Any]]:
    return [{"lang": code, "name": LANGUAGE_NAMES[code], "current": code == lang,
             "href": str(request.url.include_query_params(kieli=code).remove_query_params(
                 "virhe"))[len(str(request.base_url)) - 1:]}
            for code in LANGUAGES]


def render(request: Request, template: str, context: Mapping[str, Any] | None = None,
           status: int = 200, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    """A page: `template` with the user, lang, t (t.key or t("key")), csrf, nav and the
    language links in its context, besides `context`."""
    lang = lang_of(request)
    user = current_user(request)
    env: Environment = request.app.state.templates
    html = env.get_template(template).render(
        user=user, lang=lang, t=Texts(lang), csrf=csrf_token(request),
        nav=_nav(user, request.url.path), languages=language_links(request, lang),
        oidc=getattr(request.app.state, "oidc", None), **(context or {}))
    return HTMLResponse(html, status, headers=dict(headers or {}))


def _nav(user: StaffUser | None, path: str) -> list[dict[str, Any]]:
    if user is None:
        return []
    return [{"href": href, "key": key, "current": path.startswith(href)}
            for href, key in NAV[user.role]]


def message_page(request: Request, title_key: str, text_key: str, status: int) -> HTMLResponse:
    return render(request, "message.html", {"title_key": title_key, "text_key": text_key},
                  status)


async def _sign_in_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    if request.url.path.startswith(API_PREFIXES):
        return JSONResponse({"error": "sign-in required"}, 401,
                            headers={"WWW-Authenticate": "Cookie"})
    return RedirectResponse(login_url(exc.path), 303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    return message_page(request, "forbidden_title", "forbidden_text", 403)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.detail == "csrf":
        return message_page(request, "forbidden_title", "csrf_failed", 403)
    if exc.status_code == 404:
        return message_page(request, "not_found_title", "not_found_text", 404)
    if exc.status_code == 403:
        return message_page(request, "forbidden_title", "forbidden_text", 403)
    return message_page(request, "error_title", "error_text", exc.status_code)


def default_accounts(settings: Settings) -> Any:
    from kokemusvirta.keystore import pseudonym_key
    from kokemusvirta.workplace.accounts import Accounts, accounts_path

    return Accounts(accounts_path(settings.home), pseudonym_key(settings))


def session_store(settings: Settings, accounts: Any) -> Any:
    """The server's session records, beside the local accounts (so that `users remove|reset`,
    which know only the accounts file, end the sessions the app checks)."""
    from kokemusvirta.workplace.session_store import SessionStore, sessions_path

    path = getattr(accounts, "path", None)
    folder = path.parent if isinstance(path, Path) else settings.home / "workplace"
    return SessionStore(sessions_path(folder))


def create_app(settings: Settings, *, accounts: Any = None, actor: Any = None,
               extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The workplace. `accounts` defaults to the local accounts under $KOKEMUSVIRTA_HOME,
    `actor` to acting.WebActor(settings); the routes are `extra_routes` and every factory of
    routes.ROUTE_FACTORIES; then each of routes.SETUP_HOOKS runs with the app and settings."""
    from kokemusvirta.workplace.acting import WebActor
    from kokemusvirta.workplace.oidc import oidc_from_settings
    from kokemusvirta.workplace.routes import ROUTE_FACTORIES, SETUP_HOOKS, placeholder_routes

    handlers: dict[Any, Any] = {SignInRequired: _sign_in_required, Forbidden: _forbidden,
                                HTTPException: _http_error}
    routes: list[BaseRoute] = [*extra_routes]
    for factory in ROUTE_FACTORIES:
        routes.extend(factory())
    routes.extend(placeholder_routes())
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))
    the_actor = actor if actor is not None else WebActor(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            close = getattr(the_actor, "close", None)
            if close is not None:
                close()  # its producers flush and disconnect

    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    app.state.settings = settings
    app.state.accounts = accounts if accounts is not None else default_accounts(settings)
    app.state.sessions = session_store(settings, app.state.accounts)
    app.state.actor = the_actor
    app.state.templates = templates()
    app.state.oidc = oidc_from_settings(settings)  # None unless KOKEMUSVIRTA_OIDC_ISSUER
    for setup in SETUP_HOOKS:
        setup(app, settings)
    app.add_middleware(SessionMiddleware, secret_key=session_secret(settings),
                       session_cookie=COOKIE, max_age=int(settings.workplace_session_hours
                                                          * 3600),
                       same_site="lax", https_only=settings.workplace_https)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Contained)
    return app

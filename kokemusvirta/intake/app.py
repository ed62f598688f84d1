"""The intake service: one Starlette app, the API (api.py) and whatever routes the caller adds
(the feedback form mounts its pages through `extra_routes`).

Two guards stand in front of every route, as plain ASGI middleware:
- the body limit: a POST over KOKEMUSVIRTA_INTAKE_MAX_BODY_BYTES is 413, whether its
  Content-Length says so or the streamed body turns out longer (a chunked upload has none);
- the rate limit: each client's POSTs spend a token of its bucket (ratelimit.py); none left, 429
  with Retry-After.
Around both, anything unexpected is a 500 with one line for the client and one log line naming
the error's type and where it happened, never a value of the request (it may hold a person's
words).
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kokemusvirta.intake.api import Gateway, error, routes
from kokemusvirta.intake.form import form_routes, is_form_path
from kokemusvirta.intake.problems import language_of
from kokemusvirta.intake.ratelimit import RateLimiter, retry_after_header
from kokemusvirta.organisations import organisations
from kokemusvirta.settings import Settings

log = logging.getLogger("kokemusvirta.intake")

_LIMITED_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _language(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            return language_of(value.decode("latin-1"))
    return language_of(None)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """413 for a body over `limit` bytes: by its Content-Length at once, else when the streamed
    body passes the limit (the route reading it is stopped there)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] not in _LIMITED_METHODS
                or is_form_path(scope["path"])):  # the form limits its own, with a page
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > self.limit):
                await self._refuse(scope, receive, send)
                return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error("too_large", 413, _language(scope), limit=self.limit,
                         headers={"Connection": "close"})
        await response(scope, receive, send)


class RateLimit:
    """429 with Retry-After for a client that has spent its bucket (GETs are free)."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and scope["method"] in _LIMITED_METHODS
                and not is_form_path(scope["path"])):  # the form limits its own, with a page
            client = scope["client"][0] if scope.get("client") else "unknown"
            wait = self.limiter.take(client, time.monotonic())
            if wait > 0:
                retry = retry_after_header(wait)
                response = error("rate", 429, _language(scope), headers={"Retry-After": retry},
                                 retry=retry)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Contained:
    """Any unexpected error: a 500 with one line for the client and one log line with the
    error's type and where it happened (never its message: it may quote the request). Not
    re-raised, so the server does not log the traceback with its values either (Starlette's
    own error middleware would re-raise it for the server to log)."""

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
            log.error("intake: unexpected %s on %s %s%s", type(exc).__name__, scope["method"],
                      scope["path"], f" at {where.filename}:{where.lineno}" if where else "")
            if not started:
                await error("internal", 500, _language(scope))(scope, receive, send)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    language = language_of(request.headers.get("accept-language"))
    kind = {404: "not_found", 405: "method"}.get(exc.status_code)
    if kind is None:
        return JSONResponse({"error": str(exc.detail)}, exc.status_code)
    return error(kind, exc.status_code, language, headers=dict(exc.headers or {}))


def default_gateway(settings: Settings) -> Gateway:
    """The real gateway: the broker of the settings (KAFKA_BOOTSTRAP_SERVERS or the local
    one, which must be running), the pseudonym key and the key store of the settings."""
    from kokemusvirta import kafka as kv_kafka
    from kokemusvirta.intake.gateway import IntakeGateway
    from kokemusvirta.keystore import privacy_from_settings

    bootstrap = kv_kafka.bootstrap_servers(settings, start_local=False)
    return IntakeGateway(settings, privacy_from_settings(settings), bootstrap)


def create_app(settings: Settings, *, gateway: Gateway | None = None,
               extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The service. `gateway` defaults to the real one (default_gateway); `extra_routes` are
    mounted beside the API (they find the gateway at `request.app.state.gateway` and the
    settings at `request.app.state.settings`)."""
    the_gateway = gateway if gateway is not None else default_gateway(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await the_gateway.start()
        try:
            yield
        finally:
            await the_gateway.stop()

    handlers: dict[Any, Any] = {HTTPException: _http_error}
    form = form_routes(settings, the_gateway, organisations(settings))  # the feedback form
    app = Starlette(routes=[*routes(), *extra_routes, *form], lifespan=lifespan,
                    exception_handlers=handlers)
    app.state.gateway = the_gateway
    app.state.settings = settings
    limiter = RateLimiter(settings.intake_rate_per_s, settings.intake_rate_burst)
    app.state.rate_limiter = limiter
    # The one added last is outermost: a body declared too large is refused before the rate
    # limit counts it.
    app.add_middleware(RateLimit, limiter=limiter)
    app.add_middleware(BodyLimit, limit=settings.intake_max_body_bytes)
    app.add_middleware(Contained)
    return app

"""`kokemusvirta dashboard serve`: the public dashboards over HTTP (Starlette on uvicorn), from
the sink's published snapshot, without a login.

    create_app(reader, poll_ms, organisations) -> Starlette     the ASGI app
    uvicorn_options(read_timeout_s, max_connections) -> dict    uvicorn's settings for it
    Dashboard(reader, ...).respond(path, query) -> Response     the answer (no sockets: tests)

Without a login, only what may be public (dashboards/public.py): aggregate figures with small
groups suppressed and no list of single items. Each request reads the newest snapshot
(dashboards/snapshot.py); pages ask `/api/version` and fetch themselves again when it changes
(dashboards/static/live.js). Hardened for being reachable (dashboards/connections.py): a
connection that has not sent its request head within `read_timeout_s` is dropped, beyond
`max_connections` open connections the answer is 503 with Retry-After; an error page repeats at
most 80 characters of a bad value, and every answer carries the security headers.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import duckdb
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response as HTTPResponse
from starlette.routing import Route

from dashboards import public, vega
from dashboards.connections import (
    KEEP_ALIVE_S,
    MAX_CONNECTIONS,
    MAX_HEAD_BYTES,
    READ_TIMEOUT_S,
    bounded_protocol,
)
from dashboards.filters import BadFilter, Filters
from dashboards.frame import FILTER_NAMES, Choices, Live, content_security_policy, problem_document
from dashboards.html import ECHO_LIMIT, cut, echo, esc
from dashboards.labels import LANGS, Labels, UnknownLanguage, check_lang
from dashboards.pages import FILTER_OPTIONS, PAGES
from dashboards.queries import QueryResult, run
from dashboards.snapshot import NoStoreYet, SnapshotReader
from schemas.organisations import OrganisationRegistry

__all__ = ["Dashboard", "NoStoreYet", "SnapshotReader", "create_app", "uvicorn_options"]

log = logging.getLogger("kokemusvirta.dashboard")

# No request leaves the page: scripts and styles are inline (only ours run: their hashes), the
# page only talks to its server.
SECURITY_HEADERS = {
    "Content-Security-Policy": content_security_policy(served=True),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
QUERY_NAMES = frozenset((*FILTER_NAMES, "lang"))


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def _html(status: int, text: str) -> Response:
    return Response(status, text.encode("utf-8"))


def parse_request(query: str) -> tuple[str, Filters]:
    """The language and filters of a query string. Raises UnknownLanguage or BadFilter."""
    values = parse_qs(query, keep_blank_values=True)
    unknown = sorted(set(values) - QUERY_NAMES)
    if unknown:
        named = ", ".join(echo(u, 40) for u in unknown[:3]) + (" …" if len(unknown) > 3 else "")
        raise BadFilter(f"unknown parameter(s) {named}; the filters are "
                        f"{', '.join(FILTER_NAMES)} and lang")
    repeated = sorted(k for k, v in values.items() if len(v) > 1)
    if repeated:
        raise BadFilter(f"{', '.join(cut(r, 40) for r in repeated)} given more than once")
    single: dict[str, str | None] = {k: v[0] for k, v in values.items()}
    lang = check_lang(single.pop("lang", None))
    return lang, Filters.parse(single)


class UnknownValue(BadFilter):
    def __init__(self, name: str, value: str) -> None:
        super().__init__(f"{name}: no {echo(value)} in the store")
        self.name, self.value = name, cut(value)

    def say(self, labels: Labels) -> str:
        return f"{labels.t(self.name)}: {labels.t('unknown_value')} “{self.value}”"


def check_known(filters: Filters, choices: Choices) -> None:
    """A county, service area, unit or theme the store has never seen is a typo, not an empty
    chart: say so."""
    for name in ("county", "service_area", "unit", "theme"):
        value = getattr(filters, name)
        if value is not None and not choices.known(name, value):
            raise UnknownValue(name, value)


class Dashboard:
    """What the app asks: a response for a path and query (no sockets here, so tests can call
    it directly)."""

    def __init__(self, reader: SnapshotReader, poll_ms: int = 5000,
                 organisations: OrganisationRegistry | None = None) -> None:
        self.reader = reader
        self.poll_ms = poll_ms
        self.organisations = organisations  # names counties, service areas and units
        self._options: tuple[str, QueryResult] | None = None

    def options(self, con: duckdb.DuckDBPyConnection, version: str) -> QueryResult:
        """The filter form's choices change only with the snapshot: asked once per version."""
        cached = self._options
        if cached is None or cached[0] != version:
            cached = (version, run(con, FILTER_OPTIONS))
            self._options = cached
        return cached[1]

    def respond(self, path: str, query: str) -> Response:
        if path == "/api/version":
            body = json.dumps({"version": self.reader.version(),
                               "as_of": (a.isoformat() if (a := self.reader.as_of()) else None)})
            return Response(200, body.encode(), "application/json")
        slug = path.strip("/") or PAGES[0]
        try:
            lang, filters = parse_request(query)
        except UnknownLanguage as exc:
            return self._problem(400, Labels("fi", self.organisations), "error_title", str(exc))
        except BadFilter as exc:
            lang = _lang_of(query)
            return self._problem(400, Labels(lang, self.organisations), "error_title", str(exc))
        labels = Labels(lang, self.organisations)
        if slug not in PAGES:
            listing = "<ul>" + "".join(f'<li><a href="/{p}">{esc(labels.page(p))}</a></li>'
                                       for p in PAGES) + "</ul>"
            return self._problem(404, labels, "not_found_title", labels.t("not_found_body"),
                                 listing)
        try:
            con, version = self.reader.cursor()
        except NoStoreYet:
            return self._problem(503, labels, "no_store_title",
                                 labels.t("no_store_body", store=str(self.reader.store)))
        try:
            options = self.options(con, version)
            try:
                check_known(filters, Choices.from_result(options))
            except UnknownValue as exc:
                return self._problem(400, labels, "error_title", exc.say(labels))
            as_of = self.reader.as_of()
            live = Live(version, labels.moment(as_of) if as_of else None, self.poll_ms)
            return _html(200, public.render_page(con, slug, filters, lang, live=live,
                                                 options=options,
                                                 organisations=self.organisations))
        finally:
            con.close()

    def _problem(self, status: int, labels: Labels, title_key: str, message: str,
                 listing: str = "") -> Response:
        if status == 400:
            # Every value in it is cut already; this bounds what nobody thought of.
            message = f"{labels.t('error_body')} {cut(message, 4 * ECHO_LIMIT)}"
        return _html(status, problem_document(labels, PAGES, labels.t(title_key), message,
                                              listing))


def _lang_of(query: str) -> str:
    lang = parse_qs(query).get("lang", ["fi"])[0]
    return lang if lang in LANGS else "fi"


class SecurityHeaders:
    """Every answer of the app carries the security headers (Starlette's own 405 too)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                        for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def send_with_headers(message: Mapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(reader: SnapshotReader, poll_ms: int = 5000,
               organisations: OrganisationRegistry | None = None) -> Starlette:
    """The public dashboards as an ASGI app; the reader is closed when the app stops."""
    dashboard = Dashboard(reader, poll_ms, organisations)

    async def answer(request: Request) -> HTTPResponse:
        try:  # DuckDB blocks: a worker thread, so the event loop keeps serving others
            response = await run_in_threadpool(dashboard.respond, request.url.path,
                                               request.url.query)
        except Exception:
            log.exception("failed to render %s", request.url.path)
            response = Response(500, b"internal error: see the server's log",
                                "text/plain; charset=utf-8")
        return HTTPResponse(response.body, response.status, dict(response.headers),
                            media_type=response.content_type)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # vl-convert's first drawing in a process is most of a second slower: start it now, in
        # the background, so no reader's first page waits for it
        threading.Thread(target=vega.warm, name="vl-convert warm-up", daemon=True).start()
        try:
            yield
        finally:
            reader.close()

    app = Starlette(routes=[Route("/{path:path}", answer, methods=["GET", "HEAD"])],
                    lifespan=lifespan)
    app.add_middleware(SecurityHeaders)
    return app


def uvicorn_options(read_timeout_s: float = READ_TIMEOUT_S,
                    max_connections: int = MAX_CONNECTIONS) -> dict[str, Any]:
    """uvicorn's settings for the app: the bounded protocol (connections.py) and its limits."""
    return {"http": bounded_protocol(read_timeout_s, tuple(SECURITY_HEADERS.items())),
            "limit_concurrency": max_connections, "timeout_keep_alive": KEEP_ALIVE_S,
            "h11_max_incomplete_event_size": MAX_HEAD_BYTES, "server_header": False}

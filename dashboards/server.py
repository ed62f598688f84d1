"""`kokemusvirta dashboard serve`: the dashboards over HTTP, from the sink's published snapshot.

The sink replaces its snapshot by atomic rename every few seconds (sinks/store.py). A reader
that has the old file open keeps reading the old one, so the server looks at the snapshot's
file identity (inode, mtime, size) on each request and opens the new one when it changed; the
old connection is dropped and closes once the requests still using it are done. Pages ask
`/api/version` and fetch themselves again when it changes (dashboards/static/live.js).

Standard library only (http.server, threaded): a county runs this behind its own web server.
Hardened for being reachable anyway (dashboards/connections.py): a connection that has not sent
its request line and headers within `read_timeout_s` is dropped (half-open and slowloris
connections alike), at most `max_workers` connections are served at once (more get 503 with
Retry-After); an error page repeats at most 80 characters of a bad value, and every answer
carries the security headers.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import duckdb

from dashboards.connections import (
    MAX_WORKERS,
    READ_TIMEOUT_S,
    DashboardServer,
    DeadlineHandler,
)
from dashboards.filters import BadFilter, Filters
from dashboards.frame import FILTER_NAMES, Choices, Live, content_security_policy, problem_document
from dashboards.html import ECHO_LIMIT, cut, echo, esc
from dashboards.labels import LANGS, Labels, UnknownLanguage, check_lang
from dashboards.pages import FILTER_OPTIONS, PAGES, render_page
from dashboards.queries import QueryResult, run
from schemas.organisations import OrganisationRegistry
from sinks.reader import open_read_only
from sinks.store import snapshot_path, status_path

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
        raise BadFilter(f"{', '.join(repeated)} given more than once")
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
    """What the handler asks: a response for a path and query (no sockets here, so tests can
    call it directly)."""

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
            return _html(200, render_page(con, slug, filters, lang, live=live, options=options,
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


def handler_for(dashboard: Dashboard,
                read_timeout_s: float = READ_TIMEOUT_S) -> type[BaseHTTPRequestHandler]:
    class Handler(DeadlineHandler):
        server_version = "kokemusvirta-dashboard"
        protocol_version = "HTTP/1.1"
        timeout = read_timeout_s  # each read; DeadlineHandler bounds the whole request head

        def _send(self, include_body: bool) -> None:
            url = urlsplit(self.path)
            try:
                response = dashboard.respond(url.path, url.query)
            except Exception:
                log.exception("failed to render %s", self.path)
                response = Response(500, b"internal error: see the server's log",
                                    "text/plain; charset=utf-8")
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in (*SECURITY_HEADERS.items(), *response.headers):
                self.send_header(name, value)
            self.end_headers()
            if include_body:
                self.wfile.write(response.body)

        def do_GET(self) -> None:
            self._send(include_body=True)

        def do_HEAD(self) -> None:
            self._send(include_body=False)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s " + format, self.address_string(), *args)

    return Handler


def make_server(store: Path, host: str, port: int, poll_ms: int = 5000,
                read_timeout_s: float = READ_TIMEOUT_S, max_workers: int = MAX_WORKERS,
                organisations: OrganisationRegistry | None = None,
                ) -> tuple[DashboardServer, SnapshotReader]:
    reader = SnapshotReader(store)
    server = DashboardServer((host, port),
                             handler_for(Dashboard(reader, poll_ms, organisations),
                                         read_timeout_s),
                             max_workers=max_workers, read_timeout_s=read_timeout_s,
                             headers=SECURITY_HEADERS)
    return server, reader


def url_of(server: DashboardServer) -> str:
    host, port = server.server_address[:2]
    shown = host if isinstance(host, str) and host not in ("", "0.0.0.0") else "127.0.0.1"
    return f"http://{shown}:{port}/"


def serve(store: Path, host: str, port: int, on_ready: Callable[[str], None],
          poll_ms: int = 5000, still_wanted: Callable[[], bool] | None = None,
          check_every_s: float = 10, organisations: OrganisationRegistry | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM, which the caller turns into an exception),
    or until `still_wanted()` says no (asked every `check_every_s` seconds). `organisations`
    names the counties, service areas and units."""
    server, reader = make_server(store, host, port, poll_ms, organisations=organisations)

    def watch() -> None:
        while still_wanted is not None and not stopped.wait(check_every_s):
            if not still_wanted():
                log.info("no longer wanted; stopping")
                server.shutdown()
                return

    stopped = threading.Event()
    try:
        on_ready(url_of(server))
        threading.Thread(target=watch, name="dashboard-watch", daemon=True).start()
        server.serve_forever(poll_interval=0.5)
    finally:
        stopped.set()
        server.server_close()
        reader.close()

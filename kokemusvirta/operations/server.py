"""The worker's and the sink's operations endpoint: /healthz and /metrics on a loopback port,
served from a daemon thread, and the small state file that tells `kokemusvirta status` where.

The state file is $KOKEMUSVIRTA_HOME/run/<role>-<pid>.json ({"role", "pid", "url", ...}),
removed when the process ends normally; one left by a killed process names a pid no longer
alive, and readers skip it.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, make_wsgi_app

from kokemusvirta.broker.process import runs_our_program

log = logging.getLogger("kokemusvirta.operations")

Health = Callable[[], tuple[int, dict[str, Any]]]
_REASONS = {200: "200 OK", 404: "404 Not Found", 503: "503 Service Unavailable"}


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # a scrape every 15 s is not news; and the main loop's log stays the log


def app(registry: CollectorRegistry, health: Health) -> Callable[..., Iterable[bytes]]:
    metrics = make_wsgi_app(registry)

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path == "/healthz":
            status, body = health()
            data = json.dumps(body).encode()
            start_response(_REASONS[status], [("Content-Type", "application/json"),
                                              ("Cache-Control", "no-store")])
            return [data]
        if path == "/metrics":
            return metrics(environ, start_response)
        start_response(_REASONS[404], [("Content-Type", "text/plain; charset=utf-8")])
        return [b"/healthz or /metrics\n"]

    return route


def serve(registry: CollectorRegistry, health: Health, host: str, port: int) -> tuple[str, int]:
    """Start serving in a daemon thread; the address actually bound. A configured port that is
    taken (a second worker on this host) is not worth stopping for: a free port instead, said
    in one line, and the state file tells where."""
    wsgi = app(registry, health)
    try:
        httpd = make_server(host, port, wsgi, _Server, handler_class=_Quiet)
    except OSError as exc:
        if port == 0:
            raise
        log.warning("metrics port %s:%d not available (%s); using a free port", host, port,
                    exc.strerror or exc)
        httpd = make_server(host, 0, wsgi, _Server, handler_class=_Quiet)
    httpd.timeout = 5
    threading.Thread(target=httpd.serve_forever, name="kokemusvirta-metrics",
                     daemon=True).start()
    bound_host, bound_port = httpd.server_address[:2]
    return str(bound_host), int(bound_port)


def state_path(home: Path, role: str, pid: int | None = None) -> Path:
    return home / "run" / f"{role}-{pid if pid is not None else os.getpid()}.json"


def write_state(home: Path, role: str, host: str, port: int) -> Path:
    path = state_path(home, role)
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(f"{role}-*.json"):  # left by killed processes
        if old != path and not _state_pid_alive(old):
            _remove(old)
    state = {"role": role, "pid": os.getpid(), "url": f"http://{host}:{port}",
             "started_at": datetime.now(UTC).isoformat(timespec="seconds")}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state))
    os.replace(tmp, path)
    atexit.register(_remove, path)
    return path


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def pid_alive(pid: int) -> bool:
    """Alive and a kokemusvirta process (a pid the kernel gave again to another program is not;
    kokemusvirta/broker/process.py has the one check); this process always counts."""
    return pid == os.getpid() or runs_our_program(pid, "kokemusvirta")


def _state_pid_alive(path: Path) -> bool:
    try:
        return pid_alive(int(json.loads(path.read_text())["pid"]))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def read_states(home: Path, role: str) -> list[dict[str, Any]]:
    """The state files of live processes of `role`, newest first."""
    found = []
    for path in (home / "run").glob(f"{role}-*.json"):
        try:
            state = json.loads(path.read_text())
            pid = int(state["pid"])
            url = str(state["url"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if pid_alive(pid):
            found.append({**state, "pid": pid, "url": url})
    return sorted(found, key=lambda s: str(s.get("started_at", "")), reverse=True)


def monotonic_health(role: str, loop_at: Callable[[], float], stall_s: float,
                     details: Callable[[], dict[str, Any]]) -> Health:
    from kokemusvirta.operations.metrics import health

    return lambda: health(role, loop_at(), stall_s, time.monotonic(), details())

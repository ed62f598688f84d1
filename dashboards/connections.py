"""The dashboard server's connections, bounded: how long a client may take to send its request,
and how many are served at once. The standard library's ThreadingHTTPServer waits for ever for a
request and starts a thread for every connection; a page reachable from a county's network must
not be stopped by a few half-open or trickling connections (issue 11).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

log = logging.getLogger("kokemusvirta.dashboard")

READ_TIMEOUT_S = 10.0  # to send the request line and headers, and to idle between requests
MAX_WORKERS = 16       # connections served at once (a browser keeps up to six open)
RETRY_AFTER_S = 2
BUSY_TEXT = ("Palvelin on varattu, yritä hetken päästä uudelleen. / Servern är upptagen, försök "
             "igen om en stund. / The server is busy, try again in a moment.\n")


class DeadlineHandler(BaseHTTPRequestHandler):
    """A request handler that drops a connection which has not sent its request line and
    headers within `timeout` seconds in all (each read is bounded by `timeout` too, which
    StreamRequestHandler sets on the socket). Rendering, after the headers, is not bounded."""

    timeout = READ_TIMEOUT_S
    _deadline: threading.Timer | None = None

    def handle_one_request(self) -> None:
        # A client sending a byte every few seconds would otherwise keep a worker for ever.
        self._deadline = threading.Timer(self.timeout or READ_TIMEOUT_S, self._drop)
        self._deadline.daemon = True
        self._deadline.start()
        try:
            super().handle_one_request()
        finally:
            self._deadline.cancel()

    def parse_request(self) -> bool:
        ok = super().parse_request()  # has read the headers: rendering may take its time
        if self._deadline is not None:
            self._deadline.cancel()
        return ok

    def _drop(self) -> None:
        log.info("dropped %s: no whole request within %s s", self.address_string(), self.timeout)
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)  # the blocked read returns


def busy_response(headers: Mapping[str, str]) -> bytes:
    head = ["HTTP/1.1 503 Service Unavailable", f"Retry-After: {RETRY_AFTER_S}",
            "Content-Type: text/plain; charset=utf-8",
            f"Content-Length: {len(BUSY_TEXT.encode())}", "Connection: close",
            *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(head) + "\r\n\r\n" + BUSY_TEXT).encode()


class DashboardServer(ThreadingHTTPServer):
    """ThreadingHTTPServer starts a thread for every connection, without bound: here at most
    `max_workers` connections are served at once. One more is answered 503 with Retry-After by
    a short-lived refusal (at most `max_workers` of those too); beyond that it is closed."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler],
                 max_workers: int = MAX_WORKERS, read_timeout_s: float = READ_TIMEOUT_S,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(address, handler)
        self.headers = dict(headers or {})  # sent with the 503 too (the security headers)
        self.max_workers = max_workers
        self.read_timeout_s = read_timeout_s
        self._workers = threading.BoundedSemaphore(max_workers)
        self._refusers = threading.BoundedSemaphore(max_workers)

    def process_request(self, request: Any, client_address: Any) -> None:
        if self._workers.acquire(blocking=False):
            try:
                super().process_request(request, client_address)  # starts the worker thread
            except BaseException:
                self._workers.release()
                raise
        elif self._refusers.acquire(blocking=False):
            threading.Thread(target=self._refuse, args=(request,), daemon=True,
                             name="dashboard-busy").start()
        else:
            self.shutdown_request(request)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._workers.release()

    def _refuse(self, request: socket.socket) -> None:
        """Read the request's head (briefly: closing on unread bytes resets the connection and
        the client would not see the answer), then say 503."""
        try:
            request.settimeout(min(self.read_timeout_s, 1.0))
            received = b""
            try:
                while b"\r\n\r\n" not in received and len(received) < 65536:
                    chunk = request.recv(8192)
                    if not chunk:
                        break
                    received += chunk
            except OSError:
                pass
            request.sendall(busy_response(self.headers))
        except OSError:
            pass
        finally:
            self.shutdown_request(request)
            self._refusers.release()

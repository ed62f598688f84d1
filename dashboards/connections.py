"""The public dashboard server's connections, bounded (issue 11), on uvicorn's h11 protocol.

uvicorn bounds the idle time between requests (timeout_keep_alive) but not the time a client
takes to send a request's line and headers: a half-open or trickling (slowloris) connection
would stay for ever. Its limit_concurrency answers a bare 503 without Retry-After or our
headers. `bounded_protocol` gives uvicorn a protocol class that adds both:

  - a connection that has not sent a whole request head within `read_timeout_s` is dropped
    (counted from its first byte, or from the connection when nothing came); rendering, after
    the head, is not bounded;
  - beyond `limit_concurrency` open connections (uvicorn's setting, counted over uvicorn's own
    set of connections), a new connection's requests are answered 503 with Retry-After,
    `Connection: close`, the busy text in fi/sv/en and the security headers;
  - uvicorn's own 400 for a request it cannot parse carries the security headers too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("kokemusvirta.dashboard")

READ_TIMEOUT_S = 10.0  # to send the request line and headers
MAX_CONNECTIONS = 16   # connections served at once (a browser keeps up to six open)
KEEP_ALIVE_S = 5       # uvicorn's idle time between requests on one connection
MAX_HEAD_BYTES = 72 * 1024  # a 65 KB filter value still gets the page's clear 400
RETRY_AFTER_S = 2
BUSY_TEXT = ("Palvelin on varattu, yritä hetken päästä uudelleen. / Servern är upptagen, försök "
             "igen om en stund. / The server is busy, try again in a moment.\n")

Headers = Sequence[tuple[str, str]]


def _encoded(headers: Headers) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]


def busy_app(headers: Headers) -> Any:
    """The ASGI answer for a connection over the limit."""
    body = BUSY_TEXT.encode()
    head = [(b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(RETRY_AFTER_S).encode()), (b"connection", b"close"),
            *_encoded(headers)]

    async def busy(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 503, "headers": head})
        await send({"type": "http.response.body", "body": body})

    return busy


def bounded_protocol(read_timeout_s: float = READ_TIMEOUT_S,
                     headers: Headers = ()) -> type[H11Protocol]:
    """uvicorn's h11 protocol with a deadline for the request head and our 503 (see above)."""
    refuse = busy_app(headers)
    bad_request_headers = _encoded(headers)

    class Bounded(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def __init__(self, config: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(config, *args, **kwargs)
            # The limit is uvicorn's setting; the answer to it is ours (connection_made).
            self.limit = self.limit_concurrency
            self.limit_concurrency = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)  # adds it to uvicorn's set of connections
            if self.limit is not None and len(self.connections) > self.limit:
                self.app = refuse  # this connection's requests: 503 with Retry-After
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self._arm()  # a request head begun and not yet whole: keep the first deadline
            else:
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def send_400_response(self, msg: str) -> None:
            # uvicorn's own answer to an unparsable request: with the security headers too.
            reason = h11.Response(status_code=400, reason=b"Bad Request",
                                  headers=[(b"content-type", b"text/plain; charset=utf-8"),
                                           (b"connection", b"close"), *bad_request_headers])
            self.transport.write(self.conn.send(reason) or b"")
            self.transport.write(self.conn.send(h11.Data(data=msg.encode("ascii"))) or b"")
            self.transport.write(self.conn.send(h11.EndOfMessage()) or b"")
            self.transport.close()

        def _arm(self) -> None:
            if self._deadline is None:
                self._deadline = self.loop.call_later(read_timeout_s, self._drop)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _drop(self) -> None:
            self._deadline = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                log.info("dropped a connection: no whole request within %s s", read_timeout_s)
                self.transport.close()

    return Bounded

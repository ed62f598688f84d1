"""Serving an ASGI app from a command (`intake serve`, `workplace serve`): the listening socket
bound here, so a taken port is one clear line rather than uvicorn's traceback, and a stop on
Ctrl-C or SIGTERM that answers what is in flight and exits 0."""

from __future__ import annotations

import errno
import signal
import socket
import threading
from collections.abc import Callable, Mapping
from typing import Any

from kokemusvirta.terminal import printable


def free_port(host: str = "127.0.0.1") -> int:
    """A port free on `host` now (for a child process or a test server to listen on)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def bind(host: str, port: int) -> socket.socket:
    """The listening socket. Raises OSError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it every answer waited ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def listen(host: str, port: int, err: Callable[[str], None]) -> socket.socket | None:
    """`bind`, or None after saying in one line why not (a bad or taken port)."""
    if not 0 <= port <= 65535:
        err(f"--port {port}: a port is 0 to 65535")
        return None
    try:
        return bind(host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            err(f"portti {port} on jo käytössä (port already in use) on {printable(host)}: "
                "stop what listens there or choose --port")
        else:
            err(f"cannot listen on {printable(host)}:{port}: "
                f"{printable(exc.strerror or type(exc).__name__)}")
        return None


def run_until_stopped(app: Any, sock: socket.socket, *, access_log: bool,
                      options: Mapping[str, Any] | None = None,
                      still_wanted: Callable[[], bool] | None = None,
                      check_every_s: float = 10) -> None:
    """uvicorn on `sock` until Ctrl-C or SIGTERM; requests in flight are answered first.
    `options`: more uvicorn settings (limits, a protocol class); `still_wanted`: asked every
    `check_every_s` seconds, a no stops the server as a signal would."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=access_log,
                            timeout_graceful_shutdown=10, lifespan="on", **(options or {}))
    server = uvicorn.Server(config)
    stopped = threading.Event()

    def watch() -> None:
        while still_wanted is not None and not stopped.wait(check_every_s):
            if not still_wanted():
                server.should_exit = True
                return

    # uvicorn answers what is in flight on SIGINT/SIGTERM, then raises the signal again under
    # the handlers it found: these make that a clean stop (exit 0), not a kill (143). Only the
    # main thread has signals (a test may serve from another).
    main = threading.current_thread() is threading.main_thread()
    previous = {sig: signal.signal(sig, lambda *_: None)
                for sig in (signal.SIGINT, signal.SIGTERM)} if main else {}
    threading.Thread(target=watch, name="serving-watch", daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        stopped.set()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

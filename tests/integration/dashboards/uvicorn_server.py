"""The public dashboard server as `kokemusvirta dashboard serve` runs it (the app, uvicorn with
the bounded protocol, kokemusvirta/serving.py), in a thread of the test process."""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboards.connections import MAX_CONNECTIONS, READ_TIMEOUT_S
from dashboards.server import SnapshotReader, create_app, uvicorn_options
from kokemusvirta.dashboard_daemon import url_for
from kokemusvirta.serving import bind, run_until_stopped


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "api/version", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


@contextmanager
def serving(store: Path, *, poll_ms: int = 5000, read_timeout_s: float = READ_TIMEOUT_S,
            max_connections: int = MAX_CONNECTIONS,
            still_wanted: Callable[[], bool] | None = None) -> Iterator[tuple[str, int]]:
    """(the server's address, its port) while it serves; stopped after, as a stop would."""
    sock = bind("127.0.0.1", 0)
    port = int(sock.getsockname()[1])
    app = create_app(SnapshotReader(store), poll_ms=poll_ms)
    stop = threading.Event()

    def wanted() -> bool:
        return not stop.is_set() and (still_wanted is None or still_wanted())

    thread = threading.Thread(
        target=run_until_stopped, args=(app, sock),
        kwargs={"access_log": False, "options": uvicorn_options(read_timeout_s, max_connections),
                "still_wanted": wanted, "check_every_s": 0.05},
        name="dashboard-under-test", daemon=True)
    thread.start()
    url = url_for("127.0.0.1", port)
    deadline = time.monotonic() + 15
    while not answers(url):
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield url, port
    finally:
        stop.set()
        thread.join(timeout=15)
        sock.close()
        assert not thread.is_alive(), "the server did not stop"

"""The dashboard server as a background process (the demo leaves it running, like the broker).

`kokemusvirta dashboard serve` writes `$KOKEMUSVIRTA_HOME/dashboard/server.json` (pid, address,
store) once it listens and removes it when it stops; `kokemusvirta dashboard stop` and the demo
use that file. A pid is only signalled when its command line is really a dashboard server (a
pid can be reused by another program after a reboot).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kokemusvirta.broker.local import port_free  # the broker's rule for a free port
from kokemusvirta.broker.process import runs_our_program

DEFAULT_PORT = 8765


class DashboardError(RuntimeError):
    pass


def state_file(home: Path) -> Path:
    return home / "dashboard" / "server.json"


def read_state(home: Path) -> dict[str, Any]:
    try:
        data = json.loads(state_file(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_state(home: Path, url: str, store: Path) -> None:
    path = state_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"pid": os.getpid(), "url": url, "store": str(store),
                               "started_at": datetime.now(UTC).isoformat()}, indent=1))
    tmp.replace(path)


def clear_state(home: Path) -> None:
    """Remove the state file if it is this process's (a newer server may have replaced it)."""
    if read_state(home).get("pid") == os.getpid():
        with contextlib.suppress(FileNotFoundError):
            state_file(home).unlink()


def _is_dashboard(pid: int) -> bool:
    return runs_our_program(pid, "dashboard", "serve")


def running(home: Path) -> dict[str, Any] | None:
    state = read_state(home)
    pid = state.get("pid")
    return state if isinstance(pid, int) and _is_dashboard(pid) else None


def stop(home: Path, timeout: float = 10) -> int | None:
    """Stop the home's dashboard server; its pid, or None when none was running."""
    state = running(home)
    if state is None:
        with contextlib.suppress(FileNotFoundError):
            state_file(home).unlink()
        return None
    pid = int(state["pid"])
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _is_dashboard(pid):
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, os.WNOHANG)  # reap it when it is our own child
            time.sleep(0.1)
        if not _is_dashboard(pid):
            break
    with contextlib.suppress(FileNotFoundError):
        state_file(home).unlink()
    return pid


def url_for(host: str, port: int) -> str:
    """The address to open for a server listening on host:port."""
    shown = host if host not in ("", "0.0.0.0", "::") else "127.0.0.1"
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def answers(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(url + "api/version", timeout=timeout) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def start_background(home: Path, store: Path, log_file: Path, host: str = "127.0.0.1",
                     port: int = DEFAULT_PORT, timeout: float = 30,
                     env: dict[str, str] | None = None) -> tuple[str, int]:
    """Start `kokemusvirta dashboard serve` in its own session (it outlives the caller) and
    wait until it answers; its address and pid. A server already running for this home is
    stopped first; when `port` is taken another free one is used."""
    stop(home)
    chosen = port if port_free(host, port) else 0
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "kokemusvirta", "dashboard", "serve", "--host", host,
             "--port", str(chosen), "--store", str(store)],
            env={**(env or os.environ), "KOKEMUSVIRTA_HOME": str(home)},
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-15:])
            raise DashboardError(f"the dashboard server stopped (exit {process.returncode}); "
                                 f"{log_file} ends:\n{tail}")
        state = read_state(home)
        if state.get("pid") == process.pid and answers(str(state["url"])):
            return str(state["url"]), process.pid
        time.sleep(0.2)
    process.terminate()
    raise DashboardError(f"the dashboard server did not answer within {timeout:.0f} s "
                         f"(log: {log_file})")

"""The dashboard server as a background process (the demo leaves it running, like the broker).

`kokemusvirta dashboard serve` writes `$KOKEMUSVIRTA_HOME/dashboard/server.json` (pid, address,
store) once it listens and removes it when it stops; `kokemusvirta dashboard stop` and the demo
use that file. The mechanics are the workplace's too (kokemusvirta/background.py); this module
names the dashboards' instance and keeps the functions its callers use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kokemusvirta.background import Background, BackgroundError
from kokemusvirta.broker.local import port_free  # the broker's rule for a free port

DEFAULT_PORT = 8765
DASHBOARD = Background(command="dashboard", folder="dashboard", probe="api/version")
DashboardError = BackgroundError


def state_file(home: Path) -> Path:
    return DASHBOARD.state_file(home)


def read_state(home: Path) -> dict[str, Any]:
    return DASHBOARD.read_state(home)


def write_state(home: Path, url: str, store: Path) -> None:
    DASHBOARD.write_state(home, url, store=str(store))


def clear_state(home: Path) -> None:
    """Remove the state file if it is this process's (a newer server may have replaced it)."""
    DASHBOARD.clear_state(home)


def running(home: Path) -> dict[str, Any] | None:
    return DASHBOARD.running(home)


def stop(home: Path, timeout: float = 10) -> int | None:
    """Stop the home's dashboard server; its pid, or None when none was running."""
    return DASHBOARD.stop(home, timeout)


def url_for(host: str, port: int) -> str:
    """The address to open for a server listening on host:port."""
    shown = host if host not in ("", "0.0.0.0", "::") else "127.0.0.1"
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def answers(url: str, timeout: float = 2) -> bool:
    return DASHBOARD.answers(url, timeout)


def start_background(home: Path, store: Path, log_file: Path, host: str = "127.0.0.1",
                     port: int = DEFAULT_PORT, timeout: float = 30,
                     env: dict[str, str] | None = None) -> tuple[str, int]:
    """Start `kokemusvirta dashboard serve` in its own session (it outlives the caller) and
    wait until it answers; its address and pid. A server already running for this home is
    stopped first; when `port` is taken another free one is used."""
    chosen = port if port_free(host, port) else 0
    process = DASHBOARD.launch(home, ["--host", host, "--port", str(chosen), "--store",
                                      str(store)], log_file, env)
    return DASHBOARD.wait(home, process, log_file, timeout), process.pid

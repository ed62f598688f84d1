"""A server of ours as a background process that outlives the command that started it (the demo
leaves the workplace running for the user, like the broker and the dashboards).

For any `kokemusvirta NAME serve` (the dashboards, dashboard_daemon.py; the workplace): the
server writes `$KOKEMUSVIRTA_HOME/<folder>/server.json` (pid, address, started) once it listens
and removes it when it stops; `kokemusvirta NAME stop` and the demo use that file. A pid is only
signalled when its command line really is that server (a pid can be reused by another program
after a reboot).
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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kokemusvirta.broker.process import runs_our_program


class BackgroundError(RuntimeError):
    """The server did not start; the message ends with its log's last lines."""


@dataclass(frozen=True)
class Background:
    command: str  # the CLI's command: `kokemusvirta <command> serve`
    folder: str  # the state file's folder under $KOKEMUSVIRTA_HOME
    probe: str  # a path (no leading /) that answers 200 once the server serves

    def state_file(self, home: Path) -> Path:
        return home / self.folder / "server.json"

    def read_state(self, home: Path) -> dict[str, Any]:
        try:
            data = json.loads(self.state_file(home).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_state(self, home: Path, url: str, **more: str) -> None:
        """Called by the server itself once it listens; `more` (e.g. the store it reads) is
        kept beside the pid and address."""
        path = self.state_file(home)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({"pid": os.getpid(), "url": url, **more,
                                   "started_at": datetime.now(UTC).isoformat()}, indent=1))
        tmp.replace(path)

    def clear_state(self, home: Path) -> None:
        """Remove the state file if it is this process's (a newer server may have replaced
        it)."""
        if self.read_state(home).get("pid") == os.getpid():
            with contextlib.suppress(FileNotFoundError):
                self.state_file(home).unlink()

    def _ours(self, pid: int) -> bool:
        return runs_our_program(pid, self.command, "serve")

    def running(self, home: Path) -> dict[str, Any] | None:
        state = self.read_state(home)
        pid = state.get("pid")
        return state if isinstance(pid, int) and self._ours(pid) else None

    def stop(self, home: Path, timeout: float = 10) -> int | None:
        """Stop the home's server; its pid, or None when none was running."""
        state = self.running(home)
        if state is None:
            with contextlib.suppress(FileNotFoundError):
                self.state_file(home).unlink()
            return None
        pid = int(state["pid"])
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and self._ours(pid):
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(pid, os.WNOHANG)  # reap it when it is our own child
                time.sleep(0.1)
            if not self._ours(pid):
                break
        with contextlib.suppress(FileNotFoundError):
            self.state_file(home).unlink()
        return pid

    def answers(self, url: str, timeout: float = 2) -> bool:
        try:
            with urllib.request.urlopen(url.rstrip("/") + "/" + self.probe,
                                        timeout=timeout) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    def launch(self, home: Path, args: list[str], log_file: Path,
               env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        """Start `kokemusvirta <command> serve ARGS` in its own session (it outlives the
        caller), after stopping one already running for this home; `wait` for it next (the
        caller may start something else meanwhile)."""
        self.stop(home)
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("ab") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "kokemusvirta", self.command, "serve", *args],
                env={**(env or os.environ), "KOKEMUSVIRTA_HOME": str(home)},
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)

    def wait(self, home: Path, process: subprocess.Popen[bytes], log_file: Path,
             timeout: float = 30) -> str:
        """The launched server's address once it answers; BackgroundError when it stopped or
        did not answer in time (then it is stopped)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-15:])
                raise BackgroundError(f"`{self.command} serve` stopped (exit "
                                      f"{process.returncode}); {log_file} ends:\n{tail}")
            state = self.read_state(home)
            if state.get("pid") == process.pid and self.answers(str(state["url"])):
                return str(state["url"])
            time.sleep(0.2)
        process.terminate()
        raise BackgroundError(f"`{self.command} serve` did not answer within {timeout:.0f} s "
                              f"(log: {log_file})")


WORKPLACE = Background(command="workplace", folder="workplace", probe="kirjaudu")

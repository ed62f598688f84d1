"""A real PostgreSQL server from Debian's packages, run on loopback from a cluster of our own.

For DuckLake's PostgreSQL catalog (docs/postgres.md): the tests start one per session, like the
broker; a person can run one with `kokemusvirta postgres start`. Layout under the home folder
(``$KOKEMUSVIRTA_HOME/postgres``)::

    data/          the cluster (initdb), owned by the account that runs the server (0700); its
                   unix socket is here too, so it never meets the machine's /var/run/postgresql
    postgres.log   the server's log
    password       the database superuser's generated password (0600)
    pgpass         the same as a libpq password file (0600): the catalog string names this file
                   instead of carrying the password
    state.json     port, version, account

The server listens on 127.0.0.1 only, on a free port (the previous one when still free), and
every connection authenticates with scram-sha-256, the unix socket's too. Nothing happens at
import time.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from kokemusvirta.broker.files import file_lock, now
from kokemusvirta.broker.ports import HOST, port_free, port_open
from kokemusvirta.broker.process import runs_our_program
from kokemusvirta.postgres.account import Account, find_server, server_account
from kokemusvirta.postgres.catalog import conninfo, ducklake_catalog, pgpass_line
from kokemusvirta.postgres.errors import PostgresError

#: The superuser role initdb creates, and the database the lake's catalog lives in.
ROLE = "kokemusvirta"
DATABASE = "kokemusvirta"


def _one_line(text: str) -> str:
    return " ".join(text.split())[-400:]


class LocalPostgres:
    """One PostgreSQL cluster whose files live under ``home``."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home).absolute()
        self.data_dir = self.home / "data"
        self.log_file = self.home / "postgres.log"
        self.password_file = self.home / "password"
        self.passfile = self.home / "pgpass"
        self.state_file = self.home / "state.json"

    def __repr__(self) -> str:
        return f"LocalPostgres({str(self.home)!r})"

    # --- the face -------------------------------------------------------------------------

    def start(self, timeout: float = 60) -> int:
        """Start the server (or find it running) and return its port. Idempotent."""
        bindir = find_server()  # before anything is created: missing binaries say so first
        self.home.mkdir(parents=True, exist_ok=True)
        with file_lock(self.home / ".lock"):
            running = self._running_port()
            if running is not None:
                return running
            account = server_account()
            self._prepare(bindir, account)
            state = self._read_state()
            previous = state.get("port")
            port = previous if isinstance(previous, int) and port_free(HOST, previous) \
                else _free_port()
            done = account.run(
                [str(bindir / "pg_ctl"), "start", "--silent", "--wait", f"--timeout={int(timeout)}",
                 "-D", str(self.data_dir), "-l", str(self.log_file), "-o", f"-p {port}"],
                cwd=self.data_dir, timeout=timeout + 10)
            if done.returncode != 0:
                raise PostgresError(
                    f"PostgreSQL ei käynnistynyt (did not start) on {HOST}:{port}: "
                    f"{_one_line(done.stderr or done.stdout)}; log {self.log_file}")
            self._write_state({**state, "port": port, "bin_dir": str(bindir),
                               "account": account.name, "started_at": now()})
            self._ensure_database(bindir, port, time.monotonic() + timeout)
            return port

    def stop(self, timeout: float = 30, *, mode: str = "fast") -> bool:
        """Stop the server (fast shutdown: sessions are ended, a checkpoint is written; immediate:
        no checkpoint, for a cluster about to be deleted). False if it was not running."""
        if not self.home.exists():
            return False
        with file_lock(self.home / ".lock"):
            if self._running_port() is None:
                return False
            bindir = Path(self._read_state().get("bin_dir") or find_server())
            done = server_account().run(
                [str(bindir / "pg_ctl"), "stop", "--silent", "--wait", f"--timeout={int(timeout)}",
                 "-m", mode, "-D", str(self.data_dir)], cwd=self.data_dir, timeout=timeout + 10)
            if done.returncode != 0:
                raise PostgresError(f"PostgreSQL ei pysähtynyt (did not stop): "
                                    f"{_one_line(done.stderr or done.stdout)}")
            return True

    def remove(self) -> None:
        """Stop it and delete the cluster and its files (a test session's end)."""
        self.stop(mode="immediate")
        shutil.rmtree(self.home, ignore_errors=True)

    def status(self) -> dict[str, Any]:
        port = self._running_port()
        state = self._read_state()
        return {
            "running": port is not None,
            "reachable": bool(port is not None and port_open(HOST, port)),
            "pid": self._postmaster()[0] if port is not None else None,
            "host": HOST,
            "port": port,
            "database": DATABASE,
            "user": ROLE,
            "account": state.get("account"),
            "version": state.get("version"),
            "started_at": state.get("started_at") if port is not None else None,
            "home": str(self.home),
            "data_dir": str(self.data_dir),
            "log_file": str(self.log_file),
            "passfile": str(self.passfile),
        }

    def catalog(self) -> str:
        """The DuckLake catalog string of the running server (no password in it)."""
        port = self._running_port()
        if port is None:
            raise PostgresError(f"PostgreSQL ei ole käynnissä (is not running; home {self.home});"
                                " start it with `kokemusvirta postgres start`")
        return ducklake_catalog(host=HOST, port=port, dbname=DATABASE, user=ROLE,
                                passfile=self.passfile)

    def password(self) -> str:
        return self.password_file.read_text(encoding="utf-8").strip()

    # --- the parts ------------------------------------------------------------------------

    def _prepare(self, bindir: Path, account: Account) -> None:
        """initdb once: the cluster, its password files and its settings."""
        if (self.data_dir / "PG_VERSION").exists():
            return
        if not account.can_search(self.home):
            raise PostgresError(
                f"tili {account.name} ei pääse hakemistoon (the account {account.name}, which "
                f"runs PostgreSQL, cannot reach {self.home}): make its parents searchable "
                "(chmod o+x) or set KOKEMUSVIRTA_HOME elsewhere")
        os.chmod(self.home, 0o711)  # the account passes through; it lists nothing here
        password = secrets.token_urlsafe(24)
        _write_private(self.password_file, password + "\n")
        _write_private(self.passfile, pgpass_line("*", "*", ROLE, password))
        shutil.rmtree(self.data_dir, ignore_errors=True)  # a half-made cluster of a failed try
        self.data_dir.mkdir(mode=0o700)
        account.own(self.data_dir)
        pwfile = self.home / ".initdb-password"  # the account's, read by initdb, then gone
        _write_private(pwfile, password + "\n")
        account.own(pwfile)
        try:
            done = account.run(
                [str(bindir / "initdb"), "-D", str(self.data_dir), "-U", ROLE,
                 f"--pwfile={pwfile}", "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale",
                 "--no-instructions"], cwd=self.data_dir, timeout=120)
        finally:
            pwfile.unlink(missing_ok=True)
        if done.returncode != 0:
            raise PostgresError(f"initdb epäonnistui (failed): {_one_line(done.stderr)}")
        socket_dir = str(self.data_dir).replace("'", "''")
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"\n# kokemusvirta: loopback only, the socket in the cluster\n"
                       f"listen_addresses = '{HOST}'\n"
                       f"unix_socket_directories = '{socket_dir}'\n"
                       "password_encryption = scram-sha-256\n")
        if not self.log_file.exists():
            self.log_file.touch(mode=0o600)
        account.own(self.log_file)
        version = (self.data_dir / "PG_VERSION").read_text().strip()
        self._write_state({"version": version, "created_at": now()})

    def _ensure_database(self, bindir: Path, port: int, deadline: float) -> None:
        """The ready check: an authenticated query over TCP; then the database, once."""
        env = {**os.environ, "PGPASSFILE": str(self.passfile), "PGCONNECT_TIMEOUT": "5"}
        env = {k: v for k, v in env.items() if not k.startswith("PG") or k in
               ("PGPASSFILE", "PGCONNECT_TIMEOUT")}
        target = conninfo(host=HOST, port=port, user=ROLE, dbname="postgres")
        query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"
        while True:
            done = subprocess.run(
                [str(bindir / "psql"), "-XtA", "-v", "ON_ERROR_STOP=1", "-d", target, "-c", query],
                env=env, capture_output=True, text=True, timeout=30, check=False)
            if done.returncode == 0:
                break
            if time.monotonic() > deadline:
                raise PostgresError(f"PostgreSQL ei vastaa (does not answer) on {HOST}:{port}: "
                                    f"{_one_line(done.stderr)}; log {self.log_file}")
            time.sleep(0.2)
        if done.stdout.strip() != "1":
            made = subprocess.run(
                [str(bindir / "psql"), "-XtA", "-v", "ON_ERROR_STOP=1", "-d", target, "-c",
                 f'CREATE DATABASE "{DATABASE}"'],
                env=env, capture_output=True, text=True, timeout=60, check=False)
            if made.returncode != 0:
                raise PostgresError(f"tietokantaa ei voitu luoda (could not create the database "
                                    f"{DATABASE}): {_one_line(made.stderr)}")

    def _postmaster(self) -> tuple[int | None, int | None]:
        """(pid, port) from postmaster.pid, which the server writes while it runs."""
        try:
            lines = (self.data_dir / "postmaster.pid").read_text().splitlines()
            return int(lines[0]), int(lines[3])
        except (OSError, IndexError, ValueError):
            return None, None

    def _running_port(self) -> int | None:
        """The port of this cluster's live postmaster, or None. The pid must run `postgres -D
        <our data dir>` (a stale postmaster.pid's pid may be another program's by now)."""
        pid, port = self._postmaster()
        if pid is None or port is None:
            return None
        return port if runs_our_program(pid, "postgres", str(self.data_dir)) else None

    def _read_state(self) -> dict[str, Any]:
        try:
            state = json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _write_state(self, state: dict[str, Any]) -> None:
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
        tmp.replace(self.state_file)


def _write_private(path: Path, text: str) -> None:
    """A file only its owner reads (libpq ignores a password file others can read)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])

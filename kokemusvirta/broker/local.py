"""Run a real single-node Apache Kafka broker (KRaft, combined broker+controller) as a JVM process.

No Docker: the broker's jars come from Maven Central (``pom.xml`` next to this file, fetched once
with ``mvn dependency:copy-dependencies``) and the broker runs as ``java ... kafka.Kafka``.

Layout under the home folder (e.g. ``<project>/.kokemusvirta/broker``)::

    lib/                jars (plus a marker naming the hash of the pom they were fetched for)
    data/               KRaft log dirs (data/kraft-combined-logs)
    logs/               broker.out (JVM stdout/stderr), server.log, controller.log (log4j2)
    server.properties   written on every start (0600: it holds the passwords)
    broker.json         state: pid, bootstrap, port, controller_port, started_at, cluster_id, ...

and, beside the home (``access_dir``, default ``<home>/../access``, i.e. $KOKEMUSVIRTA_HOME/access,
0700): ``admin.properties``, the admin's client configuration in kcat's format (0600), written
when the storage is formatted with the admin's SCRAM user, and the system principals' files that
kokemusvirta/access/local.py provisions. Every client authenticates (SASL/SCRAM-SHA-512) and the
StandardAuthorizer denies what no ACL allows (storage.py).

Nothing happens at import time: no global state, no connections, no subprocesses.

Usage::

    broker = LocalBroker(Path(".kokemusvirta/broker"))
    bootstrap = broker.start()   # "127.0.0.1:PORT"; idempotent
    broker.status()
    broker.stop()

The command line is `kokemusvirta broker start|stop|status` (kokemusvirta/cli.py).

This module is the broker's face and its state file; the parts live beside it: ``jars`` (Java,
Maven, fetching, the JVM command), ``storage`` (server.properties, KRaft format), ``process``
(liveness, readiness, stopping), ``ports``, ``files`` and ``errors``. The public names are
importable from here as before.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kokemusvirta.access import clientfile
from kokemusvirta.broker import jars, process, storage, tls
from kokemusvirta.broker.errors import (
    BrokerError,
    BrokerStartError,
    PrerequisiteMissing,
    ProgressCallback,
    noop_progress,
)
from kokemusvirta.broker.files import TAIL_LINES, file_lock, now, tail
from kokemusvirta.broker.jars import KAFKA_VERSION, MIN_JAVA_MAJOR
from kokemusvirta.broker.ports import HOST, choose_ports, port_free, port_open

__all__ = [
    "KAFKA_VERSION",
    "MIN_JAVA_MAJOR",
    "BrokerError",
    "BrokerStartError",
    "LocalBroker",
    "PrerequisiteMissing",
    "port_free",
]

log = logging.getLogger(__name__)


class LocalBroker:
    """A single-node Kafka broker whose files live under ``home``.

    ``lib_dir`` overrides where jars are kept (default ``home/lib``), so several homes (e.g. one
    per test session) can share one fetched set of jars.
    """

    def __init__(
        self,
        home: Path,
        *,
        lib_dir: Path | None = None,
        java: str = "java",
        mvn: str = "mvn",
        heap_min: str = "256m",
        heap_max: str = "768m",
        num_partitions: int = 4,
        extra_properties: Mapping[str, str] | None = None,
        access_dir: Path | None = None,
        listen: str = HOST,
        security: bool = True,
    ) -> None:
        # security=False: the measurement baseline of `kokemusvirta bench --compare-security`
        # only (no authentication, no authorizer, loopback); no setting leads here.
        if not security and not tls.is_loopback(listen):
            raise ValueError("a broker without security listens on loopback only")
        self.security = security
        self.home: Path = Path(home).resolve()
        self.access_dir: Path = (Path(access_dir).resolve() if access_dir is not None
                                 else self.home.parent / "access")
        self.admin_file: Path = self.access_dir / "admin.properties"
        # Beyond loopback the client listener is SASL_SSL with a CA of the broker's own.
        self.listen = listen
        self.tls_dir: Path = self.home / "tls"
        self.lib_dir: Path = Path(lib_dir).resolve() if lib_dir is not None else self.home / "lib"
        self.data_dir: Path = self.home / "data"
        self.log_dir: Path = self.data_dir / "kraft-combined-logs"
        self.logs_dir: Path = self.home / "logs"
        self.properties_file: Path = self.home / "server.properties"
        self.state_file: Path = self.home / "broker.json"
        self.out_file: Path = self.logs_dir / "broker.out"
        self.server_log: Path = self.logs_dir / "server.log"
        self.java = java
        self.mvn = mvn
        self.heap_min = heap_min
        self.heap_max = heap_max
        self.num_partitions = num_partitions
        self.extra_properties: dict[str, str] = dict(extra_properties or {})
        self._proc: subprocess.Popen[bytes] | None = None

    def __repr__(self) -> str:
        return f"LocalBroker(home={str(self.home)!r}, lib_dir={str(self.lib_dir)!r})"

    # ------------------------------------------------------------------ prerequisites and jars

    def check_prerequisites(self, *, need_mvn: bool = True) -> None:
        """Raise :class:`PrerequisiteMissing` unless ``java`` >= 17 (and ``mvn``) are usable."""
        jars.check_prerequisites(self.java, self.mvn, self.lib_dir, need_mvn=need_mvn)

    def jars_ready(self) -> bool:
        """True if ``lib_dir`` holds jars fetched for the current pom.xml."""
        return jars.jars_ready(self.lib_dir)

    def ensure_jars(self, on_progress: ProgressCallback | None = None) -> Path:
        """Fetch the broker's runtime jars into ``lib_dir`` once; again only if pom.xml changed.

        Returns ``lib_dir``. Raises :class:`PrerequisiteMissing` if java/mvn are missing and
        :class:`BrokerError` if Maven fails.
        """
        return jars.ensure_jars(self.java, self.mvn, self.lib_dir, on_progress)

    # ------------------------------------------------------------------------------ lifecycle

    def start(self, timeout: float = 60, on_progress: ProgressCallback | None = None) -> str:
        """Start the broker (or reuse a live one) and return bootstrap servers "127.0.0.1:PORT".

        Waits until the port is open and a metadata request succeeds. Raises
        :class:`BrokerStartError` (with the tail of broker.out and server.log) if the process
        dies or ``timeout`` seconds pass; a half-started process is killed first.
        """
        progress = on_progress or noop_progress
        self.home.mkdir(parents=True, exist_ok=True)
        with file_lock(self.home / ".lock"):
            state = self._read_state()
            pid = state.get("pid")
            bootstrap = state.get("bootstrap")
            if isinstance(pid, int) and isinstance(bootstrap, str) and self._is_our_broker(pid):
                progress(f"Kafka broker already running (pid {pid}) at {bootstrap}")
                self._wait_ready(bootstrap, pid, time.monotonic() + timeout)
                return bootstrap

            self.ensure_jars(on_progress=progress)
            port, controller_port = choose_ports(state)
            cluster_id = self._prepare_storage(state, port, controller_port, progress)

            bootstrap = f"{self.listen}:{port}"
            self.logs_dir.mkdir(parents=True, exist_ok=True)
            cmd = [
                *self._java_cmd(heap=True),
                process.MAIN_CLASS,
                str(self.properties_file),
            ]
            progress(f"Starting Kafka {KAFKA_VERSION} broker at {bootstrap}")
            log.info("starting broker: %s", " ".join(cmd))
            started = time.monotonic()
            with open(self.out_file, "ab") as out:
                out.write(f"\n=== {now()} starting {' '.join(cmd)}\n".encode())
                out.flush()
                self._proc = subprocess.Popen(
                    cmd,
                    cwd=self.home,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            pid = self._proc.pid
            self._write_state(
                {
                    "pid": pid,
                    "bootstrap": bootstrap,
                    "port": port,
                    "controller_port": controller_port,
                    "cluster_id": cluster_id,
                    "kafka_version": KAFKA_VERSION,
                    "started_at": now(),
                    "ready": False,
                    "admin": storage.ADMIN_USER if self.security else None,
                    "listen": self.listen,
                }
            )
            try:
                self._wait_ready(bootstrap, pid, started + timeout)
            except BaseException:
                process.terminate(pid, timeout=10, child=self._proc)
                self._update_state(pid=None, ready=False)
                raise
            process.warm_up_group_coordinator(bootstrap, started + timeout,
                                              self._client_options())
            self._update_state(ready=True)
            progress(f"Kafka broker ready at {bootstrap} in {time.monotonic() - started:.1f} s")
            return bootstrap

    def stop(self, timeout: float = 30) -> bool:
        """Stop the broker: SIGTERM, wait up to ``timeout`` s, then SIGKILL.

        Returns True if a running broker was stopped, False if none was running.
        """
        if not self.home.exists():
            return False
        with file_lock(self.home / ".lock"):
            state = self._read_state()
            pid = state.get("pid")
            stopped = False
            if isinstance(pid, int) and self._is_our_broker(pid):
                log.info("stopping Kafka broker pid %s", pid)
                process.terminate(pid, timeout=timeout, child=self._proc)
                stopped = True
            if state:
                self._update_state(pid=None, ready=False, stopped_at=now())
            self._proc = None
            return stopped

    def status(self) -> dict[str, Any]:
        """Cheap status: process liveness and whether the client port accepts connections."""
        state = self._read_state()
        pid = state.get("pid")
        running = isinstance(pid, int) and self._is_our_broker(pid)
        port = state.get("port")
        return {
            "running": running,
            "reachable": bool(running and isinstance(port, int)
                              and port_open(state.get("listen", HOST), port)),
            "bootstrap": state.get("bootstrap") if running else None,
            "pid": pid if running else None,
            "port": port,
            "controller_port": state.get("controller_port"),
            "started_at": state.get("started_at") if running else None,
            "kafka_version": KAFKA_VERSION,
            "cluster_id": state.get("cluster_id"),
            "admin_file": str(self.admin_file),
            "home": str(self.home),
            "lib_dir": str(self.lib_dir),
            "data_dir": str(self.data_dir),
            "logs_dir": str(self.logs_dir),
        }

    def admin_config(self) -> clientfile.ClientConfig:
        """The admin's credentials (a super user); :class:`BrokerError` if never formatted."""
        try:
            return clientfile.read(self.admin_file)
        except clientfile.ClientConfigError as exc:
            raise BrokerError(f"{exc}; start the broker (`kokemusvirta broker start`) so it "
                              "is formatted with an admin") from None

    @property
    def bootstrap_servers(self) -> str | None:
        """Bootstrap address of the running broker, or None."""
        status = self.status()
        return status["bootstrap"] if status["running"] else None

    def log_tail(self, lines: int = TAIL_LINES) -> str:
        """The last ``lines`` lines of broker.out and server.log, for error messages."""
        parts = []
        for path in (self.out_file, self.server_log):
            parts.append(f"--- last {lines} lines of {path} ---\n{tail(path, lines)}")
        return "\n".join(parts)

    # ------------------------------------------------------------------------------ internals

    def _java_cmd(self, *, heap: bool) -> list[str]:
        return jars.java_cmd(
            self.java,
            self.lib_dir,
            self.logs_dir,
            heap=(self.heap_min, self.heap_max) if heap else None,
        )

    def _prepare_storage(
        self,
        state: Mapping[str, Any],
        port: int,
        controller_port: int,
        progress: ProgressCallback,
    ) -> str:
        """Write server.properties and make sure the log dir is formatted for these ports.

        KRaft records the cluster id (and, with a dynamic quorum, the controller endpoints) in
        storage at format time. To keep this simple and safe we only reuse an existing data dir
        when it was formatted by us for exactly the same ports and cluster id; whenever the ports
        change (because the old ones were taken), the data dir is wiped and formatted again, i.e.
        topics and offsets are lost. Ports are reused across restarts whenever they are free, so
        in practice data survives a stop/start.
        """
        admin_password = self._recorded_admin_password(state)
        keys = (storage.Secrets(admin_password or storage.new_password(), storage.new_password())
                if self.security else None)
        server_tls = None if tls.is_loopback(self.listen) else tls.server_tls(self.tls_dir,
                                                                            self.listen)
        storage.write_properties(
            self.properties_file,
            storage.server_properties(
                port=port,
                controller_port=controller_port,
                log_dir=self.log_dir,
                num_partitions=self.num_partitions,
                extra=self.extra_properties,
                keys=keys,
                listen=self.listen,
                tls=server_tls,
            ),
        )
        cluster_id = state.get("cluster_id")
        if (
            isinstance(cluster_id, str)
            and (admin_password is not None or not self.security)
            and storage.formatted_for(self.log_dir, cluster_id)
            and state.get("port") == port
            and state.get("controller_port") == controller_port
            and state.get("listen", HOST) == self.listen
        ):
            return cluster_id

        if self.data_dir.exists():
            progress(f"Ports changed, storage not formatted, or formatted before security "
                     f"(no admin recorded): wiping {self.data_dir}")
            shutil.rmtree(self.data_dir)
        # The principals provisioned on the old storage exist no more: neither do their files.
        if self.security and self.access_dir.is_dir():
            for old in self.access_dir.glob("*.properties"):
                old.unlink()
        self.data_dir.mkdir(parents=True)
        cluster_id = storage.random_kafka_uuid()
        progress(f"Formatting KRaft storage (cluster id {cluster_id})")
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        storage.format_storage(
            self._java_cmd(heap=False),
            cwd=self.home,
            properties_file=self.properties_file,
            cluster_id=cluster_id,
            admin_password=keys.admin_password if keys else None,
            log_tail=self.log_tail,
        )
        if keys is not None:
            clientfile.private_dir(self.access_dir)
            clientfile.write(self.admin_file, clientfile.ClientConfig(
                f"{self.listen}:{port}", "SASL_SSL" if server_tls else "SASL_PLAINTEXT",
                storage.MECHANISM, storage.ADMIN_USER, keys.admin_password,
                str(server_tls.ca_file) if server_tls else None))
        # Record the format right away so a failed start does not force a re-format.
        self._write_state(
            {
                "pid": None,
                "port": port,
                "controller_port": controller_port,
                "cluster_id": cluster_id,
                "kafka_version": KAFKA_VERSION,
                "formatted_at": now(),
                "admin": storage.ADMIN_USER if self.security else None,
                "listen": self.listen,
            }
        )
        return cluster_id

    def _recorded_admin_password(self, state: Mapping[str, Any]) -> str | None:
        """The admin's password if the storage was formatted with it (and its file kept)."""
        return storage.admin_password(state, self.admin_file)

    def _client_options(self) -> dict[str, Any]:
        """kafka-python options for the readiness probe and the warm-up: the admin's."""
        if not self.security:
            return {"security_protocol": "PLAINTEXT"}
        return self.admin_config().kafka_python_options()

    def _wait_ready(self, bootstrap: str, pid: int, deadline: float) -> None:
        process.wait_ready(bootstrap, pid, deadline, child=self._proc, log_tail=self.log_tail,
                           client=self._client_options())

    def _is_our_broker(self, pid: int) -> bool:
        return process.is_broker_of(pid, self.properties_file, self._proc)

    def _read_state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable %s: %s", self.state_file, exc)
            return {}
        return data if isinstance(data, dict) else {}

    def _write_state(self, state: Mapping[str, Any]) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        tmp = self.state_file.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(dict(state), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(self.state_file)

    def _update_state(self, **changes: Any) -> None:
        state = self._read_state()
        state.update(changes)
        self._write_state(state)

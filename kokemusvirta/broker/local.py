"""Run a real single-node Apache Kafka broker (KRaft, combined broker+controller) as a JVM process.

No Docker: the broker's jars come from Maven Central (``pom.xml`` next to this file, fetched once
with ``mvn dependency:copy-dependencies``) and the broker runs as ``java ... kafka.Kafka``.

Layout under the home folder (e.g. ``<project>/.kokemusvirta/broker``)::

    lib/                jars (plus a marker naming the hash of the pom they were fetched for)
    data/               KRaft log dirs (data/kraft-combined-logs)
    logs/               broker.out (JVM stdout/stderr), server.log, controller.log (log4j2)
    server.properties   written on every start
    broker.json         state: pid, bootstrap, port, controller_port, started_at, cluster_id, ...

Nothing happens at import time: no global state, no connections, no subprocesses.

Usage::

    broker = LocalBroker(Path(".kokemusvirta/broker"))
    bootstrap = broker.start()   # "127.0.0.1:PORT"; idempotent
    broker.status()
    broker.stop()

The command line is `kokemusvirta broker start|stop|status` (kokemusvirta/cli.py).
"""

from __future__ import annotations

import base64
import contextlib
import errno
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "KAFKA_VERSION",
    "MIN_JAVA_MAJOR",
    "BrokerError",
    "BrokerStartError",
    "LocalBroker",
    "PrerequisiteMissing",
]

log = logging.getLogger(__name__)

#: Exact Kafka release named in pom.xml (see the comment there for why it is pinned).
KAFKA_VERSION = "4.3.1"
#: Kafka 4.x brokers need Java 17 or newer.
MIN_JAVA_MAJOR = 17

_PACKAGE_DIR = Path(__file__).resolve().parent
_POM = _PACKAGE_DIR / "pom.xml"
_LOG4J2 = _PACKAGE_DIR / "log4j2.xml"
_MAIN_CLASS = "kafka.Kafka"
_STORAGE_TOOL = "kafka.tools.StorageTool"
_NODE_ID = 1
_HOST = "127.0.0.1"
_TAIL_LINES = 30
_INSTALL_HINT = (
    "On Debian/Ubuntu: apt-get install openjdk-17-jre-headless maven "
    "(any JDK/JRE >= 17 and Maven >= 3.6 on PATH will do)."
)

ProgressCallback = Callable[[str], None]


class BrokerError(RuntimeError):
    """Something went wrong managing the local broker."""


class PrerequisiteMissing(BrokerError):
    """``java`` (>= 17) or ``mvn`` is missing; the message says what and how to get it."""


class BrokerStartError(BrokerError):
    """The broker did not become ready; the message carries the tail of its logs."""


def _noop_progress(_message: str) -> None:
    return None


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
    ) -> None:
        self.home: Path = Path(home).resolve()
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
        problems: list[str] = []
        java_path = shutil.which(self.java)
        if java_path is None:
            problems.append(f"'{self.java}' (Java >= {MIN_JAVA_MAJOR}) is not on PATH")
        else:
            major, raw = _java_major_version(java_path)
            if major is None:
                problems.append(f"could not determine the version of {java_path}: {raw!r}")
            elif major < MIN_JAVA_MAJOR:
                problems.append(
                    f"{java_path} is Java {major}; Kafka {KAFKA_VERSION} needs Java >= "
                    f"{MIN_JAVA_MAJOR}"
                )
        if need_mvn and shutil.which(self.mvn) is None:
            problems.append(
                f"'{self.mvn}' (Apache Maven) is not on PATH; it is needed once to fetch the "
                f"Kafka jars from Maven Central into {self.lib_dir}"
            )
        if problems:
            raise PrerequisiteMissing(
                "Cannot run the local Kafka broker: " + "; ".join(problems) + ". " + _INSTALL_HINT
            )

    def jars_ready(self) -> bool:
        """True if ``lib_dir`` holds jars fetched for the current pom.xml."""
        return self._jar_marker().is_file() and any(self.lib_dir.glob("kafka_2.13-*.jar"))

    def ensure_jars(self, on_progress: ProgressCallback | None = None) -> Path:
        """Fetch the broker's runtime jars into ``lib_dir`` once; again only if pom.xml changed.

        Returns ``lib_dir``. Raises :class:`PrerequisiteMissing` if java/mvn are missing and
        :class:`BrokerError` if Maven fails.
        """
        progress = on_progress or _noop_progress
        if self.jars_ready():
            self.check_prerequisites(need_mvn=False)
            progress(f"Kafka {KAFKA_VERSION} jars already in {self.lib_dir}")
            return self.lib_dir
        self.check_prerequisites(need_mvn=True)
        self.lib_dir.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock(self.lib_dir.parent / f".{self.lib_dir.name}.lock"):
            if self.jars_ready():  # another process fetched them while we waited
                return self.lib_dir
            progress(f"Fetching Kafka {KAFKA_VERSION} jars from Maven Central into {self.lib_dir}")
            started = time.monotonic()
            with tempfile.TemporaryDirectory(
                prefix=f".{self.lib_dir.name}-fetch-", dir=self.lib_dir.parent
            ) as tmp:
                tmp_path = Path(tmp)
                # Run Maven on a copy so nothing (target/ etc.) is written into the package.
                pom_copy = tmp_path / "pom.xml"
                shutil.copyfile(_POM, pom_copy)
                out_dir = tmp_path / "lib"
                cmd = [
                    self.mvn, "-q", "-B", "-f", str(pom_copy),
                    "dependency:copy-dependencies",
                    "-DincludeScope=runtime",
                    f"-DoutputDirectory={out_dir}",
                ]  # fmt: skip
                log.info("running %s", " ".join(cmd))
                result = subprocess.run(
                    cmd, cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True
                )
                jars = sorted(out_dir.glob("*.jar")) if out_dir.is_dir() else []
                if result.returncode != 0 or not any(
                    j.name.startswith("kafka_2.13-") for j in jars
                ):
                    output = (result.stdout + result.stderr).strip().splitlines()
                    raise BrokerError(
                        f"Maven could not fetch the Kafka jars (exit {result.returncode}). "
                        "Is Maven Central reachable (proxy settings in ~/.m2/settings.xml)?\n"
                        + "\n".join(output[-_TAIL_LINES:])
                    )
                (out_dir / self._jar_marker().name).write_text(
                    f"{_pom_hash()}\nkafka {KAFKA_VERSION}\n", encoding="utf-8"
                )
                # Swap the new folder in; the old one (if any) goes away with the temp dir.
                if self.lib_dir.exists():
                    self.lib_dir.rename(tmp_path / "old-lib")
                out_dir.rename(self.lib_dir)
            elapsed = time.monotonic() - started
            progress(f"Fetched {len(jars)} jars in {elapsed:.1f} s into {self.lib_dir}")
        return self.lib_dir

    def _jar_marker(self) -> Path:
        return self.lib_dir / f".fetched-{_pom_hash()[:16]}"

    # ------------------------------------------------------------------------------ lifecycle

    def start(self, timeout: float = 60, on_progress: ProgressCallback | None = None) -> str:
        """Start the broker (or reuse a live one) and return bootstrap servers "127.0.0.1:PORT".

        Waits until the port is open and a metadata request succeeds. Raises
        :class:`BrokerStartError` (with the tail of broker.out and server.log) if the process
        dies or ``timeout`` seconds pass; a half-started process is killed first.
        """
        progress = on_progress or _noop_progress
        self.home.mkdir(parents=True, exist_ok=True)
        with _file_lock(self.home / ".lock"):
            state = self._read_state()
            pid = state.get("pid")
            bootstrap = state.get("bootstrap")
            if isinstance(pid, int) and isinstance(bootstrap, str) and self._is_our_broker(pid):
                progress(f"Kafka broker already running (pid {pid}) at {bootstrap}")
                self._wait_ready(bootstrap, pid, time.monotonic() + timeout)
                return bootstrap

            self.ensure_jars(on_progress=progress)
            port, controller_port = self._choose_ports(state)
            cluster_id = self._prepare_storage(state, port, controller_port, progress)

            bootstrap = f"{_HOST}:{port}"
            self.logs_dir.mkdir(parents=True, exist_ok=True)
            cmd = [
                *self._java_cmd(heap=True),
                _MAIN_CLASS,
                str(self.properties_file),
            ]
            progress(f"Starting Kafka {KAFKA_VERSION} broker at {bootstrap}")
            log.info("starting broker: %s", " ".join(cmd))
            started = time.monotonic()
            with open(self.out_file, "ab") as out:
                out.write(f"\n=== {_now()} starting {' '.join(cmd)}\n".encode())
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
                    "started_at": _now(),
                    "ready": False,
                }
            )
            try:
                self._wait_ready(bootstrap, pid, started + timeout)
            except BaseException:
                self._terminate(pid, timeout=10)
                self._update_state(pid=None, ready=False)
                raise
            _warm_up_group_coordinator(bootstrap, started + timeout)
            self._update_state(ready=True)
            progress(f"Kafka broker ready at {bootstrap} in {time.monotonic() - started:.1f} s")
            return bootstrap

    def stop(self, timeout: float = 30) -> bool:
        """Stop the broker: SIGTERM, wait up to ``timeout`` s, then SIGKILL.

        Returns True if a running broker was stopped, False if none was running.
        """
        if not self.home.exists():
            return False
        with _file_lock(self.home / ".lock"):
            state = self._read_state()
            pid = state.get("pid")
            stopped = False
            if isinstance(pid, int) and self._is_our_broker(pid):
                log.info("stopping Kafka broker pid %s", pid)
                self._terminate(pid, timeout=timeout)
                stopped = True
            if state:
                self._update_state(pid=None, ready=False, stopped_at=_now())
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
            "reachable": bool(running and isinstance(port, int) and _port_open(_HOST, port)),
            "bootstrap": state.get("bootstrap") if running else None,
            "pid": pid if running else None,
            "port": port,
            "controller_port": state.get("controller_port"),
            "started_at": state.get("started_at") if running else None,
            "kafka_version": KAFKA_VERSION,
            "cluster_id": state.get("cluster_id"),
            "home": str(self.home),
            "lib_dir": str(self.lib_dir),
            "data_dir": str(self.data_dir),
            "logs_dir": str(self.logs_dir),
        }

    @property
    def bootstrap_servers(self) -> str | None:
        """Bootstrap address of the running broker, or None."""
        status = self.status()
        return status["bootstrap"] if status["running"] else None

    def log_tail(self, lines: int = _TAIL_LINES) -> str:
        """The last ``lines`` lines of broker.out and server.log, for error messages."""
        parts = []
        for path in (self.out_file, self.server_log):
            parts.append(f"--- last {lines} lines of {path} ---\n{_tail(path, lines)}")
        return "\n".join(parts)

    # ------------------------------------------------------------------------------ internals

    def _java_cmd(self, *, heap: bool) -> list[str]:
        cmd = [self.java]
        if heap:
            cmd += [
                f"-Xms{self.heap_min}",
                f"-Xmx{self.heap_max}",
                "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20",
                "-XX:InitiatingHeapOccupancyPercent=35",
                "-XX:+ExplicitGCInvokesConcurrent",
            ]
        else:  # short-lived tools
            cmd += ["-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
        cmd += [
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={_LOG4J2}",
            f"-Dkafka.logs.dir={self.logs_dir}",
            "-cp",
            f"{self.lib_dir}/*",  # expanded by java itself, no shell involved
        ]
        return cmd

    def _choose_ports(self, state: Mapping[str, Any]) -> tuple[int, int]:
        """Reuse the previous ports when both are still free (keeps data); else pick new ones."""
        port, controller_port = state.get("port"), state.get("controller_port")
        if (
            isinstance(port, int)
            and isinstance(controller_port, int)
            and port != controller_port
            and port_free(_HOST, port)
            and port_free(_HOST, controller_port)
        ):
            return port, controller_port
        return _free_port_pair(_HOST)

    def _server_properties(self, port: int, controller_port: int) -> dict[str, str]:
        props: dict[str, str] = {
            "process.roles": "broker,controller",
            "node.id": str(_NODE_ID),
            # Static quorum: the controller address lives in the config; storage is formatted
            # with a plain `format` (no --standalone).
            "controller.quorum.voters": f"{_NODE_ID}@{_HOST}:{controller_port}",
            "listeners": f"PLAINTEXT://{_HOST}:{port},CONTROLLER://{_HOST}:{controller_port}",
            "advertised.listeners": f"PLAINTEXT://{_HOST}:{port}",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "log.dirs": str(self.log_dir),
            "num.partitions": str(self.num_partitions),
            "default.replication.factor": "1",
            "min.insync.replicas": "1",
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "4",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "4",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            "auto.create.topics.enable": "false",
            "num.network.threads": "2",
            "num.io.threads": "2",
            "num.recovery.threads.per.data.dir": "1",
            "background.threads": "2",
            "log.retention.ms": "-1",  # the log is the source of truth: keep it all
            "log.segment.bytes": str(64 * 1024 * 1024),
        }
        props.update(self.extra_properties)
        return props

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
        self.properties_file.write_text(
            f"# Written by kokemusvirta.broker.local at {_now()}; edits are overwritten.\n"
            + "".join(
                f"{key}={value}\n"
                for key, value in self._server_properties(port, controller_port).items()
            ),
            encoding="utf-8",
        )
        cluster_id = state.get("cluster_id")
        meta = _read_meta_properties(self.log_dir / "meta.properties")
        if (
            isinstance(cluster_id, str)
            and meta.get("cluster.id") == cluster_id
            and meta.get("node.id") == str(_NODE_ID)
            and state.get("port") == port
            and state.get("controller_port") == controller_port
        ):
            return cluster_id

        if self.data_dir.exists():
            progress(f"Ports changed or storage not formatted: wiping {self.data_dir}")
            shutil.rmtree(self.data_dir)
        self.data_dir.mkdir(parents=True)
        cluster_id = _random_kafka_uuid()
        progress(f"Formatting KRaft storage (cluster id {cluster_id})")
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        cmd = [
            *self._java_cmd(heap=False),
            _STORAGE_TOOL,
            "format",
            "--cluster-id",
            cluster_id,
            "--config",
            str(self.properties_file),
        ]
        log.info("formatting storage: %s", " ".join(cmd))
        result = subprocess.run(
            cmd, cwd=self.home, stdin=subprocess.DEVNULL, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise BrokerStartError(
                f"kafka.tools.StorageTool format failed (exit {result.returncode}):\n"
                + (result.stdout + result.stderr).strip()
                + "\n"
                + self.log_tail()
            )
        # Record the format right away so a failed start does not force a re-format.
        self._write_state(
            {
                "pid": None,
                "port": port,
                "controller_port": controller_port,
                "cluster_id": cluster_id,
                "kafka_version": KAFKA_VERSION,
                "formatted_at": _now(),
            }
        )
        return cluster_id

    def _wait_ready(self, bootstrap: str, pid: int, deadline: float) -> None:
        """Poll until the port is open and a metadata request succeeds."""
        host, port_text = bootstrap.rsplit(":", 1)
        port = int(port_text)
        last_error = "port not open yet"
        delay = 0.2
        while True:
            if not self._pid_alive(pid):
                raise BrokerStartError(
                    f"Kafka broker (pid {pid}) exited before becoming ready"
                    f"{self._exit_code_text()}.\n{self.log_tail()}"
                )
            if _port_open(host, port):
                try:
                    probe_timeout = max(1.0, min(5.0, deadline - time.monotonic()))
                    _metadata_probe(bootstrap, timeout=probe_timeout)
                    return
                except Exception as exc:  # noqa: BLE001 - any client error means "not yet"
                    last_error = f"{type(exc).__name__}: {exc}"
            if time.monotonic() >= deadline:
                raise BrokerStartError(
                    f"Kafka broker (pid {pid}) at {bootstrap} not ready before the timeout "
                    f"(last error: {last_error}).\n{self.log_tail()}"
                )
            time.sleep(delay)
            delay = min(delay * 1.5, 1.0)

    def _exit_code_text(self) -> str:
        if self._proc is not None and self._proc.returncode is not None:
            return f" with exit code {self._proc.returncode}"
        return ""

    def _terminate(self, pid: int, timeout: float) -> None:
        """SIGTERM, wait up to ``timeout`` s, then SIGKILL and wait a little more."""
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                if not self._pid_alive(pid):
                    return
                time.sleep(0.1)
            if sig == signal.SIGTERM:
                log.warning("broker pid %s ignored SIGTERM for %.0f s; sending SIGKILL", pid, wait)
        if self._pid_alive(pid):
            raise BrokerError(f"Kafka broker pid {pid} survived SIGKILL")

    def _pid_alive(self, pid: int) -> bool:
        """True if ``pid`` runs (reaping it first if it is our exited child)."""
        if self._proc is not None and self._proc.pid == pid:
            return self._proc.poll() is None
        with contextlib.suppress(ChildProcessError, OSError):
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done == pid:
                return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        stat = Path(f"/proc/{pid}/stat")
        with contextlib.suppress(OSError, IndexError):
            if stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return False
        return True

    def _is_our_broker(self, pid: int) -> bool:
        """Alive, and (where /proc exists) really this home's kafka.Kafka, not a reused pid."""
        if not self._pid_alive(pid):
            return False
        cmdline_file = Path(f"/proc/{pid}/cmdline")
        if not cmdline_file.parent.exists():
            return True  # no /proc: trust the pid
        try:
            args = cmdline_file.read_bytes().split(b"\0")
        except OSError:
            return False
        return _MAIN_CLASS.encode() in args and str(self.properties_file).encode() in args

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


# ---------------------------------------------------------------------------------- helpers


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _pom_hash() -> str:
    return hashlib.sha256(_POM.read_bytes()).hexdigest()


def _java_major_version(java_path: str) -> tuple[int | None, str]:
    """Parse `java -version` ("17.0.15", "21", or old-style "1.8.0_392")."""
    try:
        result = subprocess.run(
            [java_path, "-version"], capture_output=True, text=True, timeout=30,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    raw = (result.stderr or result.stdout).strip()
    match = re.search(r'version "(\d+)(?:\.(\d+))?', raw)
    if not match:
        return None, raw.splitlines()[0] if raw else raw
    major = int(match.group(1))
    if major == 1 and match.group(2):
        major = int(match.group(2))
    return major, raw


def _random_kafka_uuid() -> str:
    """Same format as `StorageTool random-uuid` (org.apache.kafka.common.Uuid.randomUuid()).

    URL-safe base64 of 16 random bytes without padding; like Kafka, avoid ids starting with '-'.
    Generated here to save one JVM start on small machines.
    """
    while True:
        value = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")
        if not value.startswith("-") and value.strip("A") != "":
            return value


def _read_meta_properties(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    meta: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            meta[key.strip()] = value.strip()
    return meta


def _port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def port_free(host: str, port: int) -> bool:
    """Whether a server could bind the port now. SO_REUSEADDR as the servers bind: a port whose
    last connections are still in TIME_WAIT is free; one with a listener is not."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def _free_port_pair(host: str) -> tuple[int, int]:
    """Two distinct free ports, both bound at once so the OS cannot hand out the same one."""
    with contextlib.ExitStack() as stack:
        ports: list[int] = []
        for _ in range(2):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((host, 0))
            ports.append(sock.getsockname()[1])
    return ports[0], ports[1]


def _metadata_probe(bootstrap: str, timeout: float) -> None:
    """One real metadata round trip with kafka-python; raises on failure."""
    from kafka import KafkaAdminClient  # imported lazily: nothing at module import time

    timeout_ms = int(timeout * 1000)
    admin = KafkaAdminClient(
        bootstrap_servers=bootstrap,
        client_id="kokemusvirta-broker-probe",
        request_timeout_ms=timeout_ms,
        bootstrap_timeout_ms=timeout_ms,
    )
    try:
        cluster = admin.describe_cluster()
        brokers = cluster.get("brokers") if isinstance(cluster, dict) else None
        if not brokers:
            raise BrokerError(f"describe_cluster returned no brokers: {cluster!r}")
        admin.list_topics()
    finally:
        admin.close()


def _warm_up_group_coordinator(bootstrap: str, deadline: float) -> None:
    """Best effort: have the broker create __consumer_offsets now, not on the first group join.

    On a fresh broker the first FindCoordinator answers COORDINATOR_NOT_AVAILABLE while the
    offsets topic is created; clients retry, but doing it here (about 0.3 s) keeps the first
    consumer group of a test or demo from paying for it.
    """
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="kokemusvirta-broker-probe")
    try:
        while time.monotonic() < deadline:
            try:
                admin.describe_groups(["kokemusvirta-broker-warm-up"])
                return
            except Exception as exc:  # noqa: BLE001 - retry until the coordinator exists
                log.debug("group coordinator not ready yet: %s", exc)
                time.sleep(0.2)
        log.warning("group coordinator still not available at %s; clients will retry", bootstrap)
    finally:
        admin.close()


def _tail(path: Path, lines: int) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 64 * 1024))
            data = fh.read().decode("utf-8", errors="replace")
    except OSError as exc:
        return f"(unreadable: {exc})"
    return "\n".join(data.splitlines()[-lines:]) or "(empty)"


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Exclusive advisory lock so concurrent start/stop calls on one home do not race."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

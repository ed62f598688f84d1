"""The broker's JVM process: is it alive and ours, is it ready for clients, stopping it."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeAlias

from kokemusvirta.broker.errors import BrokerError, BrokerStartError
from kokemusvirta.broker.ports import port_open

log = logging.getLogger(__name__)

MAIN_CLASS = "kafka.Kafka"

#: The child we started in this process, if any (so it can be reaped and its exit code read).
Child: TypeAlias = subprocess.Popen[bytes] | None


def wait_ready(
    bootstrap: str, pid: int, deadline: float, *, child: Child, log_tail: Callable[[], str],
    client: Mapping[str, Any] | None = None,
) -> None:
    """Poll until the port is open and a metadata request succeeds (as ``client``: the admin's
    kafka-python security options)."""
    host, port_text = bootstrap.rsplit(":", 1)
    port = int(port_text)
    last_error = "port not open yet"
    delay = 0.2
    while True:
        if not pid_alive(pid, child):
            raise BrokerStartError(
                f"Kafka broker (pid {pid}) exited before becoming ready"
                f"{_exit_code_text(child)}.\n{log_tail()}"
            )
        if port_open(host, port):
            try:
                probe_timeout = max(1.0, min(5.0, deadline - time.monotonic()))
                metadata_probe(bootstrap, timeout=probe_timeout, client=client)
                return
            except Exception as exc:  # noqa: BLE001 - any client error means "not yet"
                last_error = f"{type(exc).__name__}: {exc}"
        if time.monotonic() >= deadline:
            raise BrokerStartError(
                f"Kafka broker (pid {pid}) at {bootstrap} not ready before the timeout "
                f"(last error: {last_error}).\n{log_tail()}"
            )
        time.sleep(delay)
        delay = min(delay * 1.5, 1.0)


def _exit_code_text(child: Child) -> str:
    if child is not None and child.returncode is not None:
        return f" with exit code {child.returncode}"
    return ""


def terminate(pid: int, timeout: float, child: Child) -> None:
    """SIGTERM, wait up to ``timeout`` s, then SIGKILL and wait a little more."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not pid_alive(pid, child):
                return
            time.sleep(0.1)
        if sig == signal.SIGTERM:
            log.warning("broker pid %s ignored SIGTERM for %.0f s; sending SIGKILL", pid, wait)
    if pid_alive(pid, child):
        raise BrokerError(f"Kafka broker pid {pid} survived SIGKILL")


def pid_alive(pid: int, child: Child) -> bool:
    """True if ``pid`` runs (reaping it first if it is our exited child)."""
    return runs_our_program(pid, child=child)


def runs_our_program(pid: int, *args: str, child: Child = None) -> bool:
    """``pid`` runs (not a zombie; our exited child is reaped first) and, where Linux's /proc
    tells, its command line holds every one of ``args`` (as an argument, or as the last part of
    a program's path, e.g. .venv/bin/kokemusvirta): a pid the kernel gave again to another
    program after a reboot is not ours. The broker, the dashboard daemon and the operations
    state files all ask this before they signal or trust a pid."""
    if child is not None and child.pid == pid:
        if child.poll() is not None:
            return False
    else:
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
    proc = Path(f"/proc/{pid}")
    if not proc.exists():
        return not Path("/proc/self").exists()  # no /proc at all: trust the pid
    try:
        if (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False
        cmdline = (proc / "cmdline").read_bytes().split(b"\0")
    except (OSError, IndexError):
        return False
    return all(any(a == arg.encode() or a.endswith(b"/" + arg.encode()) for a in cmdline)
               for arg in args)


def is_broker_of(pid: int, properties_file: Path, child: Child) -> bool:
    """Alive, and (where /proc exists) really this home's kafka.Kafka, not a reused pid."""
    return runs_our_program(pid, MAIN_CLASS, str(properties_file), child=child)


def metadata_probe(
    bootstrap: str, timeout: float, client: Mapping[str, Any] | None = None
) -> None:
    """One real metadata round trip with kafka-python; raises on failure."""
    from kafka import KafkaAdminClient  # imported lazily: nothing at module import time

    timeout_ms = int(timeout * 1000)
    admin = KafkaAdminClient(
        bootstrap_servers=bootstrap,
        client_id="kokemusvirta-broker-probe",
        request_timeout_ms=timeout_ms,
        bootstrap_timeout_ms=timeout_ms,
        **dict(client or {}),
    )
    try:
        cluster = admin.describe_cluster()
        brokers = cluster.get("brokers") if isinstance(cluster, dict) else None
        if not brokers:
            raise BrokerError(f"describe_cluster returned no brokers: {cluster!r}")
        admin.list_topics()
    finally:
        admin.close()


def warm_up_group_coordinator(
    bootstrap: str, deadline: float, client: Mapping[str, Any] | None = None
) -> None:
    """Best effort: have the broker create __consumer_offsets now, not on the first group join.

    On a fresh broker the first FindCoordinator answers COORDINATOR_NOT_AVAILABLE while the
    offsets topic is created; clients retry, but doing it here (about 0.3 s) keeps the first
    consumer group of a test or demo from paying for it.
    """
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="kokemusvirta-broker-probe",
                             **dict(client or {}))
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

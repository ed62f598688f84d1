"""Running the worker and the sink as child processes, and knowing when they have caught up."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kokemusvirta.kafka import admin, end_offsets, group_offsets, offsets_reader
from kokemusvirta.settings import Settings
from sinks.store import status_path

log = logging.getLogger("kokemusvirta")


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def peak_memory_mb(self) -> float | None:
        """VmHWM: the resident set's high-water mark, while the process lives."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 30) -> int | None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("the %s did not stop within %.0f s of SIGTERM; killing it (log: %s)",
                            self.name, timeout, self.log)
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode

    def log_tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


#: Who a process connects as: a child is given exactly its parent's choice (_identity_env), never
#: what the parent's environment happens to hold (e.g. the bench's baseline broker takes none).
IDENTITY_VARIABLES = ("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME",
                      "KAFKA_SASL_PASSWORD", "KAFKA_SSL_CAFILE", "KOKEMUSVIRTA_CLIENT_CONFIG")


def child_env(settings: Settings, bootstrap: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in IDENTITY_VARIABLES}
    env.update({
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "KOKEMUSVIRTA_HOME": str(settings.home),
        "KOKEMUSVIRTA_STORE": str(settings.store),
        "KOKEMUSVIRTA_TOPIC_PREFIX": settings.topic_prefix,
        "KOKEMUSVIRTA_WORKER_GROUP": settings.worker_group,
        "KOKEMUSVIRTA_SINK_GROUP": settings.sink_group,
        "KOKEMUSVIRTA_PARTITIONS": str(settings.partitions),
        "KOKEMUSVIRTA_SNAPSHOT_INTERVAL_S": str(settings.snapshot_interval_s),
        "KOKEMUSVIRTA_SINK_BATCH_MAX": str(settings.sink_batch_max),
        "KOKEMUSVIRTA_CHECKPOINT_EVERY_S": str(settings.checkpoint_every_s),
        "KOKEMUSVIRTA_SINK_MEMORY_LIMIT": settings.sink_memory_limit,
        "KOKEMUSVIRTA_SINK_THREADS": str(settings.sink_threads),
        "KOKEMUSVIRTA_DEADLINE_ACKNOWLEDGE_WORKING_DAYS":
            str(settings.deadline_acknowledge_working_days),
        "KOKEMUSVIRTA_DEADLINE_DECIDE_DAYS": str(settings.deadline_decide_days),
        "KOKEMUSVIRTA_DEADLINE_RETURN_DAYS_AFTER_DECISION":
            str(settings.deadline_return_days_after_decision),
        "KOKEMUSVIRTA_DEADLINE_REPLY_DAYS": str(settings.deadline_reply_days),
        "KOKEMUSVIRTA_KEY_STORE": str(settings.key_store),
        "KOKEMUSVIRTA_ORGANISATIONS": str(settings.organisations_file),
        "KOKEMUSVIRTA_LAKE": settings.lake,  # the history lake (sinks/lake.py)
        "KOKEMUSVIRTA_LAKE_EVERY_S": str(settings.lake_every_s),
    })
    if settings.lake_data_path is not None:
        env["KOKEMUSVIRTA_LAKE_DATA_PATH"] = str(settings.lake_data_path)
    if settings.pseudonym_key is not None:
        env["KOKEMUSVIRTA_PSEUDONYM_KEY"] = settings.pseudonym_key.get_secret_value()
    env.update(_identity_env(settings))
    env.update(extra)
    return env


def _identity_env(settings: Settings) -> dict[str, str]:
    """Who the child connects as: the parent's identity (KAFKA_SASL_* or its client file), or
    on the local broker the principal the parent stands for (start_child picks the child's)."""
    if settings.client_config is not None:
        return {"KOKEMUSVIRTA_CLIENT_CONFIG": str(settings.client_config)}
    if settings.kafka_bootstrap_servers is None and settings.kafka_sasl_mechanism is None:
        settings = settings.connection()  # local broker: the child is given its credentials
    env: dict[str, str] = {"KAFKA_SECURITY_PROTOCOL": settings.kafka_security_protocol}
    if settings.kafka_sasl_mechanism:
        env.update({
            "KAFKA_SASL_MECHANISM": settings.kafka_sasl_mechanism,
            "KAFKA_SASL_USERNAME": settings.kafka_sasl_username or "",
            "KAFKA_SASL_PASSWORD": settings.kafka_sasl_password.get_secret_value()
            if settings.kafka_sasl_password else "",
        })
    if settings.kafka_ssl_cafile:
        env["KAFKA_SSL_CAFILE"] = str(settings.kafka_ssl_cafile)
    return env


def child_settings(settings: Settings, name: str) -> Settings:
    """On the local broker the worker connects as the worker, the sink as the sink, the intake
    service as the intake gateway; elsewhere the child has the parent's identity."""
    from kokemusvirta.access.local import as_principal
    from schemas.access import SystemRole

    roles = {"worker": SystemRole.WORKER, "sink": SystemRole.SINK, "intake": SystemRole.GATEWAY}
    return as_principal(settings, roles[name]) if name in roles else settings


def start_child(
    name: str, settings: Settings, bootstrap: str, log_dir: Path, *args: str
) -> Child:
    """Start `kokemusvirta <name> [args]` (worker or sink) with this settings' values in its env."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    handle = log.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "kokemusvirta", name, *args],
        env=child_env(child_settings(settings, name), bootstrap),
        stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    handle.close()
    return Child(name, process, log)


@dataclass(frozen=True)
class Progress:
    worker_done: int
    worker_total: int
    sink_done: int
    sink_total: int

    @property
    def caught_up(self) -> bool:
        return self.worker_done >= self.worker_total and self.sink_done >= self.sink_total


def sink_status(settings: Settings) -> dict[str, object]:
    try:
        return json.loads(status_path(settings.store).read_text())
    except (OSError, ValueError):
        return {}


class FlowWatcher:
    """Compares where the topics end with how far the worker's group and the sink's published
    snapshot have got. Holds its Kafka clients, so it can be asked often."""

    def __init__(self, settings: Settings, bootstrap: str) -> None:
        self.settings = settings
        self.reader = offsets_reader(settings, bootstrap)
        self.admin = admin(settings, bootstrap)

    def close(self) -> None:
        self.reader.close()
        self.admin.close()

    def progress(self) -> Progress:
        t = self.settings.topics
        # The worker's inputs that produce something: intake records and lifecycle requests.
        inputs = t.worker_inputs_pattern
        intake_end = end_offsets(self.reader, inputs)
        worker = group_offsets(self.admin, self.settings.worker_group)
        worker_done = sum(min(worker.get(tp, 0), end) for tp, end in intake_end.items())
        all_end = end_offsets(self.reader, t.sink_pattern)
        stored = sink_status(self.settings).get("offsets", {})
        sink_done = 0
        for (topic, partition), end in all_end.items():
            last = stored.get(topic, {}).get(str(partition)) if isinstance(stored, dict) else None
            sink_done += min(last + 1, end) if isinstance(last, int) else 0
        return Progress(worker_done, sum(intake_end.values()), sink_done, sum(all_end.values()))


def progress(settings: Settings, bootstrap: str) -> Progress:
    watcher = FlowWatcher(settings, bootstrap)
    try:
        return watcher.progress()
    finally:
        watcher.close()


def wait_until_caught_up(
    settings: Settings,
    bootstrap: str,
    children: list[Child],
    timeout: float,
    on_progress: Callable[[Progress], None],
) -> Progress:
    """Until the worker has processed all intake and the sink's published snapshot holds every
    record of every topic; twice in a row, since the worker may still be creating topics."""
    deadline = time.monotonic() + timeout
    stable = 0
    watcher = FlowWatcher(settings, bootstrap)
    try:
        while True:
            for child in children:
                if not child.alive():
                    raise RuntimeError(
                        f"the {child.name} stopped (exit {child.process.returncode}); "
                        f"its log {child.log} ends:\n{child.log_tail()}"
                    )
            p = watcher.progress()
            on_progress(p)
            stable = stable + 1 if p.caught_up else 0
            if stable >= 2:
                return p
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"not caught up after {timeout:.0f} s: worker "
                    f"{p.worker_done}/{p.worker_total}, sink {p.sink_done}/{p.sink_total}. "
                    "Logs: " + ", ".join(str(c.log) for c in children)
                )
            time.sleep(0.5)
    finally:
        watcher.close()

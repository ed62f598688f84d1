"""The broker's configuration and KRaft storage: server.properties, formatting, the cluster id."""

from __future__ import annotations

import base64
import logging
import subprocess
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from kokemusvirta.broker.errors import BrokerStartError
from kokemusvirta.broker.files import now
from kokemusvirta.broker.ports import HOST

log = logging.getLogger(__name__)

#: The one node of this single-node cluster (broker and controller at once).
NODE_ID = 1
_STORAGE_TOOL = "kafka.tools.StorageTool"


def server_properties(
    *,
    port: int,
    controller_port: int,
    log_dir: Path,
    num_partitions: int,
    extra: Mapping[str, str],
) -> dict[str, str]:
    props: dict[str, str] = {
        "process.roles": "broker,controller",
        "node.id": str(NODE_ID),
        # Static quorum: the controller address lives in the config; storage is formatted
        # with a plain `format` (no --standalone).
        "controller.quorum.voters": f"{NODE_ID}@{HOST}:{controller_port}",
        "listeners": f"PLAINTEXT://{HOST}:{port},CONTROLLER://{HOST}:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://{HOST}:{port}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "log.dirs": str(log_dir),
        "num.partitions": str(num_partitions),
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
        "log.retention.check.interval.ms": "5000",  # intake's short retention acts promptly
        "log.segment.bytes": str(64 * 1024 * 1024),
    }
    props.update(extra)
    return props


def write_properties(path: Path, props: Mapping[str, str]) -> None:
    path.write_text(
        f"# Written by kokemusvirta.broker.local at {now()}; edits are overwritten.\n"
        + "".join(f"{key}={value}\n" for key, value in props.items()),
        encoding="utf-8",
    )


def formatted_for(log_dir: Path, cluster_id: object) -> bool:
    """Whether ``log_dir`` was formatted for this node with ``cluster_id``."""
    meta = read_meta_properties(log_dir / "meta.properties")
    return (
        isinstance(cluster_id, str)
        and meta.get("cluster.id") == cluster_id
        and meta.get("node.id") == str(NODE_ID)
    )


def format_storage(
    java_cmd: list[str],
    *,
    cwd: Path,
    properties_file: Path,
    cluster_id: str,
    log_tail: Callable[[], str],
) -> None:
    """Run ``StorageTool format``; raise :class:`BrokerStartError` (with the logs) if it fails."""
    cmd = [
        *java_cmd,
        _STORAGE_TOOL,
        "format",
        "--cluster-id",
        cluster_id,
        "--config",
        str(properties_file),
    ]
    log.info("formatting storage: %s", " ".join(cmd))
    result = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        raise BrokerStartError(
            f"kafka.tools.StorageTool format failed (exit {result.returncode}):\n"
            + (result.stdout + result.stderr).strip()
            + "\n"
            + log_tail()
        )


def random_kafka_uuid() -> str:
    """Same format as `StorageTool random-uuid` (org.apache.kafka.common.Uuid.randomUuid()).

    URL-safe base64 of 16 random bytes without padding; like Kafka, avoid ids starting with '-'.
    Generated here to save one JVM start on small machines.
    """
    while True:
        value = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")
        if not value.startswith("-") and value.strip("A") != "":
            return value


def read_meta_properties(path: Path) -> dict[str, str]:
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

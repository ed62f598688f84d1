"""The broker's configuration and KRaft storage: server.properties, formatting, the cluster id.

Security (issue 12): clients reach the broker only on SASL_PLAINTEXT with SCRAM-SHA-512 on
loopback, and Kafka's StandardAuthorizer denies whatever no ACL allows. The admin's SCRAM user is
created at format time (``--add-scram``), so no unauthenticated moment exists. The controller
listener, also on loopback, takes SASL PLAIN with a static user that only this file knows (KRaft
cannot use SCRAM there: the credentials live in the metadata the controller serves); an
anonymous client on the controller port fails authentication before any request. The file holds
both passwords, so it is written 0600.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
import subprocess
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kokemusvirta.broker.errors import BrokerStartError
from kokemusvirta.broker.files import now
from kokemusvirta.broker.ports import HOST
from kokemusvirta.broker.tls import ServerTls

log = logging.getLogger(__name__)

#: The one node of this single-node cluster (broker and controller at once).
NODE_ID = 1
_STORAGE_TOOL = "kafka.tools.StorageTool"
#: The client listener's one mechanism, and the admin's SCRAM user (a super user).
MECHANISM = "SCRAM-SHA-512"
ADMIN_USER = "kokemusvirta-admin"
#: The broker's own principal on the controller listener (broker -> controller in one JVM).
CONTROLLER_USER = "kokemusvirta_controller"
AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"


@dataclass(frozen=True)
class Secrets:
    """The admin's SCRAM password and the controller listener's PLAIN password."""

    admin_password: str
    controller_password: str

    @classmethod
    def generate(cls) -> Secrets:
        return cls(new_password(), new_password())


def new_password() -> str:
    """URL-safe: fits --add-scram's bracket syntax, JAAS quotes and kcat's key=value lines."""
    return secrets.token_urlsafe(32)


def security_properties(port: int, controller_port: int, keys: Secrets,
                        listen: str = HOST, tls: ServerTls | None = None) -> dict[str, str]:
    """SASL_PLAINTEXT on loopback; SASL_SSL (``tls``) on any other address ``listen``."""
    admin_jaas = ("org.apache.kafka.common.security.scram.ScramLoginModule required "
                  f'username="{ADMIN_USER}" password="{keys.admin_password}";')
    controller_jaas = ("org.apache.kafka.common.security.plain.PlainLoginModule required "
                       f'username="{CONTROLLER_USER}" password="{keys.controller_password}" '
                       f'user_{CONTROLLER_USER}="{keys.controller_password}";')
    client = "SASL_SSL" if tls is not None else "SASL_PLAINTEXT"
    props = {
        "listeners": f"CLIENT://{listen}:{port},CONTROLLER://{HOST}:{controller_port}",
        "advertised.listeners": f"CLIENT://{listen}:{port}",
        "listener.security.protocol.map": f"CLIENT:{client},CONTROLLER:SASL_PLAINTEXT",
        "inter.broker.listener.name": "CLIENT",
        "sasl.enabled.mechanisms": MECHANISM,
        "sasl.mechanism.inter.broker.protocol": MECHANISM,
        "listener.name.client.sasl.enabled.mechanisms": MECHANISM,
        "listener.name.client.scram-sha-512.sasl.jaas.config": admin_jaas,
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": controller_jaas,
        "authorizer.class.name": AUTHORIZER,
        "allow.everyone.if.no.acl.found": "false",
        "super.users": f"User:{ADMIN_USER};User:{CONTROLLER_USER}",
    }
    if tls is not None:
        props.update({
            "listener.name.client.ssl.keystore.type": "PKCS12",
            "listener.name.client.ssl.keystore.location": str(tls.keystore),
            "listener.name.client.ssl.keystore.password": tls.password,
            "listener.name.client.ssl.key.password": tls.password,
            "listener.name.client.ssl.truststore.type": "PEM",
            "listener.name.client.ssl.truststore.location": str(tls.ca_file),
        })
    return props


def baseline_properties(port: int, controller_port: int) -> dict[str, str]:
    """No authentication, no authorizer, loopback only: the baseline broker that
    `kokemusvirta bench --compare-security` measures against, for comparison only. Nothing else
    starts a broker with these (LocalBroker's ``security`` switch)."""
    return {
        "listeners": f"CLIENT://{HOST}:{port},CONTROLLER://{HOST}:{controller_port}",
        "advertised.listeners": f"CLIENT://{HOST}:{port}",
        "listener.security.protocol.map": "CLIENT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": "CLIENT",
    }


def server_properties(
    *,
    port: int,
    controller_port: int,
    log_dir: Path,
    num_partitions: int,
    extra: Mapping[str, str],
    keys: Secrets | None,
    listen: str = HOST,
    tls: ServerTls | None = None,
) -> dict[str, str]:
    """``keys`` None: the bench's measurement baseline without security (baseline_properties)."""
    security = (security_properties(port, controller_port, keys, listen, tls) if keys is not None
                else baseline_properties(port, controller_port))
    props: dict[str, str] = {
        "process.roles": "broker,controller",
        "node.id": str(NODE_ID),
        # Static quorum: the controller address lives in the config; storage is formatted
        # with a plain `format` (no --standalone).
        "controller.quorum.voters": f"{NODE_ID}@{HOST}:{controller_port}",
        **security,
        "controller.listener.names": "CONTROLLER",
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
        "log.segment.bytes": str(64 * 1024 * 1024),
        # A topic given a short retention (raw intake) is trimmed within seconds of its window,
        # not after the default 5 minutes.
        "log.retention.check.interval.ms": "5000",
    }
    props.update(extra)
    return props


def admin_password(state: Mapping[str, object], admin_file: Path) -> str | None:
    """The admin's password if the storage was formatted with the admin (and its file kept);
    None for storage formatted before security, which is then formatted again."""
    from kokemusvirta.access import clientfile

    if state.get("admin") != ADMIN_USER:
        return None
    try:
        config = clientfile.read(admin_file)
    except clientfile.ClientConfigError:
        return None
    return config.password if config.username == ADMIN_USER else None


def write_properties(path: Path, props: Mapping[str, str]) -> None:
    """0600 from its first byte: the file holds the admin's and the controller's passwords."""
    text = (f"# Written by kokemusvirta.broker.local at {now()}; edits are overwritten.\n"
            + "".join(f"{key}={value}\n" for key, value in props.items()))
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def read_properties(path: Path) -> dict[str, str]:
    return read_meta_properties(path)


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
    admin_password: str | None,
    log_tail: Callable[[], str],
) -> None:
    """Run ``StorageTool format``, creating the admin's SCRAM user in the same metadata (None:
    the bench's baseline broker, which has no users); raise :class:`BrokerStartError` (with the
    logs, the password masked) if it fails."""
    cmd = [*java_cmd, _STORAGE_TOOL, "format", "--cluster-id", cluster_id,
           "--config", str(properties_file)]
    if admin_password is not None:
        cmd += ["--add-scram", f"{MECHANISM}=[name={ADMIN_USER},password={admin_password}]"]
    mask = admin_password or "\0"
    log.info("formatting storage: %s", " ".join(cmd).replace(mask, "***"))
    result = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        raise BrokerStartError(
            f"kafka.tools.StorageTool format failed (exit {result.returncode}):\n"
            + (result.stdout + result.stderr).strip().replace(mask, "***")
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

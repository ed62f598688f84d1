"""docker-compose.yml's broker, run here without Docker: its own entrypoint script (the
server.properties it writes from the KAFKA_* environment, the storage it formats with the SCRAM
users) and its kafka-acls script, with the project's Kafka jars standing in for the image's
/opt/kafka/bin. Only the addresses change (loopback ports instead of the Compose network); the
security settings are the file's. tests/unit/kokemusvirta/test_docker_compose.py reads the file;
this runs it."""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import (
    ACL,
    ACLOperation,
    ACLPermissionType,
    ACLResourcePatternType,
    NewTopic,
    ResourcePattern,
    ResourceType,
)
from kafka.errors import KafkaError

from kokemusvirta.broker import jars
from kokemusvirta.broker.ports import HOST, free_port_pair, port_open
from kokemusvirta.settings import PROJECT_ROOT
from tests.conftest import shared_lib_dir

pytestmark = pytest.mark.broker

SERVICES = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())["services"]
PASSWORDS = {name: secrets.token_hex(16) for name in (
    "KV_ADMIN_PASSWORD", "KV_WORKER_PASSWORD", "KV_SINK_PASSWORD", "KV_GATEWAY_PASSWORD",
    "KV_NOTIFIER_PASSWORD")}
USERS = {"kokemusvirta-admin": "KV_ADMIN_PASSWORD", "kv.worker": "KV_WORKER_PASSWORD",
         "kv.sink": "KV_SINK_PASSWORD", "kv.gateway": "KV_GATEWAY_PASSWORD",
         "kv.notifier": "KV_NOTIFIER_PASSWORD"}


def interpolated(value: object) -> str:
    """Compose's ${NAME:?message}, from the passwords a .env would hold."""
    return re.sub(r"\$\{(\w+):\?[^}]*\}", lambda m: PASSWORDS[m.group(1)], str(value))


def script(service: str, home: Path, tools: dict[str, Path]) -> str:
    """The service's shell script as the container would run it, with our stand-ins."""
    text = SERVICES[service]["command"][0].replace("$$", "$")  # Compose's escape of $
    text = text.replace("/mnt/shared/config", str(home / "config"))
    for name, stand_in in tools.items():
        text = text.replace(f"/opt/kafka/bin/{name}", str(stand_in))
    return text


def stand_in(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o700)
    return path


@pytest.fixture(scope="module")
def compose_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("compose-broker")
    (home / "config").mkdir()
    lib, logs = shared_lib_dir(), home / "logs"
    logs.mkdir()
    tool = shlex.join(jars.java_cmd("java", lib, logs, heap=None))
    server = shlex.join(jars.java_cmd("java", lib, logs, heap=("256m", "512m")))
    tools = {
        "kafka-storage.sh": stand_in(home / "storage", f'exec {tool} kafka.tools.StorageTool "$@"'),
        "kafka-server-start.sh": stand_in(home / "server", f'exec {server} kafka.Kafka "$@"'),
    }
    port, controller = free_port_pair(HOST)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAFKA_")}
    env.update({k: interpolated(v) for k, v in SERVICES["kafka"]["environment"].items()})
    env.update({  # the addresses: loopback ports here, the Compose network there
        "KAFKA_LISTENERS": f"CLIENT://{HOST}:{port},CONTROLLER://{HOST}:{controller}",
        "KAFKA_ADVERTISED_LISTENERS": f"CLIENT://{HOST}:{port}",
        "KAFKA_CONTROLLER_QUORUM_VOTERS": f"1@{HOST}:{controller}",
        "KAFKA_LOG_DIRS": str(home / "data"),
    })
    out = (logs / "broker.out").open("wb")
    broker = subprocess.Popen(["sh", "-c", script("kafka", home, tools)], env=env,
                              stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    address = f"{HOST}:{port}"
    try:
        deadline = time.monotonic() + 120
        while not port_open(HOST, port):
            assert broker.poll() is None, (logs / "broker.out").read_text()[-3000:]
            assert time.monotonic() < deadline, "the compose broker did not start"
            time.sleep(0.5)
        admin = connect(address, "kokemusvirta-admin")
        try:
            admin.create_topics([NewTopic(t, 1, 1) for t in ("kv.intake", "kv.lifecycle",
                                                            "kv.nobodys",
                                                            "kv.requests.notifier")])
        finally:
            admin.close()
        grant_acls(home, address)
        yield address
    finally:
        broker.terminate()
        try:
            broker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            broker.kill()
        out.close()


def client_config(address: str, user: str, password: str | None = None) -> dict[str, Any]:
    return {"bootstrap_servers": [address], "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": "SCRAM-SHA-512", "sasl_plain_username": user,
            "sasl_plain_password": password or PASSWORDS[USERS[user]],
            "request_timeout_ms": 10_000}


def connect(address: str, user: str, password: str | None = None) -> KafkaAdminClient:
    deadline = time.monotonic() + 60
    while True:  # the broker may still be registering with its controller
        try:
            return KafkaAdminClient(**client_config(address, user, password))
        except KafkaError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def grant_acls(home: Path, address: str) -> None:
    """Run the kafka-acls service's script; each kafka-acls.sh call it makes is recorded and
    granted through the admin API (the jars here have no kafka-tools)."""
    calls = home / "acl-calls.jsonl"
    python = shlex.quote(sys.executable)
    record = stand_in(home / "acls", f"{python} -c 'import json, sys; "
                      f"print(json.dumps(sys.argv[1:]))' \"$@\" >> {calls}")
    env = {**os.environ, **{k: interpolated(v)
                            for k, v in SERVICES["kafka-acls"]["environment"].items()}}
    done = subprocess.run(["sh", "-c", script("kafka-acls", home, {"kafka-acls.sh": record})],
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "ACLs granted" in done.stdout, done.stderr
    acls = [binding(json.loads(line)) for line in calls.read_text().splitlines()]
    assert len(acls) > 10
    admin = connect(address, "kokemusvirta-admin")
    try:
        result = admin.create_acls([a for group in acls for a in group])
        assert not result["failed"], result["failed"]
    finally:
        admin.close()


def binding(args: list[str]) -> list[ACL]:
    """One `kafka-acls.sh --add --allow-principal … --operation … --topic|--group …` call."""
    assert args[:4] == ["--bootstrap-server", "kafka:9092", "--command-config",
                        "/tmp/admin.properties"] and "--add" in args, args
    values: dict[str, list[str]] = {}
    for flag, value in itertools.pairwise(args):
        if flag.startswith("--") and not value.startswith("--"):
            values.setdefault(flag, []).append(value)
    kind, name = ((ResourceType.TOPIC, values["--topic"][0]) if "--topic" in values
                  else (ResourceType.GROUP, values["--group"][0]))
    pattern = (ACLResourcePatternType.PREFIXED
               if values.get("--resource-pattern-type") == ["prefixed"]
               else ACLResourcePatternType.LITERAL)
    [principal] = values["--allow-principal"]
    return [ACL(principal, "*", ACLOperation[op.upper()], ACLPermissionType.ALLOW,
                ResourcePattern(kind, name, pattern)) for op in values["--operation"]]


def test_no_credentials_or_a_wrong_password_gets_nothing(compose_broker: str) -> None:
    with pytest.raises(KafkaError):
        KafkaAdminClient(bootstrap_servers=[compose_broker], security_protocol="PLAINTEXT",
                         request_timeout_ms=5_000, api_version_auto_timeout_ms=5_000)
    with pytest.raises(KafkaError):
        KafkaAdminClient(**client_config(compose_broker, "kv.worker", "not-the-password"),
                         api_version_auto_timeout_ms=5_000)


def test_each_principal_does_what_its_acls_allow_and_nothing_else(compose_broker: str) -> None:
    gateway = KafkaProducer(**client_config(compose_broker, "kv.gateway"))
    try:
        gateway.send("kv.intake", b'{"palaute": 1}').get(timeout=30)  # its one right
        with pytest.raises(KafkaError):
            gateway.send("kv.lifecycle", b"forged").get(timeout=30)
        with pytest.raises(KafkaError):  # no ACL on it: denied (allow.everyone.if.no.acl.found)
            gateway.send("kv.nobodys", b"x").get(timeout=30)
    finally:
        gateway.close()

    worker = KafkaConsumer("kv.intake", group_id="kokemusvirta-worker",
                           auto_offset_reset="earliest", consumer_timeout_ms=20_000,
                           **client_config(compose_broker, "kv.worker"))
    try:
        assert [r.value for r in worker][:1] == [b'{"palaute": 1}']
    finally:
        worker.close()

    sink = KafkaProducer(**client_config(compose_broker, "kv.sink"))
    try:
        with pytest.raises(KafkaError):  # the sink reads; it never writes
            sink.send("kv.intake", b"x").get(timeout=30)
    finally:
        sink.close()

    notifier = KafkaProducer(**client_config(compose_broker, "kv.notifier"))
    try:
        notifier.send("kv.requests.notifier", b"{}").get(timeout=30)  # its one right
        with pytest.raises(KafkaError):  # it asks the guard; it never writes the log itself
            notifier.send("kv.lifecycle", b"forged").get(timeout=30)
    finally:
        notifier.close()

    snoop = KafkaConsumer("kv.intake", group_id="kv.gateway-snoop", auto_offset_reset="earliest",
                          consumer_timeout_ms=10_000, **client_config(compose_broker, "kv.gateway"))
    try:
        with pytest.raises(KafkaError):  # the gateway writes intake but cannot read it back
            list(snoop)
    finally:
        snoop.close()

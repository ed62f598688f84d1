"""Integration test: the project's real local Kafka broker (kokemusvirta.broker.local).

Starts a broker in a temporary home, round-trips messages with kafka-python and aiokafka, checks
status, restarts (data must survive) and stops it. It never skips: if java/mvn are missing or
the broker cannot start, the test errors with the reason and the broker's log tail.

Jars are shared between runs: they are fetched once into ``$KOKEMUSVIRTA_BROKER_LIB`` or, by
default, ``<repo>/.kokemusvirta/broker/lib`` (git-ignored), and re-fetched only if pom.xml changes.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaTimeoutError

from kokemusvirta.broker.local import KAFKA_VERSION, LocalBroker

pytestmark = pytest.mark.broker

REPO_ROOT = Path(__file__).resolve().parents[2]
N_MESSAGES = 10
#: The admin's client options once the broker runs: every client authenticates (SCRAM).
AUTH: dict[str, str] = {}


def _shared_lib_dir() -> Path:
    env = os.environ.get("KOKEMUSVIRTA_BROKER_LIB")
    return Path(env) if env else REPO_ROOT / ".kokemusvirta" / "broker" / "lib"


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    # <home>/broker, as $KOKEMUSVIRTA_HOME/broker: Settings with this home find it.
    home = tmp_path_factory.mktemp("broker-home") / "broker"
    local = LocalBroker(home, lib_dir=_shared_lib_dir())
    local.ensure_jars(on_progress=print)  # may take a while the very first time
    try:
        local.start(timeout=120)
        admin = local.admin_config()
        AUTH.update(security_protocol=admin.security_protocol, sasl_mechanism=admin.mechanism,
                    sasl_plain_username=admin.username, sasl_plain_password=admin.password)
        yield local
    finally:
        local.stop(timeout=30)


@pytest.fixture(scope="module")
def bootstrap(broker: LocalBroker) -> str:
    servers = broker.bootstrap_servers
    assert servers is not None
    return servers


def _create_topic(bootstrap: str, partitions: int = 3) -> str:
    topic = f"test-local-broker-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="test-local-broker", **AUTH)
    try:
        admin.create_topics(
            [NewTopic(topic, num_partitions=partitions, replication_factor=1)],
            wait_for_metadata=True,
        )
        assert topic in admin.list_topics()
    finally:
        admin.close()
    return topic


def _expected(prefix: str) -> set[bytes]:
    return {f"{prefix}-{i}".encode() for i in range(N_MESSAGES)}


def test_status_reports_running_broker(broker: LocalBroker, bootstrap: str) -> None:
    status = broker.status()
    assert status["running"] is True
    assert status["reachable"] is True
    assert status["bootstrap"] == bootstrap
    assert bootstrap.startswith("127.0.0.1:")
    assert isinstance(status["pid"], int)
    assert status["kafka_version"] == KAFKA_VERSION == "4.3.1"
    assert Path(status["data_dir"]).is_dir()
    assert Path(status["home"]) == broker.home
    assert (broker.home / "server.properties").is_file()
    assert (broker.home / "broker.json").is_file()
    assert (broker.logs_dir / "server.log").stat().st_size > 0, "log4j2 binding not working?"


def test_start_is_idempotent(broker: LocalBroker, bootstrap: str) -> None:
    pid = broker.status()["pid"]
    started = time.monotonic()
    assert broker.start(timeout=30) == bootstrap
    assert broker.status()["pid"] == pid
    assert time.monotonic() - started < 10


def test_auto_create_is_disabled(bootstrap: str) -> None:
    missing = f"test-local-broker-missing-{uuid.uuid4().hex[:8]}"
    producer = KafkaProducer(bootstrap_servers=bootstrap, max_block_ms=3000, **AUTH)
    try:
        with pytest.raises(KafkaTimeoutError):  # metadata for the topic never arrives
            producer.send(missing, b"x").get(timeout=5)
    finally:
        producer.close(timeout=5)
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, **AUTH)
    try:
        assert missing not in admin.list_topics()
    finally:
        admin.close()


def test_kafka_python_roundtrip(bootstrap: str) -> None:
    topic = _create_topic(bootstrap)
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", **AUTH)
    try:
        for i in range(N_MESSAGES):
            producer.send(topic, key=str(i).encode(), value=f"kp-{i}".encode())
        producer.flush(timeout=30)
    finally:
        producer.close(timeout=10)

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap, **AUTH,
        group_id=f"{topic}-group",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    received: list[bytes] = []
    try:
        deadline = time.monotonic() + 60
        while len(received) < N_MESSAGES and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=1000).values():
                received.extend(record.value for record in records)
        consumer.commit()
    finally:
        consumer.close()
    assert len(received) == N_MESSAGES
    assert set(received) == _expected("kp")


def test_aiokafka_roundtrip(bootstrap: str) -> None:
    topic = _create_topic(bootstrap)

    async def roundtrip() -> list[bytes]:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", **AUTH)
        await producer.start()
        try:
            for i in range(N_MESSAGES):
                await producer.send_and_wait(topic, value=f"aio-{i}".encode(), key=str(i).encode())
        finally:
            await producer.stop()

        consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=bootstrap, **AUTH,
            group_id=f"{topic}-group",
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        received: list[bytes] = []
        try:
            deadline = time.monotonic() + 60
            while len(received) < N_MESSAGES and time.monotonic() < deadline:
                batches = await consumer.getmany(timeout_ms=1000)
                for records in batches.values():
                    received.extend(record.value for record in records if record.value)
            await consumer.commit()
        finally:
            await consumer.stop()
        return received

    received = asyncio.run(roundtrip())
    assert len(received) == N_MESSAGES
    assert set(received) == _expected("aio")


def test_stop_then_restart_keeps_data(broker: LocalBroker, bootstrap: str) -> None:
    topic = _create_topic(bootstrap, partitions=1)
    producer = KafkaProducer(bootstrap_servers=bootstrap, **AUTH)
    try:
        producer.send(topic, b"survives-restart").get(timeout=30)
    finally:
        producer.close(timeout=10)

    old_pid = broker.status()["pid"]
    assert broker.stop(timeout=30) is True
    status = broker.status()
    assert status["running"] is False
    assert status["pid"] is None
    assert status["bootstrap"] is None
    host, port = bootstrap.rsplit(":", 1)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=1).close()
    assert broker.stop() is False  # stopping again is a clean no-op

    # Ports are reused when free, so the same storage (and topic) comes back.
    assert broker.start(timeout=120) == bootstrap
    assert broker.status()["pid"] != old_pid
    consumer = KafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
        enable_auto_commit=False, **AUTH,
    )
    values: list[bytes] = []
    try:
        deadline = time.monotonic() + 60
        while not values and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=1000).values():
                values.extend(record.value for record in records)
    finally:
        consumer.close()
    assert values == [b"survives-restart"]


def test_the_broker_lets_no_one_in_without_credentials(broker: LocalBroker) -> None:
    """The client port wants SCRAM credentials and the controller port its own PLAIN user:
    an anonymous client, or one with a wrong password, lists no topic on either."""
    status = broker.status()
    for port in (status["port"], status["controller_port"]):
        strangers: list[dict[str, str]] = [
            {},
            {**AUTH, "sasl_plain_password": "wrong"},
            {**AUTH, "sasl_mechanism": "PLAIN", "sasl_plain_password": "wrong"},
        ]
        for options in strangers:
            with pytest.raises(Exception):  # noqa: B017 - any refusal: unauthenticated
                KafkaAdminClient(bootstrap_servers=f"127.0.0.1:{port}", request_timeout_ms=3000,
                                 bootstrap_timeout_ms=3000, **options).list_topics()


def test_its_secrets_are_the_owners_alone(broker: LocalBroker) -> None:
    assert (broker.properties_file.stat().st_mode & 0o777) == 0o600
    assert (broker.access_dir.stat().st_mode & 0o777) == 0o700
    assert (broker.admin_file.stat().st_mode & 0o777) == 0o600
    props = broker.properties_file.read_text()
    assert "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer" in props
    assert "allow.everyone.if.no.acl.found=false" in props
    assert "PLAINTEXT://" not in props.replace("SASL_PLAINTEXT", "")


def test_on_the_local_broker_each_process_connects_as_its_own_principal(
    broker: LocalBroker, bootstrap: str,
) -> None:
    """No client file, no KAFKA_*: the gateway, the worker and the auditor are provisioned on
    first use with the admin's credentials, each with only its own ACLs."""
    from kokemusvirta import kafka as kv_kafka
    from kokemusvirta.access.local import as_principal
    from kokemusvirta.settings import Settings
    from schemas.access import SystemRole

    prefix = f"l{uuid.uuid4().hex[:8]}."
    local = Settings(KOKEMUSVIRTA_HOME=broker.home.parent,  # type: ignore[call-arg]
                     KOKEMUSVIRTA_TOPIC_PREFIX=prefix, KAFKA_BOOTSTRAP_SERVERS=None)
    assert kv_kafka.bootstrap_servers(local, start_local=False) == bootstrap
    kv_kafka.ensure_topics(local, bootstrap)  # set-up: as the admin
    gateway = as_principal(local, SystemRole.GATEWAY)
    assert gateway.kafka_sasl_username == f"{prefix}gateway"
    assert (broker.access_dir / f"{prefix}gateway.properties").stat().st_mode & 0o777 == 0o600
    producer = kv_kafka.producer(gateway, bootstrap)
    producer.send(local.topics.intake, b"from the gateway").get(timeout=30)
    producer.close()

    worker = as_principal(local, SystemRole.WORKER)
    consumer = KafkaConsumer(local.topics.intake, auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=5000,
                             **worker.kafka_python_config(bootstrap))
    try:
        assert [r.value for r in consumer] == [b"from the gateway"]
    finally:
        consumer.close()
    refused = KafkaProducer(max_block_ms=5000, **worker.kafka_python_config(bootstrap))
    try:
        with pytest.raises(Exception):  # noqa: B017 - the worker never writes intake
            refused.send(local.topics.intake, b"forged").get(timeout=10)
    finally:
        refused.close(timeout=5)
    # Without asking: the settings' own principal (the CLI sets it per command).
    auditor = local.model_copy(update={"principal": "auditor"})
    assert auditor.kafka_python_config(bootstrap)["sasl_plain_username"] == f"{prefix}auditor"


def _outward_address() -> str:
    """An address of this machine that is not loopback (the one its default route uses)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: only the route is chosen
        address = str(probe.getsockname()[0])
    assert not address.startswith("127."), "this machine has no address beyond loopback"
    return address


def test_beyond_loopback_the_broker_speaks_sasl_ssl_with_its_own_ca(tmp_path: Path) -> None:
    address = _outward_address()
    outward = LocalBroker(tmp_path / "broker", lib_dir=_shared_lib_dir(), listen=address)
    try:
        assert outward.start(timeout=120).startswith(f"{address}:")
        admin = outward.admin_config()
        assert admin.security_protocol == "SASL_SSL"
        assert admin.ca_location and Path(admin.ca_location).is_file()
        assert (outward.tls_dir / "ca.key").stat().st_mode & 0o777 == 0o600
        options = {"sasl_mechanism": admin.mechanism, "sasl_plain_username": admin.username,
                   "sasl_plain_password": admin.password, "request_timeout_ms": 5000,
                   "bootstrap_timeout_ms": 5000}
        client = KafkaAdminClient(bootstrap_servers=admin.bootstrap, security_protocol="SASL_SSL",
                                  ssl_cafile=admin.ca_location, **options)
        client.list_topics()
        client.close()
        with pytest.raises(Exception):  # noqa: B017 - the password never goes in clear text
            KafkaAdminClient(bootstrap_servers=admin.bootstrap,
                             security_protocol="SASL_PLAINTEXT", **options).list_topics()
        props = outward.properties_file.read_text()
        assert "CONTROLLER://127.0.0.1:" in props  # the controller stays on loopback
    finally:
        outward.stop()

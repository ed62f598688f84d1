"""The trust boundary on the real broker: who may connect, read and write (issue 12).

Each test fails if the protection is taken away: a broker without SASL lets the stranger list
topics, one without the authorizer (or with allow.everyone) lets unit A read unit B, and a
worker or sink with too few ACLs cannot run the flow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.access import clientfile
from kokemusvirta.access.local import acting_as
from kokemusvirta.processes import child_env, start_child
from kokemusvirta.settings import Settings
from sinks import reader as query
from tests.conftest import RequesterSettings, SettingsFactory, SystemSettings
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up

pytestmark = pytest.mark.broker

UNIT_A = "lappi.rovaniemen-terveysasema"
UNIT_B = "pirkanmaa.hervannan-terveysasema"


def _client(settings: Settings) -> dict[str, object]:
    assert settings.kafka_bootstrap_servers
    return settings.kafka_python_config(settings.kafka_bootstrap_servers)


def _read(settings: Settings, topic: str) -> list[bytes]:
    """The records of ``topic`` read as ``settings`` (no group); raises if refused."""
    consumer = KafkaConsumer(topic, enable_auto_commit=False, auto_offset_reset="earliest",
                             request_timeout_ms=5000, **_client(settings))
    try:
        values: list[bytes] = []
        for _ in range(10):
            for records in consumer.poll(timeout_ms=500).values():
                values.extend(r.value for r in records)
            if values:
                break
        return values
    finally:
        consumer.close()


def _readable(settings: Settings, topic: str) -> bool:
    """Whether ``settings`` read the record the test wrote there. A topic it may not even
    describe is hidden from it (kafka-python logs that it is not authorized and reads nothing);
    one it may describe but not read raises TopicAuthorizationFailedError."""
    try:
        return bool(_read(settings, topic))
    except KafkaError as exc:
        assert "Authorization" in type(exc).__name__, exc
        return False


def _write(settings: Settings, topic: str, value: bytes) -> None:
    producer = KafkaProducer(max_block_ms=5000, **_client(settings))
    try:
        producer.send(topic, value).get(timeout=10)
    finally:
        producer.close(timeout=5)


def _make_topics(settings: Settings, *names: str) -> None:
    admin = KafkaAdminClient(**_client(settings))
    try:
        admin.create_topics([NewTopic(n, 1, 1) for n in names])
    finally:
        admin.close()


def test_no_credentials_or_a_wrong_password_neither_lists_nor_reads(
    settings_factory: SettingsFactory,
) -> None:
    admin = settings_factory()
    kv_kafka.ensure_topics(admin, admin.kafka_bootstrap_servers or "")
    _write(admin, admin.topics.intake, b"not for strangers")
    assert _read(admin, admin.topics.intake) == [b"not for strangers"]  # the admin can
    for stranger in (settings_factory(KAFKA_SECURITY_PROTOCOL="PLAINTEXT",
                                      KAFKA_SASL_MECHANISM=None),
                     settings_factory(KAFKA_SASL_PASSWORD="not-the-password")):
        with pytest.raises(KafkaError):
            client = KafkaAdminClient(request_timeout_ms=3000, bootstrap_timeout_ms=3000,
                                      **_client(stranger))
            client.list_topics()
        with pytest.raises(KafkaError):
            _read(stranger, admin.topics.intake)


def test_a_unit_reads_its_own_routed_topic_and_is_refused_everything_else(
    settings_factory: SettingsFactory, requester_settings: RequesterSettings,
) -> None:
    admin = settings_factory()
    t = admin.topics
    kv_kafka.ensure_topics(admin, admin.kafka_bootstrap_servers or "")
    own, other = t.unit(*UNIT_A.split(".")), t.unit(*UNIT_B.split("."))
    _make_topics(admin, own, other)
    for topic in (own, other, t.intake, t.lifecycle):
        _write(admin, topic, f"in {topic}".encode())
    unit_a = requester_settings(admin, "unit", UNIT_A)
    assert unit_a.kafka_sasl_username == f"{admin.topic_prefix}unit.{UNIT_A}"

    assert _read(unit_a, own) == [f"in {own}".encode()]
    assert _readable(admin, other)
    for refused in (other, t.intake, t.lifecycle):
        assert not _readable(unit_a, refused), refused
    # It writes its own request topic (made by the grant), and no one else's nor intake.
    _write(unit_a, f"{admin.topic_prefix}requests.unit.{UNIT_A}", b"{}")
    unit_b = requester_settings(admin, "unit", UNIT_B)
    assert _read(unit_b, other) == [f"in {other}".encode()]
    for refused in (f"{admin.topic_prefix}requests.unit.{UNIT_B}", t.intake, t.lifecycle):
        with pytest.raises(KafkaError):
            _write(unit_a, refused, b"{}")


def test_the_worker_and_the_sink_run_the_flow_as_themselves(
    settings_factory: SettingsFactory, system_settings: SystemSettings,
) -> None:
    admin = settings_factory()
    bootstrap = admin.kafka_bootstrap_servers or ""
    kv_kafka.ensure_topics(admin, bootstrap)
    worker, sink = system_settings(admin, "worker"), system_settings(admin, "sink")
    gateway = system_settings(admin, "gateway")
    assert worker.kafka_sasl_username == f"{admin.topic_prefix}worker"
    logs = admin.home / "logs"
    children = [start_child("worker", worker, bootstrap, logs),
                start_child("sink", sink, bootstrap, logs)]
    try:
        producer = kv_kafka.producer(gateway, bootstrap)
        for text in ("Hoitaja oli ystävällinen, kiitos!", "Jonotin tunnin."):
            producer.send(admin.topics.intake, as_bytes(feedback(text=text)))
        producer.flush()
        producer.close()
        catch_up(admin, children)
    finally:
        for child in children:
            child.stop()
    _, rows = query.run(admin.store, "select count(*) from knowledge_items")
    assert rows == [(2,)]
    # The gateway only writes intake: it reads nothing, not even what it wrote.
    with pytest.raises(KafkaError):
        _read(gateway, admin.topics.intake)


def _kcat() -> tuple[str, dict[str, str]]:
    """kcat, with a librdkafka that speaks SCRAM to Kafka 4 (>= 2.6.1: Debian 12's 2.0.2 sends
    a nonce Kafka 4 rejects), taken from the confluent-kafka wheel `./run` installs."""
    kcat = shutil.which("kcat")
    if kcat is None:
        pytest.fail("kcat is not installed (Debian: apt-get install kcat; `./run tests` does)")
    env = dict(os.environ)
    libdir = os.environ.get("KOKEMUSVIRTA_LIBRDKAFKA_DIR")
    if libdir is None:
        import importlib.util

        spec = importlib.util.find_spec("confluent_kafka")
        if spec is None or spec.origin is None:
            pytest.fail("no librdkafka >= 2.6.1 for kcat: install the dev extra "
                        "(confluent-kafka), or set KOKEMUSVIRTA_LIBRDKAFKA_DIR")
        libs = sorted(Path(spec.origin).parent.parent.glob("confluent_kafka.libs/librdkafka*"))
        assert libs, "confluent-kafka's wheel has no bundled librdkafka"
        link = Path(os.environ.get("TMPDIR", "/tmp")) / f"kv-librdkafka-{os.getuid()}"
        link.mkdir(exist_ok=True)
        (link / "librdkafka.so.1").unlink(missing_ok=True)
        (link / "librdkafka.so.1").symlink_to(libs[0])
        libdir = str(link)
    env["LD_LIBRARY_PATH"] = libdir + os.pathsep + env.get("LD_LIBRARY_PATH", "")
    return kcat, env


def test_access_grant_writes_a_file_kcat_reads_and_revoke_shuts_it_out(
    settings_factory: SettingsFactory, tmp_path: Path,
) -> None:
    admin = settings_factory()
    bootstrap = admin.kafka_bootstrap_servers or ""
    env = child_env(admin, bootstrap)
    cli = [sys.executable, "-m", "kokemusvirta"]
    out = tmp_path / "rovaniemi.conf"
    granted = subprocess.run([*cli, "access", "grant", "unit", UNIT_A, "--out", str(out)],
                             env=env, capture_output=True, text=True, timeout=120)
    assert granted.returncode == 0, granted.stderr
    assert (out.stat().st_mode & 0o777) == 0o600
    keys = [line.split("=", 1)[0] for line in out.read_text().splitlines()]
    assert keys == ["bootstrap.servers", "security.protocol", "sasl.mechanism",
                    "sasl.username", "sasl.password"]
    routed = admin.topics.unit(*UNIT_A.split("."))
    _make_topics(admin, routed)
    _write(admin, routed, b"palaute rovaniemelle")

    kcat, kcat_env = _kcat()
    read = subprocess.run([kcat, "-F", str(out), "-C", "-t", routed, "-e", "-q"],
                          env=kcat_env, capture_output=True, text=True, timeout=60)
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == "palaute rovaniemelle"
    refused = subprocess.run([kcat, "-F", str(out), "-C", "-t", admin.topics.intake, "-e",
                              "-q"], env=kcat_env, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0

    listed = subprocess.run([*cli, "access", "list"], env=env, capture_output=True, text=True,
                            timeout=120)
    assert f"Read topic {routed}" in listed.stdout, listed.stderr
    # Its own file is no admin: --config makes the command run as the unit, and it is refused.
    as_unit = subprocess.run([*cli, "--config", str(out), "access", "list"], env=env,
                             capture_output=True, text=True, timeout=120)
    assert as_unit.returncode == 2 and len(as_unit.stderr.splitlines()) == 1, as_unit.stderr

    revoked = subprocess.run([*cli, "access", "revoke", "unit", UNIT_A], env=env,
                             capture_output=True, text=True, timeout=120)
    assert revoked.returncode == 0, revoked.stderr
    unit = acting_as(admin, clientfile.read(out), keep_bootstrap=False)
    with pytest.raises(KafkaError):
        _read(unit, routed)
    gone = subprocess.run([kcat, "-F", str(out), "-C", "-t", routed, "-e", "-q",
                           "-m", "5"], env=kcat_env, capture_output=True, text=True,
                          timeout=60)
    assert gone.returncode != 0

"""The ACL sets of each principal: the least each needs, nothing under another prefix."""

from __future__ import annotations

from pathlib import Path

import pytest

from kokemusvirta.access import acls, clientfile
from kokemusvirta.access.acls import Binding, Operation, Resource
from schemas.access import Requester, SystemRole

P = "kv."


def _can(bindings: list[Binding], op: Operation, topic: str) -> bool:
    return any(b.resource is Resource.TOPIC and b.operation is op
               and (topic.startswith(b.name) if b.prefixed else topic == b.name)
               for b in bindings)


def test_a_unit_reads_only_its_routed_topic_and_writes_only_its_request_topic() -> None:
    unit = Requester.parse("unit", "lappi.rovaniemen-terveysasema")
    mine = acls.requester_acls(P, unit)
    assert _can(mine, Operation.READ, "kv.routed.unit.lappi.rovaniemen-terveysasema")
    assert _can(mine, Operation.WRITE, "kv.requests.unit.lappi.rovaniemen-terveysasema")
    for other in ("kv.routed.unit.lappi.rovaniemen-terveysasema-2", "kv.intake",
                  "kv.lifecycle", "kv.routed.unit.pirkanmaa.hervannan-terveysasema",
                  "kv.requests.unit.lappi.rovaniemen-terveysasema"):
        assert not _can(mine, Operation.READ, other), other
    assert not _can(mine, Operation.WRITE, "kv.lifecycle")
    assert not any(b.prefixed for b in mine if b.resource is Resource.TOPIC)
    groups = [b for b in mine if b.resource is Resource.GROUP]
    assert groups == [Binding(unit.username(P), Resource.GROUP, unit.username(P), True,
                              Operation.READ)]


def test_the_gateway_writes_intake_and_nothing_else() -> None:
    assert acls.gateway_acls(P) == [
        Binding("kv.gateway", Resource.TOPIC, "kv.intake", False, Operation.WRITE)]


def test_the_auditor_reads_everything_under_the_prefix_and_writes_nothing() -> None:
    mine = acls.auditor_acls(P)
    assert _can(mine, Operation.READ, "kv.lifecycle")
    assert _can(mine, Operation.READ, "kv.routed.unit.lappi.x")
    assert not _can(mine, Operation.READ, "other.lifecycle")
    assert {b.operation for b in mine} <= {Operation.READ, Operation.DESCRIBE}
    assert [b.name for b in mine if b.resource is Resource.GROUP] == ["kv.auditor"]


def test_the_worker_creates_only_routed_topics_and_its_leader_topic() -> None:
    mine = acls.worker_acls(P, "kokemusvirta-worker")
    created = sorted((b.name, b.prefixed) for b in mine if b.operation is Operation.CREATE)
    assert created == [("kokemusvirta-worker-__assignor-__leader", False),
                       ("kv.routed.", True)]
    assert _can(mine, Operation.READ, "kv.requests.unit.lappi.x")
    assert not _can(mine, Operation.WRITE, "kv.intake")
    assert not _can(mine, Operation.WRITE, "kv.requests.unit.lappi.x")
    for topic in ("kv.lifecycle", "kv.dead-letters", "kv.routed.unit.lappi.x", "kv.sources",
                  "kv.checkpoints", "kv.keys"):
        assert _can(mine, Operation.WRITE, topic), topic
    # At start it rebuilds the guard from the lifecycle and restores its checkpoints from the
    # lifecycle, dead-letter, checkpoints and keys topics (a restart failed without the read).
    for topic in ("kv.lifecycle", "kv.dead-letters", "kv.checkpoints", "kv.keys"):
        assert _can(mine, Operation.READ, topic), topic


def test_the_sink_reads_what_it_stores_and_writes_nothing() -> None:
    mine = acls.sink_acls(P, "kokemusvirta-sink")
    assert {b.operation for b in mine} == {Operation.READ}
    for topic in ("kv.sources", "kv.lifecycle", "kv.dead-letters",
                  "kv.routed.leadership.lappi.x", "kv.checkpoints", "kv.keys"):
        assert _can(mine, Operation.READ, topic), topic
    # Raw intake is a landing zone: the sink rebuilds from the redacted sources topic only.
    assert not _can(mine, Operation.READ, "kv.intake")
    assert not _can(mine, Operation.READ, "kv.requests.unit.lappi.x")


def test_every_system_principal_lives_under_its_prefix() -> None:
    every = acls.every_system_acl("t1.", "t1-worker", "t1-sink")
    assert {b.principal for b in every} == {f"t1.{r.value}" for r in SystemRole}
    assert all(b.name.startswith("t1") for b in every)


def test_a_binding_is_a_kafka_acls_command_line() -> None:
    line = acls.gateway_acls(P)[0].command_line("broker:9093", "admin.properties")
    assert line == ("kafka-acls.sh --bootstrap-server broker:9093 --command-config "
                    "admin.properties --add --allow-principal User:kv.gateway --operation "
                    "Write --topic kv.intake --resource-pattern-type literal")


def test_a_client_file_has_exactly_kcats_keys_and_is_the_owners(tmp_path: Path) -> None:
    config = clientfile.ClientConfig("127.0.0.1:9092", "SASL_PLAINTEXT", "SCRAM-SHA-512",
                                     "kv.unit.lappi.x", "s3cret")
    path = clientfile.write(tmp_path / "unit.conf", config)
    assert (path.stat().st_mode & 0o777) == 0o600
    assert [line.split("=")[0] for line in path.read_text().splitlines()] == list(
        clientfile.KEYS)
    assert clientfile.read(path) == config
    path.write_text("bootstrap.servers=x\n")
    with pytest.raises(clientfile.ClientConfigError, match=r"lacks security\.protocol"):
        clientfile.read(path)


def test_a_client_file_is_who_the_settings_connect_as(tmp_path: Path) -> None:
    from kokemusvirta.settings import Settings

    path = clientfile.write(tmp_path / "unit.conf", clientfile.ClientConfig(
        "broker:9093", "SASL_PLAINTEXT", "SCRAM-SHA-512", "kv.unit.lappi.x", "s3cret"))
    settings = Settings(KAFKA_BOOTSTRAP_SERVERS="other:9092",  # type: ignore[call-arg]
                        KAFKA_SASL_MECHANISM="PLAIN", KAFKA_SASL_USERNAME="someone",
                        KOKEMUSVIRTA_CLIENT_CONFIG=path, KOKEMUSVIRTA_HOME=tmp_path)
    acting = settings.connection()
    assert acting.kafka_bootstrap_servers == "broker:9093"
    assert acting.kafka_sasl_username == "kv.unit.lappi.x"
    options = settings.kafka_python_config("broker:9093")
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_username"] == "kv.unit.lappi.x"
    assert options["sasl_plain_password"] == "s3cret"

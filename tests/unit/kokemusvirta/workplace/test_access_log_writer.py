"""The workplace's access-log writer (kokemusvirta/workplace/access_log.py) with a stand-in
producer: a signed-in user is logged by pseudonym, role and scope only; views chain in order; a
write whose fate is unknown raises AccessLogUnavailable (the page is not shown) and ends the chain,
so the next view starts a new one instead of forking it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kokemusvirta.settings import Settings
from kokemusvirta.signing_keys import WorkerKey
from kokemusvirta.workplace.access_log import AccessLogUnavailable, AccessLogWriter
from kokemusvirta.workplace.users import StaffRole, StaffUser
from schemas.access_log import Purpose, check_chains, new_view

AT = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
ITEM = "fb-0123456789abcdef"
MAIJA = StaffUser(user_id="maija@lappi.fi", pseudonym="us-00112233445566aa",
                  display_name="Maija Meikäläinen", role=StaffRole.UNIT_MANAGER,
                  scope="lappi.rovaniemen-terveysasema")


class Sent:
    def __init__(self, fails: bool) -> None:
        self.fails = fails

    def get(self, timeout: float) -> None:
        if self.fails:
            raise TimeoutError("no ack")


@dataclass
class FakeProducer:
    records: list[tuple[bytes, bytes]] = field(default_factory=list)
    fail_next: bool = False
    closed: int = 0

    def send(self, topic: str, key: bytes, value: bytes) -> Sent:
        fails, self.fail_next = self.fail_next, False
        if not fails:
            self.records.append((key, value))
        return Sent(fails)

    def close(self, timeout: float = 0) -> None:
        self.closed += 1


class Writer(AccessLogWriter):
    def __init__(self, settings: Settings, producer: FakeProducer) -> None:
        super().__init__(settings, signer=WorkerKey("0" * 16, AT, Ed25519PrivateKey.generate()))
        self.fake = producer

    def _connect(self) -> Any:
        return self.fake


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(KOKEMUSVIRTA_HOME=tmp_path / "home",  # type: ignore[call-arg]
                    KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9")


def views(producer: FakeProducer) -> list[dict[str, Any]]:
    return [json.loads(v) for k, v in producer.records if not k.startswith(b"key:")]


def test_a_signed_in_staff_user_is_logged_by_pseudonym_role_and_scope() -> None:
    for role, scope in ((StaffRole.UNIT_MANAGER, "lappi.rovaniemen-terveysasema"),
                        (StaffRole.LEADERSHIP, "lappi.perusterveydenhuolto"),
                        (StaffRole.SECRETARY, "lappi"), (StaffRole.AUDITOR, "*"),
                        (StaffRole.ANALYST, "lappi")):
        user = StaffUser(user_id="maija@lappi.fi", pseudonym="us-00112233445566aa",
                         display_name="Maija Meikäläinen", role=role, scope=scope)
        view = new_view(user, ITEM, "lappi", Purpose.INBOX, None, AT, "a" * 16, 0)
        assert (view.viewer, view.viewer_role, view.viewer_scope) == (
            "us-00112233445566aa", role.value, scope)
        assert "Maija" not in view.model_dump_json() and "lappi.fi" not in view.model_dump_json()


def test_views_chain_in_order_after_the_key(settings: Settings) -> None:
    producer = FakeProducer()
    writer = Writer(settings, producer)
    for purpose in ("inbox", "item_page", "item_page"):
        writer.record(MAIJA, ITEM, "lappi", purpose)
    assert producer.records[0][0] == b"key:" + writer.signer.key_id.encode()
    logged = views(producer)
    assert [v["seq"] for v in logged] == [0, 1, 2]
    assert len({k for k, _ in producer.records[1:]}) == 1  # one chain, one key: one partition
    public = writer.signer.private.public_key()
    assert check_chains(logged, {writer.signer.key_id: public}) == []


def test_a_write_of_unknown_fate_is_unavailable_and_ends_the_chain(settings: Settings) -> None:
    producer = FakeProducer()
    writer = Writer(settings, producer)
    writer.record(MAIJA, ITEM, "lappi", "item_page")
    producer.fail_next = True
    with pytest.raises(AccessLogUnavailable):
        writer.record(MAIJA, ITEM, "lappi", "item_page")
    assert producer.closed == 1
    writer.record(MAIJA, ITEM, "lappi", "item_page")
    logged = views(producer)
    assert [v["seq"] for v in logged] == [0, 0]  # a new chain, not a gap in the old one
    assert logged[0]["chain_id"] != logged[1]["chain_id"]
    public = writer.signer.private.public_key()
    assert check_chains(logged, {writer.signer.key_id: public}) == []


def test_a_bad_item_id_is_a_value_error_not_an_outage(settings: Settings) -> None:
    writer = Writer(settings, FakeProducer())
    with pytest.raises(ValueError):
        writer.record(MAIJA, "Maija Meikäläinen", "lappi", "item_page")


def test_on_a_cluster_the_workplace_connects_with_its_own_client_file(
        settings: Settings, tmp_path: Path) -> None:
    from kokemusvirta.workplace.access_log import for_workplace

    folder = tmp_path / "clients"
    folder.mkdir()
    cluster = settings.model_copy(update={"workplace_client_dir": folder})
    with pytest.raises(AccessLogUnavailable):
        for_workplace(cluster)  # no file: no view can be logged, so none is shown
    (folder / "kv.workplace.properties").write_text("bootstrap.servers=127.0.0.1:9\n")
    assert for_workplace(cluster).client_config == folder / "kv.workplace.properties"

"""Pseudonyms, the file key store, sealed contacts, the intake gateway and forgetting."""

from __future__ import annotations

import json
import logging
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kokemusvirta.commands.privacy import forget, resolve
from kokemusvirta.keystore import FileKeyStore, privacy_from_settings, pseudonym_key
from kokemusvirta.settings import Settings
from schemas.dead_letter import Origin
from schemas.feedback import FeedbackSubmitted
from schemas.knowledge import KnowledgeItem
from schemas.lifecycle import ItemReceived
from schemas.privacy import PersonForgotten
from schemas.registry import parse
from schemas.topics import TopicNames
from streams.privacy import (
    ContactErased,
    Forgotten,
    MemoryKeyStore,
    Privacy,
    normalised_contact,
    reveal_contact,
)
from streams.processing import Processor
from tests.factories import as_bytes, feedback
from tests.leaks import find_leaks

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
ORIGIN = Origin(topic="kv.intake", partition=0, offset=7)
KEY = b"k" * 32
CLIENT = "asiakas-0042"
CONTACT = "+358 50 1234567"


def _privacy(store: object | None = None) -> Privacy:
    return Privacy(KEY, store or MemoryKeyStore())  # type: ignore[arg-type]


def _received(privacy: Privacy | None, **fields: object) -> KnowledgeItem:
    # Received when the record reaches the worker, after it was recorded (2026-10-03 at latest).
    outs = Processor(TopicNames("kv."), privacy=privacy).process(
        as_bytes(feedback(**fields)), ORIGIN, NOW + timedelta(days=2))
    return next(o.event.item for o in outs if isinstance(o.event, ItemReceived))


def test_pseudonym_is_stable_within_a_county_and_differs_across() -> None:
    p = _privacy()
    a = p.client_pseudonym("lappi", CLIENT)
    assert a == p.client_pseudonym("lappi", f" {CLIENT} ")
    assert a.startswith("ps-") and len(a) == 35
    assert a != p.client_pseudonym("pirkanmaa", CLIENT)
    assert a != p.client_pseudonym("lappi", "asiakas-0043")
    assert a != Privacy(b"another key" * 3, MemoryKeyStore()).client_pseudonym("lappi", CLIENT)
    assert a != p.contact_pseudonym("lappi", CLIENT)  # ids and contacts never collide


def test_one_phone_number_in_its_spellings_is_one_person() -> None:
    spellings = ["+358 50 1234567", "050 123 4567", "0501234567", "00358-50-1234567"]
    assert {normalised_contact(s) for s in spellings} == {"0501234567"}
    assert normalised_contact(" Liisa@Example.FI ") == "liisa@example.fi"


def test_the_worker_pseudonymises_and_seals_and_nothing_raw_leaves() -> None:
    store = MemoryKeyStore()
    privacy = _privacy(store)
    raw = as_bytes(feedback(client_id=CLIENT, contact=CONTACT, county="lappi"))
    outs = Processor(TopicNames("kv."), privacy=privacy).process(raw, ORIGIN, NOW)
    item = next(o.event.item for o in outs if isinstance(o.event, ItemReceived))
    assert item.client_pseudonym == privacy.client_pseudonym("lappi", CLIENT)
    assert item.contact_given and item.contact_sealed is not None
    assert item.contact_sealed.key_id == item.client_pseudonym
    assert reveal_contact(item, store) == CONTACT
    assert find_leaks([CLIENT, CONTACT, "1234567"], [(o.topic, o.value) for o in outs]) == []


def test_sealing_is_deterministic_so_a_redelivery_is_byte_identical() -> None:
    privacy = _privacy()
    raw = as_bytes(feedback(client_id=CLIENT, contact=CONTACT))
    processor = Processor(TopicNames("kv."), privacy=privacy)
    first = [o.value for o in processor.process(raw, ORIGIN, NOW)]
    assert [o.value for o in processor.process(raw, ORIGIN, NOW)] == first


def test_without_a_client_id_the_contact_names_the_person() -> None:
    privacy = _privacy()
    item = _received(privacy, contact="050 123 4567")
    assert item.client_pseudonym == privacy.contact_pseudonym("lappi", CONTACT)


def test_without_privacy_raw_identifiers_are_dropped() -> None:
    item = _received(None, client_id=CLIENT, contact=CONTACT)
    assert item.client_pseudonym is None and item.contact_sealed is None
    assert item.contact_given is True


def test_the_gateway_seals_before_intake_and_the_worker_keeps_the_seal() -> None:
    store = MemoryKeyStore()
    privacy = _privacy(store)
    raw = as_bytes(feedback(client_id=CLIENT, contact=CONTACT))
    sealed_raw = privacy.seal_intake_record(raw)
    assert find_leaks([CLIENT, CONTACT], [("intake", sealed_raw)]) == []
    on_intake = parse(sealed_raw)
    assert isinstance(on_intake, FeedbackSubmitted)
    assert on_intake.client_id is None and on_intake.contact is None
    item = _received(None, **json.loads(sealed_raw))  # even a worker without the key store
    assert item.client_pseudonym == privacy.client_pseudonym("lappi", CLIENT)
    assert reveal_contact(item, store) == CONTACT
    no_person = as_bytes(feedback(contact=None, reply_requested=False))
    assert privacy.seal_intake_record(no_person) == no_person


def test_forget_shreds_the_contact_and_publishes_once_per_erasure() -> None:
    store = MemoryKeyStore()
    privacy = _privacy(store)
    item = _received(privacy, client_id=CLIENT, contact=CONTACT)
    published: list[PersonForgotten] = []
    pseudonym = resolve(privacy, "lappi", CLIENT, contact=False)
    event = forget(privacy, "lappi", pseudonym, published.append, now=NOW)
    assert event.key_erased and event.client_pseudonym == item.client_pseudonym
    with pytest.raises(ContactErased, match=r"was erased on 2026-10-01.*cannot be recovered"):
        reveal_contact(item, store)
    again = forget(privacy, "lappi", pseudonym, published.append, now=NOW + timedelta(days=1))
    assert not again.key_erased and again.event_id == event.event_id
    assert [e.event_type for e in published] == ["person.forgotten"] * 2
    assert resolve(privacy, "lappi", pseudonym, contact=False) == pseudonym


def test_a_replayed_record_from_before_forgetting_gets_no_new_key() -> None:
    store = MemoryKeyStore()
    privacy = _privacy(store)
    pseudonym = privacy.client_pseudonym("lappi", CLIENT)
    forget(privacy, "lappi", pseudonym, None, now=datetime(2026, 10, 2, tzinfo=UTC))
    replayed = _received(privacy, client_id=CLIENT, contact=CONTACT)  # recorded 2026-10-01
    assert replayed.contact_sealed is None and replayed.client_pseudonym == pseudonym
    later = _received(privacy, client_id=CLIENT, contact=CONTACT,
                      recorded_at="2026-10-03T09:00:00+03:00")
    assert later.contact_sealed is not None  # a new feedback after it: a new key, a new consent
    assert reveal_contact(later, store) == CONTACT


def test_file_key_store_is_private_atomic_and_erases(tmp_path: Path) -> None:
    root = tmp_path / "keys"
    a, b = FileKeyStore(root), FileKeyStore(root)
    p = _privacy().client_pseudonym("lappi", CLIENT)
    key = a.get_or_create("lappi", p, NOW)
    assert b.get_or_create("lappi", p, NOW) == key  # a second process sees the same key
    key_file = root / "lappi" / f"{p}.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(root.stat().st_mode) == stat.S_IMODE((root / "lappi").stat().st_mode) \
        == 0o700
    assert b.erase("lappi", p, NOW) is True
    assert not key_file.exists() and a.get("lappi", p) is None
    assert a.forgotten_at("lappi", p) == NOW
    with pytest.raises(Forgotten):
        a.get_or_create("lappi", p, NOW - timedelta(hours=1))
    assert a.get_or_create("lappi", p, NOW + timedelta(hours=1)).version != key.version
    assert [f.name for f in (root / "lappi").iterdir() if f.name.startswith(".")] == []
    with pytest.raises(ValueError):
        a.get("../etc", p)


def test_reveal_after_forget_with_the_file_store(tmp_path: Path) -> None:
    store = FileKeyStore(tmp_path / "keys")
    privacy = _privacy(store)
    item = _received(privacy, client_id=CLIENT, contact=CONTACT)
    assert reveal_contact(item, FileKeyStore(tmp_path / "keys")) == CONTACT
    forget(privacy, "lappi", str(item.client_pseudonym), None, now=NOW)
    with pytest.raises(ContactErased, match="the person was forgotten"):
        reveal_contact(item, FileKeyStore(tmp_path / "keys"))
    with pytest.raises(LookupError):
        reveal_contact(_received(privacy, contact=None), store)


def _settings(**values: object) -> Settings:
    return Settings(**values)  # type: ignore[arg-type]


def test_pseudonym_key_from_settings_or_a_generated_dev_key(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "s" * 40
    configured = _settings(KOKEMUSVIRTA_HOME=tmp_path, KOKEMUSVIRTA_PSEUDONYM_KEY=secret)
    assert pseudonym_key(configured) == secret.encode()
    assert secret not in repr(configured)
    dev = _settings(KOKEMUSVIRTA_HOME=tmp_path)
    with caplog.at_level(logging.WARNING, logger="kokemusvirta.privacy"):
        first = pseudonym_key(dev)
    assert "KOKEMUSVIRTA_PSEUDONYM_KEY is not set" in caplog.text
    assert pseudonym_key(dev) == first and len(first) == 64
    assert stat.S_IMODE((tmp_path / "pseudonym-dev.key").stat().st_mode) == 0o600
    assert privacy_from_settings(dev).keys.root == tmp_path / "keys"  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        _settings(KOKEMUSVIRTA_PSEUDONYM_KEY="too short")


def test_find_leaks_sees_json_escapes_and_whole_words_only() -> None:
    blobs = [("t", json.dumps({"text": "hoitaja Päivi"})), ("u", "Einola ja Eino")]
    leaks = find_leaks(["Päivi", "Eino", "Liisa"], blobs)
    assert sorted((x.identifier, x.where) for x in leaks) == [("Eino", "u"), ("Päivi", "t")]


def test_pseudonyms_are_the_hmac_of_the_design_under_each_key() -> None:
    """The pseudonym reuses a keyed HMAC (streams/privacy.py _keyed): still HMAC-SHA256 under the
    key given, also when several keys alternate (a gateway and a tool in one process)."""
    import hashlib
    import hmac

    keys = [b"k" * 64, b"other-key", b"k" * 64 + b"!"]
    for i in range(30):
        key, county, client = keys[i % 3], ("lappi", "pirkanmaa")[i % 2], f"asiakas-{i}"
        message = b"\x1f".join((b"kokemusvirta.pseudonym.v1", county.encode(), b"client",
                                client.encode()))
        expected = "ps-" + hmac.new(key, message, hashlib.sha256).hexdigest()[:32]
        assert Privacy(key, MemoryKeyStore()).client_pseudonym(county, client) == expected

"""No raw personal identifier leaves the intake topic: routed topics, lifecycle, dead letters, the
DuckDB store and the worker's and sink's logs are searched for every identifier the scenario put
in (henkilötunnus, IBAN, phone, e-mail, names) and for this test's client ids and contacts.
Then a person is forgotten: their contact no longer opens anywhere.
"""

from __future__ import annotations

import json

import pytest

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.commands.privacy import _kafka_publisher, forget
from kokemusvirta.keystore import FileKeyStore, privacy_from_settings
from kokemusvirta.settings import Settings
from scenario import generate, personal_identifiers_in
from schemas.knowledge import KnowledgeItem
from sinks import reader as query
from streams.privacy import ContactErased, reveal_contact
from tests.conftest import SettingsFactory
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, read_topic, running
from tests.leaks import find_leaks, log_files, store_text_columns

pytestmark = pytest.mark.broker

CLIENTS = {"asiakas-7781": "+358 40 555 1234", "asiakas-7782": "liisa.virtanen@example.fi"}
GATEWAY_CLIENT, GATEWAY_CONTACT = "asiakas-9001", "050 987 6543"


def _received_items(settings: Settings, county: str) -> dict[str, KnowledgeItem]:
    items = {}
    for _, value, _ in read_topic(settings, settings.topics.lifecycle):
        event = json.loads(value)
        if event["event_type"] == "item.received" and event["county"] == county:
            items[event["item"]["source_event_id"]] = KnowledgeItem.model_validate(event["item"])
    return items


def test_a_run_leaves_no_raw_identifier_and_forget_shreds_contacts(
    settings_factory: SettingsFactory,
) -> None:
    s = settings_factory()
    privacy = privacy_from_settings(s)  # the dev key in the test's home, as the worker's
    records = list(generate(7, events=400))
    identifiers = personal_identifiers_in(records)
    assert {"hetu", "iban", "phone", "email", "name"} <= {
        p.kind for r in records for p in r.personal_data}
    own = [feedback(county="pirkanmaa", unit="hervannan-terveysasema", client_id=client,
                    contact=contact, text=f"Hoitaja Merja soitti {contact}, hetu 131052-308T.")
           for client, contact in CLIENTS.items()]
    gateway = feedback(county="pirkanmaa", unit="hervannan-terveysasema",
                       client_id=GATEWAY_CLIENT, contact=GATEWAY_CONTACT)
    rejected = [b'{"event_type": "feedback.submitted", "text": "hetu 131052-308T', as_bytes(
        feedback(rating=11, contact="+358 40 555 1234", text="Terveisin Jonne Kauppi"))]
    identifiers |= {*CLIENTS, *CLIENTS.values(), GATEWAY_CLIENT, GATEWAY_CONTACT,
                    "131052-308T", "Jonne", "Kauppi"}

    with running(s, "worker", "sink") as children:
        publish(s, [r.value for r in records] + [as_bytes(e) for e in own] + rejected
                + [privacy.seal_intake_record(as_bytes(gateway))])
        catch_up(s, children)

    assert s.kafka_bootstrap_servers
    client = kv_kafka.admin(s, s.kafka_bootstrap_servers)
    try:
        topics = sorted(t for t in client.list_topics()
                        if t.startswith(s.topic_prefix) and t != s.topics.intake)
    finally:
        client.close()
    assert s.topics.lifecycle in topics and s.topics.dead_letters in topics
    assert any(s.topics.is_routed(t) for t in topics)
    blobs: list[tuple[str, str | bytes]] = [
        (t, b"\n".join(v for _, v, _ in read_topic(s, t))) for t in topics]
    blobs += store_text_columns(s.store)
    blobs += log_files(s.home / "logs")
    assert len(blobs) > len(topics) + 10
    leaks = find_leaks(identifiers, blobs)
    assert leaks == [], "\n".join(f"{x.identifier!r} in {x.where}: …{x.context}…" for x in leaks)

    # The gateway sealed before intake: the item carries the seal, whoever processed it.
    items = _received_items(s, "pirkanmaa")
    keys = FileKeyStore(s.key_store)
    sealed = items[gateway["event_id"]]
    assert sealed.client_pseudonym == privacy.client_pseudonym("pirkanmaa", GATEWAY_CLIENT)
    assert reveal_contact(sealed, keys) == GATEWAY_CONTACT

    # Forgetting a person erases their key: their contact opens nowhere, and the sink has it.
    forgotten = sealed
    assert forgotten.client_pseudonym
    with running(s, "sink") as children:
        forget(privacy, "pirkanmaa", forgotten.client_pseudonym, _kafka_publisher(s))
        catch_up(s, children)
    with pytest.raises(ContactErased):
        reveal_contact(forgotten, FileKeyStore(s.key_store))
    _, rows = query.run(s.store, "select count(*) from events where event_type = "
                                 "'person.forgotten'")
    assert rows == [(1,)]

    # The worker pseudonymised and sealed what came raw (streams/app.py passes it `privacy`).
    for event in own:
        item = items[event["event_id"]]
        assert item.client_pseudonym == privacy.client_pseudonym("pirkanmaa", event["client_id"])
        assert item.contact_sealed is not None, "the worker's Processor has no privacy object"
        assert reveal_contact(item, keys) == event["contact"]

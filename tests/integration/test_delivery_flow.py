"""Delivery of answers against the real parts: the broker, the worker's guard, the sink, and a
real SMTP server (LocalMailbox, aiosmtpd). Returning an item to a client who asked for a reply
produces exactly one e-mail in the client's language and a `sent` event, also when the round
runs again; a refused address is `bounced`; after `forget`, another returned item of the same
client produces no e-mail and a `contact_erased` event; a unit manager can neither write the
notifier's request topic nor forge a delivery on its own."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from kafka.errors import KafkaError

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.commands.privacy import _kafka_publisher, forget
from kokemusvirta.keystore import privacy_from_settings
from kokemusvirta.notify import ROUNDS
from kokemusvirta.notify.ledger import Ledger, ledger_path
from kokemusvirta.notify.mail import send_mail
from kokemusvirta.notify.mailbox import BOUNCE_DOMAIN, LocalMailbox
from kokemusvirta.notify.publisher import NotifierPublisher
from kokemusvirta.notify.service import NotifierContext, RoundReport, run_rounds
from kokemusvirta.settings import Settings
from schemas.access import Requester
from schemas.feedback import Language
from schemas.knowledge import SourceFamily
from schemas.lifecycle import (
    ActorRole,
    DeliveryStatus,
    ItemAcknowledged,
    ItemDecided,
    ItemReplyDelivery,
    ItemReturned,
    LifecycleEvent,
    Outcome,
    ReturnedTo,
)
from sinks import reader as query
from streams.items import item_id_for
from tests.conftest import RequesterSettings, SettingsFactory, SystemSettings
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, running

pytestmark = pytest.mark.broker

UNIT = Requester.parse("unit", "lappi.rovaniemen-terveysasema")
CLIENT, CONTACT = "asiakas-5001", "Liisa.Virtanen@example.org"
OTHER, BOUNCING = "asiakas-5002", f"jonne@{BOUNCE_DOMAIN}"
T0 = datetime.now(UTC) - timedelta(hours=2)


def _env(item_id: str, at: datetime) -> dict[str, Any]:
    return {"event_id": uuid.uuid4(), "occurred_at": at, "recorded_at": at, "county": "lappi",
            "unit": "rovaniemen-terveysasema", "item_id": item_id,
            "actor_role": ActorRole.UNIT_MANAGER}


def _returned(item_id: str) -> list[LifecycleEvent]:
    return [ItemAcknowledged(**_env(item_id, T0 + timedelta(minutes=1))),
            ItemDecided(**_env(item_id, T0 + timedelta(minutes=2)), outcome=Outcome.ADOPTED,
                        rationale="Lisäämme iltavastaanoton aikoja.", decision_ref="§ 12/2026"),
            ItemReturned(**_env(item_id, T0 + timedelta(minutes=3)),
                         returned_to=ReturnedTo.CLIENT, channel="email")]


def _request(acting: Settings, topic: str, events: list[LifecycleEvent]) -> None:
    assert acting.kafka_bootstrap_servers
    producer = kv_kafka.producer(acting, acting.kafka_bootstrap_servers)
    try:
        for e in events:
            producer.send(topic, key=e.kafka_key(), value=e.to_json_bytes()).get(timeout=30)
    finally:
        producer.close()


def _feedback(client: str, contact: str, language: str) -> dict[str, Any]:
    return feedback(client_id=client, contact=contact, language=language, reply_requested=True,
                    text="Jonotin puhelimessa tunnin.", occurred_at=T0.isoformat(),
                    recorded_at=T0.isoformat())


def _round(s: Settings, notifier: Settings, box_home: Path) -> RoundReport:
    ledger = Ledger(ledger_path(box_home))
    try:
        with NotifierPublisher(notifier) as publisher:
            ctx = NotifierContext(settings=s, publisher=publisher,
                                  send=lambda mail: send_mail(s, mail), ledger=ledger)
            (report,) = run_rounds(ctx, ROUNDS[:1], once=True, interval_s=1)
            return report
    finally:
        ledger.close()


def test_an_answer_reaches_the_client_once_and_never_after_forget(
    settings_factory: SettingsFactory, requester_settings: RequesterSettings,
    system_settings: SystemSettings, tmp_path: Path,
) -> None:
    with LocalMailbox(tmp_path / "mailbox") as box:
        s = settings_factory(**{"KOKEMUSVIRTA_SMTP_HOST": box.host,
                                "KOKEMUSVIRTA_SMTP_PORT": box.port,
                                "KOKEMUSVIRTA_SMTP_SECURITY": "none"})
        privacy = privacy_from_settings(s)
        first, second = _feedback(CLIENT, CONTACT, "sv"), _feedback(CLIENT, CONTACT, "sv")
        bouncing = _feedback(OTHER, BOUNCING, "en")
        a, b, c = (item_id_for(SourceFamily.FEEDBACK, str(e["event_id"]))
                   for e in (first, second, bouncing))
        with running(s, "worker", "sink") as children:
            publish(s, [privacy.seal_intake_record(as_bytes(e))
                        for e in (first, second, bouncing)])
            catch_up(s, children)
            manager = requester_settings(s, "unit", UNIT.scope)
            notifier = system_settings(s, "notifier")
            _request(manager, s.topics.requests(UNIT), _returned(a) + _returned(c))
            catch_up(s, children)

            # exactly one e-mail, in the client's language; a second round sends nothing
            assert _round(s, notifier, s.home).counts.get("sent") == 1
            catch_up(s, children)
            again = _round(s, notifier, s.home)
            catch_up(s, children)
            assert "sent" not in again.counts and "bounced" not in again.counts
            (mail,) = box.messages()
            assert mail["To"] == CONTACT and mail["Content-Language"] == "sv"
            assert mail["Subject"].startswith("Svar på er respons")
            text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
            assert "Beslut: Vi genomför." in text and "iltavastaanoton" in text
            assert "§ 12/2026" in text

            # forgotten: the next returned item of the same person is not sent
            pseudonym = privacy.client_pseudonym("lappi", CLIENT)
            forget(privacy, "lappi", pseudonym, _kafka_publisher(s))
            _request(manager, s.topics.requests(UNIT), _returned(b))
            catch_up(s, children)
            assert _round(s, notifier, s.home).counts.get("contact_erased") == 1
            catch_up(s, children)
            assert len(box.messages()) == 1

            # the manager may not write the notifier's topic, nor forge a delivery on its own
            forged = ItemReplyDelivery(
                **{**_env(b, T0 + timedelta(minutes=9)), "actor_role": ActorRole.SYSTEM},
                status=DeliveryStatus.SENT, channel="email", attempt=1,
                returned_event_id=uuid.uuid4(), language=Language.FI)
            with pytest.raises(KafkaError):
                _request(manager, s.topics.notifier_requests, [forged])
            _request(manager, s.topics.requests(UNIT), [forged])
            catch_up(s, children)

    _, rows = query.run(s.store, "select item_id, status, channel, language, attempt "
                                 "from reply_deliveries order by item_id")
    assert sorted(rows) == sorted([(a, "sent", "email", "sv", 1), (b, "contact_erased", "email",
                                   "sv", 1), (c, "bounced", "email", "en", 1)])
    _, dead = query.run(s.store, "select reason, original_event_id from dead_letters "
                                 "where original_event_type = 'item.reply_delivery'")
    assert dead == [("unauthorised_request", str(forged.event_id))]
    _, view = query.run(s.store, "select returned_to_client, delivered, bounced, "
                                 "contact_erased, waiting from returned_vs_delivered")
    assert view == [(3, 1, 1, 1, 0)]
    logs = "\n".join(p.read_text(errors="replace") for p in (s.home / "logs").glob("*"))
    assert CONTACT.lower() not in logs.lower() and "jonne@" not in logs


def test_a_client_who_left_a_phone_number_is_the_units_to_call(
    settings_factory: SettingsFactory, requester_settings: RequesterSettings,
    system_settings: SystemSettings, tmp_path: Path,
) -> None:
    """Through the real worker's guard and sink: one `unit_answers` attempt on channel phone,
    nothing mailed, and returned_vs_delivered counts the return by_phone, not waiting."""
    with LocalMailbox(tmp_path / "mailbox") as box:
        s = settings_factory(**{"KOKEMUSVIRTA_SMTP_HOST": box.host,
                                "KOKEMUSVIRTA_SMTP_PORT": box.port,
                                "KOKEMUSVIRTA_SMTP_SECURITY": "none"})
        privacy = privacy_from_settings(s)
        phone = _feedback("asiakas-5003", "+358 40 555 1234", "fi")
        d = item_id_for(SourceFamily.FEEDBACK, str(phone["event_id"]))
        with running(s, "worker", "sink") as children:
            publish(s, [privacy.seal_intake_record(as_bytes(phone))])
            catch_up(s, children)
            _request(requester_settings(s, "unit", UNIT.scope), s.topics.requests(UNIT),
                     _returned(d))
            catch_up(s, children)
            assert _round(s, system_settings(s, "notifier"), s.home).counts.get(
                "unit_answers") == 1
            catch_up(s, children)
        assert box.messages() == []
    _, rows = query.run(s.store, "select item_id, status, channel, attempt, detail "
                                 "from reply_deliveries")
    assert rows == [(d, "unit_answers", "phone", 1, "a phone number: the unit calls the client")]
    _, view = query.run(s.store, "select returned_to_client, delivered, waiting, by_phone "
                                 "from returned_vs_delivered")
    assert view == [(1, 0, 0, 1)]

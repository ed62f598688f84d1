"""The delivery round's decisions with its I/O stood in for (kokemusvirta/notify/delivering.py):
the store's rows given, the mail server a function, the broker a list, the clock set by hand.
A deferred mail is retried after the backoff and sent once; a round run again (or after a
restart, with the store not yet caught up) sends nothing; a forgotten person's contact is not
used; a letter is written for a postal address. The real parts:
tests/integration/test_delivery_flow.py."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kokemusvirta.keystore import FileKeyStore
from kokemusvirta.notify.delivering import run_delivery
from kokemusvirta.notify.ledger import Ledger, ledger_path
from kokemusvirta.notify.mail import Mail, MailBounced, MailDeferred
from kokemusvirta.notify.service import NotifierContext
from kokemusvirta.settings import Settings
from schemas.lifecycle import DeliveryStatus, ItemReplyDelivery, LifecycleEvent
from streams.privacy import seal

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
PSEUDONYM = "ps-" + "a" * 32
CONTACT = "liisa.virtanen@example.org"


class FakeContext(NotifierContext):
    rows: list[dict[str, Any]]

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self.rows]


class Published(list[LifecycleEvent]):
    def publish(self, event: LifecycleEvent) -> None:
        self.append(event)


def _row(settings: Settings, contact: str, language: str = "sv") -> dict[str, Any]:
    key = FileKeyStore(settings.key_store).get_or_create("lappi", PSEUDONYM, T0)
    sealed = seal(key, "lappi", PSEUDONYM, contact)
    return {"returned_event_id": str(uuid.uuid4()), "item_id": "fb-0123456789abcdef",
            "county": "lappi", "service_area": "perusterveydenhuolto",
            "unit": "rovaniemen-terveysasema", "language": language, "received_at": T0,
            "returned_at": T0 + timedelta(days=2), "outcome": "partly",
            "rationale": "Osa toteutetaan.", "decision_ref": None, "no_decision_reason": None,
            "sealed_contact": sealed.model_dump_json(), "attempts": 0, "final": False}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(KOKEMUSVIRTA_HOME=tmp_path / "home",  # type: ignore[call-arg]
                    KOKEMUSVIRTA_DELIVERY_RETRY_S=60, KOKEMUSVIRTA_DELIVERY_MAX_ATTEMPTS=3)


def _ctx(settings: Settings, rows: list[dict[str, Any]], send: Any, now: list[datetime]
         ) -> tuple[FakeContext, Published]:
    published = Published()
    ctx = FakeContext(settings=settings, publisher=published, send=send,
                      ledger=Ledger(ledger_path(settings.home)), clock=lambda: now[0])
    ctx.rows = rows
    return ctx, published


def test_a_deferred_mail_is_retried_after_the_backoff_and_sent_once(settings: Settings) -> None:
    rows = [_row(settings, CONTACT)]
    sent: list[Mail] = []
    deferred = [MailDeferred("451 4.3.0 try again later")]

    def send(mail: Mail) -> str:
        if deferred:
            raise deferred.pop()
        sent.append(mail)
        return "250 accepted"

    now = [T0]
    ctx, published = _ctx(settings, rows, send, now)
    assert run_delivery(ctx).counts["failed"] == 1
    (failed,) = published
    assert isinstance(failed, ItemReplyDelivery) and failed.status is DeliveryStatus.FAILED
    assert failed.attempt == 1 and "retry at" in failed.detail and "@" not in failed.detail
    now[0] = T0 + timedelta(seconds=59)  # not due yet
    assert run_delivery(ctx).counts.get("retry_later") == 1 and not sent
    now[0] = T0 + timedelta(seconds=60)
    rows[0]["attempts"] = 1  # the store has the first attempt by now
    assert run_delivery(ctx).counts["sent"] == 1
    (mail,) = sent
    assert mail.to == CONTACT and mail.language == "sv"
    assert mail.subject.startswith("Svar på er respons")
    assert published[-1].status is DeliveryStatus.SENT  # type: ignore[attr-defined]
    assert published[-1].attempt == 2  # type: ignore[attr-defined]
    # again, and after a restart (a new ledger object), the store not yet caught up: nothing
    ctx.ledger.close()
    again, published_again = _ctx(settings, rows, send, now)
    assert "sent" not in run_delivery(again).counts and published_again == []
    again.ledger.close()


def test_the_last_deferred_attempt_is_final_and_a_bounce_at_once(settings: Settings) -> None:
    rows = [_row(settings, CONTACT)]

    def defer(mail: Mail) -> str:
        raise MailDeferred("no delivery to the mail server: ConnectionRefusedError")

    now = [T0]
    ctx, published = _ctx(settings, rows, defer, now)
    for n in range(3):
        now[0] += timedelta(hours=1)
        rows[0]["attempts"] = n
        run_delivery(ctx)
    assert [e.attempt for e in published] == [1, 2, 3]  # type: ignore[attr-defined]
    assert "gave up" in published[-1].detail  # type: ignore[attr-defined]
    now[0] += timedelta(days=1)
    rows[0]["attempts"] = 3
    run_delivery(ctx)
    assert len(published) == 3  # no fourth attempt
    ctx.ledger.close()

    def bounce(mail: Mail) -> str:
        raise MailBounced("550 5.1.1 mailbox unavailable")

    other = [_row(settings, "jonne@bounce.invalid", "en")]
    ctx, published = _ctx(settings, other, bounce, [T0])
    run_delivery(ctx)
    (bounced,) = published
    assert bounced.status is DeliveryStatus.BOUNCED  # type: ignore[attr-defined]
    assert bounced.detail == "550 5.1.1 mailbox unavailable"  # type: ignore[attr-defined]
    ctx.ledger.close()


def test_a_forgotten_persons_contact_is_never_used(settings: Settings) -> None:
    rows = [_row(settings, CONTACT)]
    FileKeyStore(settings.key_store).erase("lappi", PSEUDONYM, T0 + timedelta(days=1))

    def send(mail: Mail) -> str:
        raise AssertionError("a forgotten person's contact was used")

    ctx, published = _ctx(settings, rows, send, [T0 + timedelta(days=3)])
    assert run_delivery(ctx).counts["contact_erased"] == 1
    assert [e.status for e in published] == [  # type: ignore[attr-defined]
        DeliveryStatus.CONTACT_ERASED]
    ctx.ledger.close()


def test_a_postal_address_gets_a_letter_and_a_phone_number_nothing(settings: Settings) -> None:
    rows = [_row(settings, "Liisa Virtanen, Pohjoisranta 4, 96200 Rovaniemi", "fi"),
            _row(settings, "+358 40 555 1234", "fi")]

    def send(mail: Mail) -> str:
        raise AssertionError("no e-mail for a letter or a phone number")

    ctx, published = _ctx(settings, rows, send, [T0])
    report = run_delivery(ctx)
    assert report.counts["sent"] == 1 and report.counts["unit_answers"] == 1
    letter, phone = published  # the phone number: recorded as the unit's to call, nothing sent
    assert letter.channel == "post" and letter.detail == "letter PDF written"  # type: ignore[attr-defined]
    assert isinstance(phone, ItemReplyDelivery) and phone.channel == "phone"
    assert phone.status is DeliveryStatus.UNIT_ANSWERS and phone.attempt == 1
    assert "555" not in phone.detail and "358" not in phone.to_json_bytes().decode()
    (pdf,) = (settings.home / "letters").glob("*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_mode & 0o077 == 0
    ctx.ledger.close()


def test_a_phone_number_is_recorded_once_and_is_final(settings: Settings) -> None:
    """A client who asked to be called is no longer `waiting` for ever: one `unit_answers`
    attempt, final, so the next rounds (the store then has it) record nothing more."""
    row = _row(settings, "040 555 1234", "fi")

    def send(mail: Mail) -> str:
        raise AssertionError("nothing is sent to a phone number")

    ctx, published = _ctx(settings, [row], send, [T0])
    run_delivery(ctx)
    assert [(e.status, e.channel) for e in published] == [  # type: ignore[attr-defined]
        (DeliveryStatus.UNIT_ANSWERS, "phone")]
    ctx.rows = [{**row, "attempts": 1, "final": True}]  # as the store has it now
    assert run_delivery(ctx).counts.get("unit_answers", 0) == 0
    ctx.rows = [row]  # even before the store caught up: the ledger holds it
    run_delivery(ctx)
    assert len(published) == 1
    ctx.ledger.close()


def test_a_contact_that_is_neither_mail_nor_post_nor_phone_records_nothing(
        settings: Settings) -> None:
    ctx, published = _ctx(settings, [_row(settings, "soittakaa iltaisin")], lambda m: "250",
                          [T0])
    assert run_delivery(ctx).counts["unusable_contact"] == 1 and published == []
    ctx.ledger.close()

"""Delivery of answers, the pure parts (kokemusvirta/notify/delivery.py, letters.py,
ledger.py): what is due, which channel a contact is, the answer's words in fi/sv/en, the
backoff, and the ledger's send-once claim. The real SMTP server and broker:
tests/integration/test_delivery_flow.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kokemusvirta.notify.delivery import (
    DueReturn,
    answer_language,
    channel_of,
    is_phone,
    next_try_in,
    plan,
    render,
)
from kokemusvirta.notify.ledger import RETRY, Ledger
from kokemusvirta.notify.letters import letter_pdf
from kokemusvirta.notify.mail import MailBounced, MailDeferred, _classified, _said

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
DUE = DueReturn(
    returned_event_id="8a1c4a4e-7a0e-4c55-9d4c-1b3e0c1f2a10", item_id="fb-0123456789abcdef",
    county="lappi", service_area="perusterveydenhuolto", unit="rovaniemen-terveysasema",
    language="fi", received_at=T0, returned_at=T0 + timedelta(days=3), outcome="adopted",
    rationale="Lisäämme iltavastaanoton aikoja marraskuusta alkaen.", decision_ref="§ 12/2026",
    no_decision_reason=None, sealed_contact={"key_id": "x"})


def test_only_returns_without_a_final_outcome_and_with_attempts_left_are_due() -> None:
    sent = replace(DUE, returned_event_id="a", final=True)
    tried = replace(DUE, returned_event_id="b", attempts=2)
    exhausted = replace(DUE, returned_event_id="c", attempts=5)
    assert [d.returned_event_id for d in plan([DUE, sent, tried, exhausted], 5)] == [
        DUE.returned_event_id, "b"]


def test_a_contact_is_an_email_a_postal_address_or_the_units_to_call() -> None:
    assert channel_of("liisa.virtanen@example.fi") == "email"
    assert channel_of("Pohjoisranta 4 A 1, 96200 Rovaniemi") == "post"
    assert channel_of("Storgatan 3\n65100 Vasa") == "post"
    assert channel_of("+358 40 555 1234") is None
    assert channel_of("050 987 6543") is None
    assert channel_of("not an address @") is None
    assert is_phone("+358 40 555 1234") and is_phone("050 987 6543")
    assert not any(is_phone(c) for c in ("liisa.virtanen@example.fi", "not an address @",
                                         "Pohjoisranta 4 A 1, 96200 Rovaniemi", "iltaisin"))


def test_the_answer_speaks_the_clients_language() -> None:
    assert [answer_language(x) for x in ("fi", "sv", "en", "se", None)] == [
        "fi", "sv", "en", "fi", "fi"]
    fi = render(DUE, "Rovaniemen terveysasema", "Lapin hyvinvointialue", "fi")
    assert fi.subject == "Vastaus palautteeseenne – Rovaniemen terveysasema"
    assert "Päätös: Toteutamme." in fi.text and "§ 12/2026" in fi.text
    assert "iltavastaanoton" in fi.text and "1.10.2026" in fi.text
    assert "Mitä tämä tarkoittaa teille: Palautteenne johtaa muutokseen" in fi.text
    sv = render(replace(DUE, language="sv", outcome="rejected"), "Rovaniemi hälsostation",
                "Lapplands välfärdsområde", "sv")
    assert sv.subject == "Svar på er respons – Rovaniemi hälsostation"
    assert "Beslut: Vi kan inte genomföra." in sv.text and "Motivering:" in sv.text
    # The rationale as written, in Finnish, said to be so in a Swedish answer (not in a Finnish)
    assert "marraskuusta alkaen. (på finska)" in sv.text
    assert "(suomeksi)" not in fi.text
    assert "Vad det betyder för er: Er respons leder inte" in sv.text
    en = render(replace(DUE, outcome=None, rationale=None, decision_ref=None,
                        no_decision_reason="Kiitos: välitimme sen henkilökunnalle."),
                "Rovaniemi health centre", "Lapland", "en")
    assert en.subject.startswith("The answer to your feedback")
    assert "Your feedback needed no decision: Kiitos" in en.text and "2026-10-01" in en.text
    assert "Decision:" not in en.text
    assert '<html lang="en">' in en.html and "&lt;" not in en.subject
    hostile = render(replace(DUE, rationale="<script>x</script>"), "U", "C", "fi")
    assert "<script>" not in hostile.html and "&lt;script&gt;" in hostile.html


def test_the_wait_doubles_after_each_failed_attempt() -> None:
    assert [next_try_in(n, 60).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]


def test_the_servers_refusal_is_bounced_or_deferred_and_names_no_address() -> None:
    assert isinstance(_classified(550, b"5.1.1 <liisa@example.fi> unknown"), MailBounced)
    assert isinstance(_classified(451, b"try later"), MailDeferred)
    assert _said(550, b"5.1.1 <liisa@example.fi> mailbox unavailable") == \
        "550 5.1.1 mailbox unavailable"


def test_a_letter_is_a_pdf_with_the_answer() -> None:
    answer = render(DUE, "Rovaniemen terveysasema", "Lapin hyvinvointialue", "fi")
    pdf = letter_pdf(answer, "Liisa Virtanen, Pohjoisranta 4, 96200 Rovaniemi",
                     "Rovaniemen terveysasema")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000


def test_the_ledger_claims_once_and_retries_when_due(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    assert ledger.claim("delivery:a", T0)
    assert not ledger.claim("delivery:a", T0)  # claimed: not again, even by another round
    assert ledger.claimed() == ["delivery:a"]
    ledger.record("delivery:a", RETRY, 1, T0 + timedelta(minutes=5), now=T0, event=b"{}")
    assert not ledger.claim("delivery:a", T0 + timedelta(minutes=4))
    assert ledger.claim("delivery:a", T0 + timedelta(minutes=5))
    ledger.record("delivery:a", "sent", 2, now=T0, event=b'{"n": 2}')
    assert not ledger.claim("delivery:a", T0 + timedelta(days=9))
    assert [k for k, _ in ledger.unpublished()] == ["delivery:a#1", "delivery:a#2"]
    ledger.published("delivery:a#1")
    ledger.close()
    again = Ledger(tmp_path / "ledger.sqlite3")  # a restart remembers
    entry = again.get("delivery:a")
    assert entry is not None and (entry.status, entry.attempt) == ("sent", 2)
    assert not again.claim("delivery:a", T0 + timedelta(days=9))
    assert again.unpublished() == [("delivery:a#2", b'{"n": 2}')]
    again.close()

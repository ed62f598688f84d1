"""Telling staff on the real parts: the broker, the worker's guard, the sink's store and a real
SMTP server (LocalMailbox). A critical item is told at once to its unit's managers and its
service area's leadership; an item whose deadline to acknowledge passed is escalated by the
system and leadership is told; the daily digest lists each unit's open items. Each exactly once
over rounds, whether the ledger remembers it (the store not caught up yet) or only the store
does (a fresh ledger)."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from kokemusvirta.notify.ledger import Ledger, ledger_path
from kokemusvirta.notify.mail import send_mail
from kokemusvirta.notify.mailbox import LocalMailbox
from kokemusvirta.notify.publisher import NotifierPublisher
from kokemusvirta.notify.service import NotifierContext
from kokemusvirta.notify.staff_round import staff_round, summary_line
from schemas.knowledge import SourceFamily
from sinks import reader as query
from streams.items import item_id_for
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, running

pytestmark = pytest.mark.broker

ROVANIEMI = "esihenkilot.rovaniemen-terveysasema@lappi.example.fi"
KEMI = "esihenkilot.kemin-terveysasema@lappi.example.fi"
LEADERSHIP = "johto.perusterveydenhuolto@lappi.example.fi"
CONTACT = "matti.meikalainen@example.fi"
# Reminders off, the digest at any hour of any day and no backlog: the test does not depend on
# the clock (its overdue item was received on a fixed day).
RULES = ("remind_before_acknowledge_working_days: null\nremind_before_reply_working_days: null\n"
         "digest_hour: 0\ndigest_on_working_days_only: false\nbacklog_days: null\n")


def _mails(box: LocalMailbox) -> list[tuple[str, str, Message]]:
    return sorted(((str(m["To"]), str(m["Subject"]), m) for m in box.messages()),
                  key=lambda t: t[:2])


def _text(message: Message) -> str:
    part = message.get_body(("plain",)) if hasattr(message, "get_body") else None
    payload = (part or message).get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def _wait_for(store: Path, sql: str, expected: int,
              timeout: float = 60) -> list[tuple[Any, ...]]:
    """The rows once the published snapshot has `expected` of them (it follows the sink)."""
    deadline = time.monotonic() + timeout
    while True:
        _, rows = query.run(store, sql)
        if len(rows) >= expected or time.monotonic() > deadline:
            return rows
        time.sleep(0.5)


def test_critical_overdue_and_open_items_are_told_exactly_once(
    settings_factory: Any, tmp_path: Path,
) -> None:
    rules = tmp_path / "staff_rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    s = settings_factory(KOKEMUSVIRTA_NOTIFY_RULES=rules)
    now = datetime.now(UTC)
    critical = feedback(text="Äidilleni annettiin väärää lääkettä ja hän joutui teho-osastolle.",
                        occurred_at=(now - timedelta(hours=1)).isoformat(),
                        recorded_at=(now - timedelta(hours=1)).isoformat(), contact=CONTACT)
    # Received Monday 5.10.2026: the deadline to acknowledge was Thursday 8.10.2026.
    overdue = feedback(text="Jonotin puhelimessa tunnin.", unit="kemin-terveysasema",
                       occurred_at="2026-10-05T09:00:00+03:00",
                       recorded_at="2026-10-05T09:00:00+03:00")
    critical_id = item_id_for(SourceFamily.FEEDBACK, critical["event_id"])
    overdue_id = item_id_for(SourceFamily.FEEDBACK, overdue["event_id"])

    for sub in ("cur", "new", "tmp"):  # a Maildir's folders (the core's mailbox made none)
        (tmp_path / "mailbox" / sub).mkdir(parents=True, exist_ok=True)
    with LocalMailbox(tmp_path / "mailbox") as box, running(s, "worker", "sink") as children:
        publish(s, [as_bytes(critical), as_bytes(overdue)])
        catch_up(s, children)
        _wait_for(s.store, "select item_id from item_milestones", 2)
        mailing = s.model_copy(update=box.smtp_settings())
        ledger = Ledger(ledger_path(s.home))
        with NotifierPublisher(mailing) as publisher:
            ctx = NotifierContext(settings=mailing, publisher=publisher,
                                  send=lambda mail: send_mail(mailing, mail), ledger=ledger)
            first = staff_round(ctx)
            told = _mails(box)
            second = staff_round(ctx)  # the store has none of it yet: the ledger remembers
            catch_up(s, children)
            notices = _wait_for(s.store, "select item_id, notice, recipients, deadline, detail "
                                         "from staff_notifications order by notice, item_id", 4)
            fresh = Ledger(tmp_path / "fresh-ledger.sqlite3")  # only the store remembers
            third = staff_round(replace(ctx, ledger=fresh))
            fresh.close()
        ledger.close()
        after = _mails(box)

    assert first.counts.get("mails_sent") == 5 and first.counts.get("escalated") == 1, first
    assert [m[:2] for m in after] == [m[:2] for m in told], "a notice was sent twice"
    assert "mails_sent" not in second.counts and "mails_sent" not in third.counts
    assert "escalated" not in second.counts and "escalated" not in third.counts

    # Who got which e-mail: the critical item at once to the unit and the leadership, the
    # escalation to the leadership, the digest to each unit.
    kinds = sorted((to, subject.split(" ")[0]) for to, subject, _ in told)
    assert kinds == sorted([(ROVANIEMI, "Kriittinen"), (LEADERSHIP, "Kriittinen"),
                            (LEADERSHIP, "Siirretty"), (ROVANIEMI, "Avoimet"),
                            (KEMI, "Avoimet")])
    texts = {(to, subject.split(" ")[0]): _text(m) for to, subject, m in told}
    alert = texts[(ROVANIEMI, "Kriittinen")]
    assert critical_id in alert and "Vakavuus: kriittinen" in alert
    assert f"kokemusvirta ack {critical_id}" in alert
    assert "Rovaniemen terveysasema" in alert
    assert overdue_id in texts[(LEADERSHIP, "Siirretty")]
    assert overdue_id in texts[(KEMI, "Avoimet")] and critical_id not in texts[(KEMI, "Avoimet")]
    assert critical_id in texts[(ROVANIEMI, "Avoimet")]
    for text in texts.values():  # never the client's words or contact
        assert CONTACT not in text and "lääkettä" not in text and "Jonotin" not in text

    # The audit trail: one staff_notified per item and notice, recipients as roles.
    assert [(r[0], r[1], list(r[2])) for r in notices] == sorted([
        (critical_id, "critical", ["unit.lappi.rovaniemen-terveysasema",
                                   "leadership.lappi.perusterveydenhuolto"]),
        (overdue_id, "escalation", ["leadership.lappi.perusterveydenhuolto"]),
        (critical_id, "digest", ["unit.lappi.rovaniemen-terveysasema"]),
        (overdue_id, "digest", ["unit.lappi.kemin-terveysasema"]),
    ], key=lambda r: (r[1], r[0]))
    _, steps = query.run(s.store, "select actor_role, json_extract_string(details, '$.reason') "
                                  f"from lifecycle where item_id = '{overdue_id}' "
                                  "and step = 'escalated'")
    assert len(steps) == 1 and steps[0][0] == "system"
    assert steps[0][1].startswith("Kuittauksen määräaika 8.10.2026 umpeutui ilman kuittausta")
    _, dead = query.run(s.store, "select reason, detail from dead_letters")
    assert dead == []
    assert summary_line(s.store) == (
        "henkilöstölle ilmoitettu (staff told), items by notice: critical 1, reminder 0, "
        "escalation 1, digest 2; automaattisesti siirretty johdolle (escalated by the system) 1")

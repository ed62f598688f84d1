"""The staff round's bookkeeping (kokemusvirta/notify/staff_round.py) with a fake store, mail
server and publisher, and the real send-once ledger: each recipient mailed once, a refused
address not again, a deferred one again after the backoff, and the notice's events only once
every recipient is settled, naming those who got it."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kokemusvirta.commands.notify import cmd_run
from kokemusvirta.notify.ledger import Ledger
from kokemusvirta.notify.mail import Mail, MailBounced, MailDeferred
from kokemusvirta.notify.service import NotifierContext
from kokemusvirta.notify.staff_round import staff_round
from kokemusvirta.settings import Settings
from schemas.lifecycle import ItemEscalated, ItemStaffNotified, LifecycleEvent

ITEM = "fb-00000000000000aa"
UNIT = "esihenkilot.rovaniemen-terveysasema@lappi.example.fi"
LEADERSHIP = "johto.perusterveydenhuolto@lappi.example.fi"
# Monday 12.10.2026, 7 o'clock in Finland (before the digest's hour): the item below was due
# to be acknowledged on Thursday 8.10.
NOW = datetime(2026, 10, 12, 4, 0, tzinfo=UTC)


@dataclass
class Published:
    events: list[LifecycleEvent] = field(default_factory=list)

    def publish(self, event: LifecycleEvent) -> None:
        self.events.append(event)


class Store(NotifierContext):
    """The round's context with the store's rows given (no DuckDB)."""

    rows: dict[str, list[dict[str, Any]]]

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        for table, rows in self.rows.items():
            if f"FROM {table}" in sql:
                return rows
        raise AssertionError(sql)


def context(tmp_path: Path, send: Any) -> tuple[Store, Published]:
    published = Published()
    ctx = Store(settings=Settings(KOKEMUSVIRTA_HOME=tmp_path),  # type: ignore[call-arg]
                publisher=published, send=send, ledger=Ledger(tmp_path / "ledger.sqlite3"),
                clock=lambda: NOW)
    ctx.rows = {
        "item_milestones": [{
            "item_id": ITEM, "county": "lappi", "service_area": "perusterveydenhuolto",
            "unit": "rovaniemen-terveysasema", "themes": ["safety"], "severity": "critical",
            "suspected": False, "acknowledged": False, "escalated": False,
            "received_on": date(2026, 10, 5)}],
        "open_obligations": [{"item_id": ITEM, "deadline": "acknowledge",
                              "due_on": date(2026, 10, 8)}],
        "staff_notifications": [],
    }
    return ctx, published


def test_each_recipient_once_and_the_events_once(tmp_path: Path) -> None:
    sent: list[Mail] = []

    def send(mail: Mail) -> str:
        sent.append(mail)
        return "250 OK"

    ctx, published = context(tmp_path, send)
    first = staff_round(ctx)
    assert sorted(m.to for m in sent) == sorted([UNIT, LEADERSHIP, LEADERSHIP])
    assert first.counts == {"mails_sent": 3, "escalated": 1, "critical_told": 1,
                            "escalation_told": 1}
    escalated = [e for e in published.events if isinstance(e, ItemEscalated)]
    assert len(escalated) == 1 and escalated[0].actor_role == "system"
    notified = [e for e in published.events if isinstance(e, ItemStaffNotified)]
    assert [(e.notice, e.recipients) for e in notified] == [
        ("critical", ("unit.lappi.rovaniemen-terveysasema",
                      "leadership.lappi.perusterveydenhuolto")),
        ("escalation", ("leadership.lappi.perusterveydenhuolto",))]
    assert all(e.deadline in (None, date(2026, 10, 8)) for e in notified)
    # The store has not caught up: the same plan again sends and publishes nothing.
    again = staff_round(ctx)
    assert len(sent) == 3 and len(published.events) == 3 and again.counts == {}
    # The same request after a crash has the same event id (the guard knows it).
    assert len({e.event_id for e in published.events}) == 3


def test_a_refused_address_is_not_tried_again_and_is_not_named_as_told(tmp_path: Path) -> None:
    def send(mail: Mail) -> str:
        if mail.to == UNIT:
            raise MailBounced("550 5.1.1 mailbox unavailable")
        return "250 OK"

    ctx, published = context(tmp_path, send)
    ctx.rows["open_obligations"] = []  # nothing overdue: the critical alert alone
    report = staff_round(ctx)
    assert report.counts == {"bounced": 1, "mails_sent": 1, "critical_told": 1}
    (event,) = published.events
    assert isinstance(event, ItemStaffNotified)
    assert event.recipients == ("leadership.lappi.perusterveydenhuolto",)
    assert staff_round(ctx).counts == {}


def test_a_deferred_mail_is_tried_again_after_the_backoff_then_recorded(tmp_path: Path) -> None:
    answers: list[MailDeferred | str] = [MailDeferred("451 later"), "250 OK"]

    def send(mail: Mail) -> str:
        answer = answers.pop(0)
        if isinstance(answer, MailDeferred):
            raise answer
        return answer

    ctx, published = context(tmp_path, send)
    ctx.rows["open_obligations"] = []
    rules = tmp_path / "rules.yaml"
    rules.write_text("critical_to_leadership: false\n", encoding="utf-8")
    ctx.settings = ctx.settings.model_copy(update={"notify_rules_path": rules})
    assert staff_round(ctx).counts == {"deferred": 1}
    assert published.events == []  # nobody told yet: nothing recorded
    ctx.clock = lambda: NOW + timedelta(minutes=2)
    assert staff_round(ctx).counts == {}  # the backoff (5 minutes) has not passed
    ctx.clock = lambda: NOW + timedelta(minutes=6)
    assert staff_round(ctx).counts == {"mails_sent": 1, "critical_told": 1}
    (event,) = published.events
    assert isinstance(event, ItemStaffNotified)
    assert event.recipients == ("unit.lappi.rovaniemen-terveysasema",)


def test_notify_run_refuses_a_bad_rules_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("digest_hour: 25\n", encoding="utf-8")
    settings = Settings(KOKEMUSVIRTA_HOME=tmp_path,  # type: ignore[call-arg]
                        KOKEMUSVIRTA_NOTIFY_RULES=rules)
    code = cmd_run(argparse.Namespace(once=True, interval=30.0), settings)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "bad notification rules" in err and "line 1: digest_hour" in err


def test_a_request_the_broker_did_not_take_is_asked_for_again_not_mailed_again(
    tmp_path: Path,
) -> None:
    sent: list[Mail] = []

    def send(mail: Mail) -> str:
        sent.append(mail)
        return "250 OK"

    ctx, published = context(tmp_path, send)

    class Down(Published):
        def publish(self, event: LifecycleEvent) -> None:
            raise TimeoutError("no acknowledgement from the broker")

    ctx.publisher = Down()
    with pytest.raises(TimeoutError):
        staff_round(ctx)  # the escalation is asked for first: nothing is mailed yet
    ctx.publisher = published
    staff_round(ctx)
    first_ids = {e.event_id for e in published.events}
    assert len(sent) == 3 and len(published.events) == 3

    class Late(Published):  # the mails went, the broker fails on their record
        def publish(self, event: LifecycleEvent) -> None:
            if isinstance(event, ItemStaffNotified):
                raise TimeoutError("no acknowledgement from the broker")
            published.publish(event)

    ctx2, published2 = context(tmp_path / "second", send)
    ctx2.publisher = Late()
    with pytest.raises(TimeoutError):
        staff_round(ctx2)  # the critical alert was mailed, its record not taken
    ctx2.publisher = published2
    staff_round(ctx2)
    again = [(m.to, m.subject) for m in sent[3:]]
    assert len(again) == len(set(again)) == 3  # asked for again, not mailed again
    notified = [e for e in published2.events if isinstance(e, ItemStaffNotified)]
    assert sorted(e.notice for e in notified) == ["critical", "escalation"]
    # the same notice is the same request: the guard applies an event id once
    assert {e.event_id for e in published2.events} <= first_ids

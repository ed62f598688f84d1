"""The notifier's side steps in the store (sinks/notifications.sql): one row per delivery
attempt and per notice, no milestone and no status moved, and returned_vs_delivered telling
returned from delivered (a DuckDB file in a temporary folder, no broker)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from schemas.feedback import Language
from schemas.lifecycle import (
    ActorRole,
    DeliveryStatus,
    ItemAcknowledged,
    ItemDecided,
    ItemEscalated,
    ItemReplyDelivery,
    ItemReturned,
    ItemStaffNotified,
    Outcome,
    ReturnedTo,
    StaffNotice,
)
from sinks.audit.recompute import differences
from sinks.projection import project
from sinks.store import Store
from tests.integration.sinks.test_labels import NOW, PLAIN_TEXT, Log, T


def _returned(log: Log, text: str) -> str:
    item = log.intake(text)
    log.step(ItemAcknowledged, item, 1)
    log.step(ItemDecided, item, 2, outcome=Outcome.ADOPTED, rationale="Lisäämme aikoja.")
    log.step(ItemReturned, item, 3, returned_to=ReturnedTo.CLIENT, channel="email")
    return item


def _returned_event_id(log: Log, item: str) -> str:
    from schemas.registry import parse

    for r in log.records:
        e = parse(r.value)
        if getattr(e, "item_id", None) == item and e.event_type == "item.returned":
            return str(e.event_id)
    raise AssertionError(item)


def test_deliveries_and_notices_are_rows_and_move_no_milestone(tmp_path: Path) -> None:
    log = Log()
    sent, bounced, erased, waiting = (_returned(log, f"{PLAIN_TEXT} {n}") for n in range(4))
    late = log.intake(f"{PLAIN_TEXT} myöhässä")
    store = Store(tmp_path / "s.duckdb")
    store.write(project(log.records, T, NOW))
    n = len(log.records)
    common = {"channel": "email", "language": Language.SV, "role": ActorRole.SYSTEM}
    log.step(ItemReplyDelivery, sent, 4, status=DeliveryStatus.FAILED, attempt=1,
             returned_event_id=_returned_event_id(log, sent), detail="451 try later", **common)
    log.step(ItemReplyDelivery, sent, 5, status=DeliveryStatus.SENT, attempt=2,
             returned_event_id=_returned_event_id(log, sent), detail="250 accepted", **common)
    log.step(ItemReplyDelivery, bounced, 4, status=DeliveryStatus.BOUNCED, attempt=1,
             returned_event_id=_returned_event_id(log, bounced), detail="550 unavailable",
             **common)
    log.step(ItemReplyDelivery, erased, 4, status=DeliveryStatus.CONTACT_ERASED, attempt=1,
             returned_event_id=_returned_event_id(log, erased), **common)
    log.step(ItemStaffNotified, late, 1, role=ActorRole.SYSTEM, notice=StaffNotice.ESCALATION,
             recipients=("leadership.lappi.perusterveydenhuolto",), deadline=date(2026, 10, 5),
             detail="kuittauksen määräaika ylittyi")
    log.step(ItemEscalated, late, 2, role=ActorRole.SYSTEM,
             reason="kuittauksen määräaika ylittyi 5.10.2026")
    store.write(project(log.records[n:], T, NOW))
    con = store.con

    rows = con.execute("SELECT item_id, status, attempt, channel, language, detail "
                       "FROM reply_deliveries ORDER BY item_id, attempt").fetchall()
    assert sorted(rows) == sorted([
        (sent, "failed", 1, "email", "sv", "451 try later"),
        (sent, "sent", 2, "email", "sv", "250 accepted"),
        (bounced, "bounced", 1, "email", "sv", "550 unavailable"),
        (erased, "contact_erased", 1, "email", "sv", ""),
    ])
    assert con.execute("SELECT item_id, notice, recipients, deadline FROM "
                       "staff_notifications").fetchall() == [
        (late, "escalation", ["leadership.lappi.perusterveydenhuolto"], date(2026, 10, 5))]
    # side steps: the status stays the item's own furthest step
    status = dict(con.execute("SELECT item_id, status FROM knowledge_items").fetchall())
    assert status[sent] == status[bounced] == status[waiting] == "returned"
    assert status[late] == "escalated"  # the system's escalation is a step in handling
    assert con.execute("SELECT reached_leadership_at FROM item_milestones WHERE item_id = ?",
                       [late]).fetchone() == (None,)  # the system is not leadership

    view = con.execute("SELECT county, unit, returned_to_client, delivered, bounced, failed, "
                       "contact_erased, no_contact, waiting FROM returned_vs_delivered"
                       ).fetchall()
    assert view == [("lappi", "rovaniemen-terveysasema", 4, 1, 1, 0, 1, 0, 1)]
    # the flow metrics tell returned from delivered (sinks/analytics.sql rates_by)
    assert con.execute("SELECT items, replied_to_client, delivered_to_client "
                       "FROM rates_by('county')").fetchall() == [(5, 4, 1)]
    assert differences(con) == []  # verify derives the same again
    store.close()


def test_a_client_to_be_called_counts_by_phone_not_waiting(tmp_path: Path) -> None:
    """A phone number left: the notifier's `unit_answers` attempt (channel phone) moves the
    return from `waiting` to `by_phone`, and the columns still add up."""
    log = Log()
    called, _waiting = (_returned(log, f"{PLAIN_TEXT} {n}") for n in range(2))
    log.step(ItemReplyDelivery, called, 4, status=DeliveryStatus.UNIT_ANSWERS, attempt=1,
             returned_event_id=_returned_event_id(log, called), channel="phone",
             language=Language.FI, role=ActorRole.SYSTEM,
             detail="a phone number: the unit calls the client")
    store = Store(tmp_path / "s.duckdb")
    store.write(project(log.records, T, NOW))
    con = store.con
    assert con.execute("SELECT status, channel FROM reply_deliveries").fetchall() == [
        ("unit_answers", "phone")]
    row = con.execute("SELECT returned_to_client, delivered, bounced, failed, contact_erased, "
                      "no_contact, waiting, by_phone FROM returned_vs_delivered").fetchone()
    assert row == (2, 0, 0, 0, 0, 0, 1, 1)
    assert row[0] == sum(row[1:])
    assert differences(con) == []
    store.close()

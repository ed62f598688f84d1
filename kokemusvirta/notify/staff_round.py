"""The notifier's round that tells staff (kokemusvirta/notify/staff.py plans it): read the open
items and the notices already given from the store's snapshot, plan, and for each notice due
escalate (the system's `item.escalated`), send its e-mails and record it as `item.staff_notified`
events, all through the notifier's request topic and the worker's guard.

Exactly once, across restarts and across the store's lag, by the ledger's keys:

- `<notice key>|escalated`: the automatic escalation is asked for once;
- `<notice key>|<recipient scope>`: one e-mail per recipient; a refused address (MailBounced)
  is not tried again, a server that said "later" (MailDeferred) is tried again after a backoff;
- `<notice key>`: the notice's events, published once every recipient is settled, naming those
  who got the e-mail (a notice all of whose recipients bounced records nothing: nobody was
  told; the round reports it).

Once the sink has the events, the planner sees them in `staff_notifications` and plans the
notice no more. The report counts; it never names an address, an item's words or a client.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from kokemusvirta.notify.ledger import RETRY
from kokemusvirta.notify.mail import Mail, MailBounced, MailDeferred
from kokemusvirta.notify.service import NotifierContext, RoundReport
from kokemusvirta.notify.staff import NOTICES, Notice, Obligation, OpenItem, Told, plan
from kokemusvirta.notify.staff_rules import load_rules
from kokemusvirta.organisations import organisations
from schemas.deadlines import finnish_date
from schemas.lifecycle import ActorRole, ItemEscalated, ItemStaffNotified, StaffNotice
from sinks.reader import StoreMissing, run

log = logging.getLogger("kokemusvirta.notify.staff")

# Stable event ids: a request published again after a crash is the same request, which the
# worker's guard recognises (it has applied that event id).
NAMESPACE = uuid.UUID("6f1c2b0e-5a8d-4c55-9e07-1d3f7c9a2b61")
SENT, BOUNCED = "sent", "bounced"
BACKOFF = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))

# Open items: client knowledge items neither returned nor closed, with the labels that count
# (a person's where one exists) and whether a critical one is still only suspected.
ITEMS_SQL = """
SELECT m.item_id, m.county, m.service_area, m.unit, m.themes, m.severity, m.received_on,
    coalesce(c.critical_suspected AND c.waiting, false) AS suspected,
    m.acknowledged_at IS NOT NULL AS acknowledged, m.escalated_at IS NOT NULL AS escalated
FROM item_milestones AS m
LEFT JOIN severity_confirmations AS c ON c.item_id = m.item_id
WHERE m.returned_at IS NULL AND m.closed_at IS NULL
"""
OBLIGATIONS_SQL = "SELECT item_id, deadline, due_on FROM open_obligations"
# Digests older than today are history: only today's decide whether today's digest went.
TOLD_SQL = """
SELECT DISTINCT item_id, notice, detail FROM staff_notifications
WHERE notice <> 'digest' OR detail = ?
"""


def read_store(ctx: NotifierContext, today: date) -> tuple[list[OpenItem], list[Told]]:
    obligations: dict[str, list[Obligation]] = {}
    for row in ctx.query(OBLIGATIONS_SQL):
        obligations.setdefault(row["item_id"], []).append(
            Obligation(row["deadline"], row["due_on"]))
    items = [OpenItem(r["item_id"], r["county"], r["service_area"], r["unit"],
                      tuple(r["themes"] or ()), r["severity"], bool(r["suspected"]),
                      bool(r["acknowledged"]), bool(r["escalated"]),
                      tuple(obligations.get(r["item_id"], ())), r["received_on"])
             for r in ctx.query(ITEMS_SQL)]
    told = [Told(r["item_id"], r["notice"], r["detail"])
            for r in ctx.query(TOLD_SQL, [today.isoformat()])]
    return items, told


def staff_round(ctx: NotifierContext) -> RoundReport:
    """One round of telling staff (ROUNDS of kokemusvirta/notify/service.py)."""
    report = RoundReport("staff")
    now = ctx.clock()
    rules = load_rules(ctx.settings.notify_rules_path)
    registry = organisations(ctx.settings)
    try:
        items, told = read_store(ctx, finnish_date(now))
    except StoreMissing:
        report.add("no_store")
        return report
    planned = plan(items, told, rules, registry, now)
    if planned.waiting:  # scopes only: which registry entries lack an address
        report.add("waiting_for_an_address", len(planned.waiting))
        log.info("no address in the registry for %s", ", ".join(planned.waiting))
    for notice in planned.notices:
        _tell(ctx, notice, now, report)
    return report


def _tell(ctx: NotifierContext, notice: Notice, now: datetime, report: RoundReport) -> None:
    if notice.escalation is not None and ctx.ledger.claim(f"{notice.key}|escalated", now):
        e = notice.escalation
        _publish(ctx, f"{notice.key}|escalated", now, [ItemEscalated(
            **_envelope(notice, e.item_id, "escalated", now), reason=e.reason)])
        report.add("escalated")
    settled = True
    for recipient in notice.recipients:
        settled &= _mail(ctx, notice, recipient.scope, recipient.address, now, report)
    if not settled or not ctx.ledger.claim(notice.key, now):
        return
    told = [r.scope for r in notice.recipients
            if (entry := ctx.ledger.get(f"{notice.key}|{r.scope}")) and entry.status == SENT]
    _publish(ctx, notice.key, now, [ItemStaffNotified(
        **_envelope(notice, item_id, "staff_notified", now), notice=StaffNotice(notice.kind),
        recipients=tuple(told), channel="email", deadline=notice.deadline,
        detail=notice.detail) for item_id in (notice.item_ids if told else ())],
        status=SENT if told else BOUNCED)
    report.add(f"{notice.kind}_told" if told else f"{notice.kind}_told_nobody")


def _publish(ctx: NotifierContext, key: str, now: datetime,
             events: list[ItemEscalated] | list[ItemStaffNotified], status: str = SENT) -> None:
    """Ask for these steps, then mark the key done. If the broker does not take them, the key
    waits for the next round, which asks again: the same event ids, so a request that did
    arrive is not applied twice (the guard knows its event id)."""
    try:
        for event in events:
            ctx.publisher.publish(event)
    except Exception:
        ctx.ledger.record(key, RETRY, 1, now=now)
        raise
    ctx.ledger.record(key, status, 1, now=now)


def _mail(ctx: NotifierContext, notice: Notice, scope: str, address: str, now: datetime,
          report: RoundReport) -> bool:
    """Send the notice to one recipient once; False while it waits for a retry."""
    key = f"{notice.key}|{scope}"
    entry = ctx.ledger.get(key)
    if entry is not None and entry.status != RETRY:
        return True  # sent or refused in an earlier round, or claimed by a crashed one
    if not ctx.ledger.claim(key, now):
        return False  # a retry not due yet
    attempt = (entry.attempt if entry else 0) + 1
    try:
        ctx.send(Mail(to=address, subject=notice.letter.subject, text=notice.letter.body,
                      language=notice.letter.language))
    except MailBounced:
        ctx.ledger.record(key, BOUNCED, attempt, now=now)
        report.add("bounced")
        return True
    except MailDeferred:
        ctx.ledger.record(key, RETRY, attempt, now + BACKOFF[min(attempt, len(BACKOFF)) - 1],
                          now=now)
        report.add("deferred")
        return False
    ctx.ledger.record(key, SENT, attempt, now=now)
    report.add("mails_sent")
    return True


def _envelope(notice: Notice, item_id: str, step: str, now: datetime) -> dict[str, Any]:
    return {"event_id": uuid.uuid5(NAMESPACE, f"{notice.key}|{step}|{item_id}"),
            "occurred_at": now, "recorded_at": now, "county": notice.county,
            "unit": notice.unit, "item_id": item_id, "actor_role": ActorRole.SYSTEM}


def summary_line(store: Path) -> str:
    """What staff were told, for a summary (the demo's): notices by kind, with the items they
    told of, and the system's escalations, from the store."""
    _, rows = run(store, "select notice, count(distinct item_id) from staff_notifications "
                         "group by notice")
    told = dict(rows)
    _, (escalations,) = run(store, "select count(*) from lifecycle where step = 'escalated' "
                                   "and actor_role = 'system'")
    kinds = ", ".join(f"{kind} {told.get(kind, 0)}" for kind in NOTICES)
    return (f"henkilöstölle ilmoitettu (staff told), items by notice: {kinds}; "
            f"automaattisesti siirretty johdolle (escalated by the system) {escalations[0]}")

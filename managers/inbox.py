"""A unit manager's inbox: which routed items are still open, in what order, how close to their
deadline. Pure: the command reads the routed topic and the store and passes the rows in.

Open means: not yet returned and not closed. A decided item stays open because the answer still
owes its way back to the client (return within 14 days of the decision); once the answer is
returned, what is left (closing) has no deadline and is bookkeeping, so returned items leave the
inbox (`--all` shows them, and closed ones, too).

Deadlines (settings.deadlines, docs/design.md §2.7 defaults, counted as the store's views do,
schemas/deadlines.py): acknowledge within 3 Finnish working days of receipt; decide (or
answer) within 30 days of receipt; return within 14 days of the decision, and by the 30th day
after receipt when the client asked for a reply and gave a contact. How far an item is from its
deadline, or past it, is counted in working days. An item whose days fall outside the years of
the store's working-day calendar (sinks/calendar.py; a store may hold a time of 9999 or 1900)
shows no deadline ("–"), as the store's views show none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from managers.requests import STEP_FI
from schemas.deadlines import (
    Deadlines,
    add_working_days,
    calendar_deadline,
    finnish_date,
    working_days_between,
)
from schemas.knowledge import ItemForwarded
from schemas.taxonomy import Severity, Theme
from schemas.vocabulary import SEVERITIES, STANCES, THEMES
from sinks.calendar_years import FIRST_YEAR, LAST_YEAR

CLOSED_FOR_INBOX = frozenset({"returned", "closed"})
NOT_ACKNOWLEDGED = frozenset({"received", "classified", "routed"})
UNDECIDED = frozenset({"acknowledged", "escalated", "acknowledged_by_leadership", "presented"})
DEFAULTS = Deadlines()
NEXT_STEP_FI = {"acknowledged": "kuittaus (acknowledge)", "decided": "päätös (decide)",
                "returned": "palautus (return)"}


@dataclass(frozen=True)
class InboxItem:
    item_id: str
    source_family: str
    received_at: datetime
    themes: tuple[str, ...]
    stance: str
    severity: str
    immediate_attention: bool
    text: str
    status: str = "unknown"  # the store's status; unknown when the store has not got the item
    decided_at: datetime | None = None
    reply_owed: bool = False  # the client asked for a reply and gave a contact
    # critical, and no person has confirmed or down-graded it yet (kokemusvirta confirm)
    confirmation_waiting: bool = False


@dataclass(frozen=True)
class Due:
    next_step: str  # acknowledged | decided | returned
    on: date
    working_days_left: int  # negative: overdue by that many working days

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0


def from_forwarded(message: ItemForwarded) -> InboxItem:
    """An inbox row from the routed topic alone. The routed copy carries no receipt time, so the
    time it was routed stands in until the store says when the item was received."""
    c = message.classification
    return InboxItem(
        item_id=message.item_id, source_family=message.item.source_family.value,
        received_at=message.occurred_at, themes=tuple(t.value for t in c.themes),
        stance=c.stance.value, severity=c.severity.value,
        immediate_attention=message.route.immediate_attention, text=message.item.text,
        reply_owed=message.item.reply_requested and message.item.contact_given,
    )


def with_store(item: InboxItem, status: str, received_at: datetime | None,
               decided_at: datetime | None) -> InboxItem:
    return replace(item, status=status, received_at=received_at or item.received_at,
                   decided_at=decided_at)


def with_labels(item: InboxItem, themes: tuple[str, ...], stance: str, severity: str,
                confirmation_waiting: bool) -> InboxItem:
    """The labels that count (a person's where given, the store's item_labels) in place of the
    routed copy's, which are the classifier's."""
    return replace(item, themes=themes, stance=stance, severity=severity,
                   confirmation_waiting=confirmation_waiting)


def is_open(status: str) -> bool:
    return status not in CLOSED_FOR_INBOX


def in_calendar(day: date) -> bool:
    """Whether the day has a working-day count: inside the years of the store's working-day
    calendar (sinks/calendar.py), outside which its views show no due date either."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def calendar_day(moment: datetime) -> date | None:
    """The Finnish day of a stored time when it has a working-day count, else None: a store
    may hold any time (9999-12-31 23:59:59 UTC is year 10000 in Finland, which Python's dates
    do not reach; counting working days from 1900 would take a second per item)."""
    try:
        day = finnish_date(moment)
    except OverflowError:
        return None
    return day if in_calendar(day) else None


def due(item: InboxItem, today: date, deadlines: Deadlines = DEFAULTS) -> Due | None:
    """The next deadline of an open item; None when none applies, the status is unknown, or a
    day it counts from or to is outside the working-day calendar (see `calendar_day`)."""
    received = calendar_day(item.received_at)
    if received is None or not in_calendar(today):
        return None
    if item.status in NOT_ACKNOWLEDGED:
        step, on = "acknowledged", add_working_days(received, deadlines.acknowledge_working_days)
    elif item.status in UNDECIDED:
        step, on = "decided", calendar_deadline(received, deadlines.decide_days)
    elif item.status == "decided" and item.decided_at is not None:
        decided = calendar_day(item.decided_at)
        if decided is None:
            return None
        step, on = "returned", calendar_deadline(decided, deadlines.return_days_after_decision)
        if item.reply_owed:
            on = min(on, calendar_deadline(received, deadlines.reply_days))
    else:
        return None
    if not in_calendar(on):
        return None
    return Due(step, on, working_days_between(today, on))


def received_text(moment: datetime) -> str:
    """The Finnish day of receipt as YYYY-MM-DD; a time with no Finnish day in Python's range as
    the store holds it."""
    try:
        return finnish_date(moment).isoformat()
    except OverflowError:
        return moment.isoformat()


def inbox_order(items: Iterable[InboxItem]) -> list[InboxItem]:
    """Most severe first (critical > high > medium > low > none), newest first within a
    severity; the item id settles ties so the order is stable."""
    by_id = sorted(items, key=lambda i: i.item_id)
    by_time = sorted(by_id, key=lambda i: i.received_at, reverse=True)
    return sorted(by_time, key=lambda i: Severity(i.severity).rank, reverse=True)


def open_items(items: Iterable[InboxItem], include_all: bool = False) -> list[InboxItem]:
    return inbox_order(i for i in items if include_all or is_open(i.status))


def themes_fi(themes: Iterable[str]) -> str:
    return ", ".join(THEMES[Theme(t)]["fi"] for t in themes) or "–"


def deadline_text(d: Due | None) -> str:
    if d is None:
        return "–"
    head = f"{NEXT_STEP_FI[d.next_step]} {d.on:%Y-%m-%d}"
    if d.overdue:
        return f"{head}: myöhässä (overdue) {-d.working_days_left} työpv"
    if d.working_days_left == 0:
        return f"{head}: tänään (today)"
    return f"{head}: {d.working_days_left} työpv jäljellä (left)"


def short(text: str, width: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


TABLE_COLUMNS = ["vakavuus (severity)", "saapui (received)", "kohde (item)", "tila (status)",
                 "teemat (themes)", "laatu (stance)", "määräaika (deadline)", "teksti (text)"]


def table_rows(items: Iterable[InboxItem], today: date,
               deadlines: Deadlines = DEFAULTS) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for i in items:
        severity = SEVERITIES[i.severity]["fi"] + (" !" if i.immediate_attention else "") \
            + (" ?" if i.confirmation_waiting else "")  # ? : waits for a person's confirmation
        rows.append((
            severity, received_text(i.received_at), i.item_id,
            STEP_FI.get(i.status, i.status).split(" (")[0], themes_fi(i.themes),
            STANCES[i.stance]["fi"], deadline_text(due(i, today, deadlines)), short(i.text),
        ))
    return rows


def json_rows(items: Iterable[InboxItem], today: date,
              deadlines: Deadlines = DEFAULTS) -> list[dict[str, Any]]:
    out = []
    for i in items:
        d = due(i, today, deadlines)
        out.append({
            "item_id": i.item_id, "source_family": i.source_family,
            "received_at": i.received_at.isoformat(), "status": i.status,
            "severity": i.severity, "immediate_attention": i.immediate_attention,
            "confirmation_waiting": i.confirmation_waiting,
            "stance": i.stance, "themes": list(i.themes),
            "themes_fi": [THEMES[Theme(t)]["fi"] for t in i.themes],
            "next_step": d.next_step if d else None,
            "due": d.on.isoformat() if d else None,
            "working_days_left": d.working_days_left if d else None,
            "overdue": d.overdue if d else None,
            "text": i.text,
        })
    return out

"""Telling staff: which notices are due now. Pure planning: the round (staff_round.py) reads
the store, passes the open items, the notices already given and `now` in, and sends what this
returns. docs/design.md §2.7 (deadlines); the rules are the county's (staff_rules.py).

What is due, once each (the notice's `key`; the ledger holds it across restarts and the store's
`staff_notifications` across ledgers):

- **critical**: an open item whose severity is critical (the person's label where one exists;
  also while only suspected) → its unit's managers and, unless the rules say otherwise, the
  service area's leadership, at once. Once per item.
- **reminder**: on a working day at most N working days before an unmet deadline to
  acknowledge or to reply to the client (N from the rules) → the unit's managers. Once per item,
  deadline and due date. A deadline already past gets no reminder: it escalates or shows in
  the digest.
- **escalation**: the deadline to acknowledge passed (by the rules' working days, counted from
  the first working day after the due date) with no acknowledgement and no escalation → an
  automatic `item.escalated` by the system, the reason in Finnish with the due date, and a
  notice to the leadership. Once per item (the lifecycle allows one escalation).
- **digest**: from the rules' hour (Finnish time), on working days unless the rules say
  otherwise, one e-mail per unit and day listing its open items, critical first, then by the
  earliest unmet deadline. Recorded as one `item.staff_notified` per listed item, so an item's
  own trail (`kokemusvirta trace`) shows each day its unit was told of it; a single event per
  unit would be cheaper but would name the items only in its detail, where the audit cannot
  follow them.

Items received more than the rules' `backlog_days` ago get none of the first three (the digest
lists them): a notifier started on a store with a history does not mail its backlog at once.

An item without a unit belongs to its area's leadership: its notices go there. A recipient
without an address in the registry is not told; the notice waits (a later round, once the
registry has the address, sends it) and the round reports how many waited, by scope only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from kokemusvirta.notify.staff_rules import StaffRules
from kokemusvirta.notify.staff_texts import ItemLines, Letter, finnish_day, letter
from schemas.access import Requester, RequesterRole
from schemas.deadlines import FINNISH_TIME, finnish_date, is_working_day, working_days_between
from schemas.organisations import OrganisationRegistry

NOTICES = ("critical", "reminder", "escalation", "digest")
REMINDED_DEADLINES = ("acknowledge", "reply_to_client")


@dataclass(frozen=True)
class Obligation:
    """A deadline the item has not met yet (a row of the store's open_obligations)."""

    deadline: str  # acknowledge | decide_or_answer | return_after_decision | reply_to_client
    due_on: date


@dataclass(frozen=True)
class OpenItem:
    """A client knowledge item not yet returned nor closed, as the store has it."""

    item_id: str
    county: str
    service_area: str
    unit: str | None
    themes: tuple[str, ...]
    severity: str | None  # the label that counts: a person's where one exists
    critical_suspected: bool
    acknowledged: bool
    escalated: bool
    obligations: tuple[Obligation, ...] = ()
    received_on: date | None = None  # the Finnish day of receipt

    def due(self, deadline: str) -> date | None:
        return next((o.due_on for o in self.obligations if o.deadline == deadline), None)

    @property
    def critical(self) -> bool:
        return self.severity == "critical"


@dataclass(frozen=True)
class Told:
    """A notice already given about an item (a row of staff_notifications)."""

    item_id: str
    notice: str
    detail: str


@dataclass(frozen=True)
class Recipient:
    scope: str  # role and scope, as "unit.lappi.rovaniemen-terveysasema": never an address
    address: str


@dataclass(frozen=True)
class Escalation:
    """The automatic step: `item.escalated` by the system."""

    item_id: str
    county: str
    unit: str | None
    reason: str


@dataclass(frozen=True)
class Notice:
    kind: str  # one of NOTICES
    key: str  # what makes it once: the ledger's key
    county: str
    unit: str | None
    item_ids: tuple[str, ...]  # the items it tells of (a digest: every item it lists)
    recipients: tuple[Recipient, ...]
    deadline: date | None  # the due date it is about
    detail: str  # what, once: the deadline's name, critical(_suspected), the digest's day
    letter: Letter
    escalation: Escalation | None = None


@dataclass(frozen=True)
class Plan:
    notices: tuple[Notice, ...]
    waiting: tuple[str, ...]  # scopes with no address: their notices wait


def plan(items: Iterable[OpenItem], told: Iterable[Told], rules: StaffRules,
         registry: OrganisationRegistry, now: datetime) -> Plan:
    """The notices due at `now` (an aware time) for these open items."""
    items = sorted(items, key=lambda i: i.item_id)
    told = list(told)
    given = {(t.item_id, t.notice, t.detail) for t in told}
    given_once = {(t.item_id, t.notice) for t in told}  # critical and escalation: once an item
    today = finnish_date(now)
    p = _Planner(rules, registry, today)
    for item in items:
        if rules.backlog_days is not None and item.received_on is not None \
                and (today - item.received_on).days > rules.backlog_days:
            continue  # the backlog: only the digest lists it
        if item.critical:
            detail = "critical_suspected" if item.critical_suspected else "critical"
            if (item.item_id, "critical") not in given_once:
                p.single("critical", item, detail, None, leadership=rules.critical_to_leadership,
                         unit=True)
        ack_due = item.due("acknowledge")
        if ack_due is not None and _overdue(rules, ack_due, today) and not item.acknowledged \
                and not item.escalated and item.unit is not None \
                and (item.item_id, "escalation") not in given_once:
            p.single("escalation", item, "acknowledge", "acknowledge", leadership=True,
                     unit=False, escalate=True)
        for deadline in REMINDED_DEADLINES:
            due = item.due(deadline)
            if due is None or (deadline == "acknowledge" and item.escalated):
                continue
            detail = f"{deadline}:{due.isoformat()}"
            if _remind(rules, deadline, due, today) and (item.item_id, "reminder", detail) \
                    not in given:
                p.single("reminder", item, detail, deadline, leadership=False, unit=True)
    if _digest_time(rules, now):
        p.digests(items, given)
    return Plan(tuple(p.notices), tuple(sorted(p.waiting)))


def _overdue(rules: StaffRules, due: date, today: date) -> bool:
    """The deadline to acknowledge passed by the rules' grace: the first working day after the
    due date counts 1."""
    return rules.escalate_when_acknowledge_overdue and today > due and \
        working_days_between(due, today) >= rules.escalate_after_working_days + 1


def _remind(rules: StaffRules, deadline: str, due: date, today: date) -> bool:
    before = (rules.remind_before_acknowledge_working_days if deadline == "acknowledge"
              else rules.remind_before_reply_working_days)
    return before is not None and is_working_day(today) and today <= due and \
        working_days_between(today, due) <= before


def _digest_time(rules: StaffRules, now: datetime) -> bool:
    local = now.astimezone(FINNISH_TIME)
    return local.hour >= rules.digest_hour and (
        not rules.digest_on_working_days_only or is_working_day(local.date()))


def escalation_reason(due: date, today: date) -> str:
    """The automatic escalation's reason, in Finnish (the lifecycle's words are Finnish)."""
    late = working_days_between(due, today)
    return (f"Kuittauksen määräaika {finnish_day(due)} umpeutui ilman kuittausta "
            f"({late} työpäivää myöhässä): automaattinen siirto palvelualuejohdolle.")


class _Planner:
    def __init__(self, rules: StaffRules, registry: OrganisationRegistry, today: date) -> None:
        self.rules, self.registry, self.today = rules, registry, today
        self.notices: list[Notice] = []
        self.waiting: set[str] = set()

    def _recipients(self, item: OpenItem, *, unit: bool, leadership: bool) -> list[Recipient]:
        wanted: list[tuple[Requester, str | None]] = []
        area = self.registry.service_area(item.county, item.service_area)
        if unit and item.unit is not None:
            known = self.registry.unit(item.county, item.unit)
            wanted.append((Requester(RequesterRole.UNIT, item.county, item.unit),
                           known.email if known else None))
        if leadership or item.unit is None:  # an item of no unit is its leadership's
            wanted.append((Requester(RequesterRole.LEADERSHIP, item.county, item.service_area),
                           area.email if area else None))
        found = []
        for requester, address in wanted:
            scope = f"{requester.role.value}.{requester.scope}"
            if address:
                found.append(Recipient(scope, address))
            else:
                self.waiting.add(scope)
        return found

    def _letter(self, kind: str, item: OpenItem, items: Sequence[ItemLines]) -> Letter:
        unit = self.registry.unit(item.county, item.unit) if item.unit else None
        area = self.registry.service_area(item.county, item.service_area)
        area_names = area.names if area else None
        names = unit.names if unit else area_names
        languages = unit.languages if unit else ()
        scope = f"{item.county}.{item.unit or item.service_area}"

        def words(n: object, code: str) -> dict[str, str]:
            return {lang: getattr(n, lang) if n else code for lang in ("fi", "sv")}

        return letter(kind, languages, unit_names=words(names, item.unit or item.service_area),
                      area_names=words(area_names, item.service_area), scope=scope,
                      items=items, day=self.today)

    def _lines(self, item: OpenItem, deadline: str | None) -> ItemLines:
        if deadline is None:  # the item's most pressing unmet deadline
            first = min(item.obligations, key=lambda o: o.due_on, default=None)
            deadline = first.deadline if first else None
        due = item.due(deadline) if deadline else None
        left = working_days_between(self.today, due) if due else None
        return ItemLines(item.item_id, item.themes, item.severity, item.critical_suspected,
                         deadline, due, left)

    def single(self, kind: str, item: OpenItem, detail: str, deadline: str | None, *,
               leadership: bool, unit: bool, escalate: bool = False) -> None:
        recipients = self._recipients(item, unit=unit, leadership=leadership)
        due = item.due(deadline) if deadline else None
        escalation = (Escalation(item.item_id, item.county, item.unit,
                                 escalation_reason(due, self.today))
                      if escalate and due is not None else None)
        if not recipients and escalation is None:
            return  # nobody to tell yet: a later round, once an address is known
        lines = self._lines(item, deadline)
        self.notices.append(Notice(
            kind, f"staff:{kind}:{item.item_id}:{detail}", item.county, item.unit,
            (item.item_id,), tuple(recipients), due, detail,
            self._letter(kind, item, [lines]), escalation))

    def digests(self, items: Sequence[OpenItem], given: set[tuple[str, str, str]]) -> None:
        day = self.today.isoformat()
        by_unit: dict[tuple[str, str], list[OpenItem]] = {}
        for item in items:
            if item.unit is not None:
                by_unit.setdefault((item.county, item.unit), []).append(item)
        for (county, unit), listed in sorted(by_unit.items()):
            if any((i.item_id, "digest", day) in given for i in listed):
                continue  # told today (a round before this one)
            recipients = self._recipients(listed[0], unit=True, leadership=False)
            if not recipients:
                continue
            lines = sorted((self._lines(i, None) for i in listed), key=_digest_order)
            by_id = {i.item_id: i for i in listed}
            ordered = [by_id[line.ref] for line in lines]
            self.notices.append(Notice(
                "digest", f"staff:digest:{county}.{unit}:{day}", county, unit,
                tuple(i.item_id for i in ordered), tuple(recipients), None, day,
                self._letter("digest", listed[0], lines)))


def _digest_order(line: ItemLines) -> tuple[bool, date, str]:
    """Critical first, then the earliest unmet deadline, then the reference."""
    return (line.severity != "critical", line.due_on or date.max, line.ref)

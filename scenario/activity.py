"""The demo's managers, leaders and councils at work: a deterministic plan of lifecycle requests.

`plan(items, seed, now)` decides, item by item, who acknowledges it and when, which items are
escalated, presented to a political body, decided, returned and closed, so that every metric
view has something to show: most items acknowledged in time, some late, some never; decisions
inside and outside the 30 days; returns to clients, groups, experts and in public digests.
Nothing is planned after `now`: an item whose next step would come later simply waits (open).
Pure: the same items, seed and now give the same requests (with the same event ids).

Each request is asked for by a requester (schemas/access.py): the item's unit managers, its
service area's leadership or its county's decision-makers, on their own request topic. Requests
on different topics reach the worker in no fixed order, so `waves` sends an item's steps one
wave at a time: its n-th step in wave n, once every step of wave n-1 has been judged.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from schemas.access import Requester, RequesterRole
from schemas.envelope import derived_uuid
from schemas.lifecycle import (
    ActorRole,
    ItemAcknowledged,
    ItemClosed,
    ItemDecided,
    ItemEscalated,
    ItemPresented,
    ItemReturned,
    LifecycleEvent,
    Outcome,
    ReturnedTo,
)
from sinks import reader as query

RATIONALES = {
    Outcome.ADOPTED: "Ehdotus otetaan käyttöön yksikön toimintatavoissa.",
    Outcome.PARTLY: "Osa ehdotuksesta toteutetaan; resurssit eivät riitä kaikkeen.",
    Outcome.REJECTED: "Ei toteuteta nyt: lainsäädäntö ja resurssit eivät salli.",
    Outcome.NO_ACTION_NEEDED: "Asia on jo kunnossa; ohjeistus tarkistettu henkilöstön kanssa.",
    Outcome.ALREADY_UNDER_WAY: "Korjaus on jo käynnissä osana palveluverkon uudistusta.",
}
BODIES = ("aluehallitus", "aluevaltuusto", "sosiaali- ja terveyslautakunta", "vanhusneuvosto")
CLIENT_CHANNELS = ("sähköposti", "tekstiviesti", "kirje", "puhelu")


@dataclass(frozen=True)
class PlannedItem:
    item_id: str
    county: str
    unit: str | None
    source_family: str
    stance: str | None
    severity: str | None
    routed_levels: frozenset[str]
    reply_requested: bool
    contact_given: bool
    received_at: datetime
    service_area: str | None = None


class _Plan:
    def __init__(self, item: PlannedItem, rng: random.Random, now: datetime) -> None:
        self.item, self.rng, self.now = item, rng, now
        self.at = item.received_at
        self.events: list[LifecycleEvent] = []
        self.open = True  # false once a step would fall after now

    def later(self, min_days: float, mean_days: float) -> datetime:
        return self.at + timedelta(days=min_days + self.rng.expovariate(1 / mean_days))

    def add(self, cls: type[LifecycleEvent], at: datetime, role: ActorRole,
            **fields: Any) -> bool:
        if not self.open or at > self.now:
            self.open = False
            return False
        self.at = at
        step = cls.model_fields["event_type"].default
        self.events.append(cls(
            event_id=derived_uuid("demo-activity", self.item.item_id, step, role.value),
            occurred_at=at, recorded_at=at, county=self.item.county, unit=self.item.unit,
            item_id=self.item.item_id, actor_role=role, **fields))
        return True


def plan_item(item: PlannedItem, seed: int, now: datetime) -> list[LifecycleEvent]:
    rng = random.Random(f"{seed}:{item.item_id}")
    p = _Plan(item, rng, now)
    to_leadership = bool(item.routed_levels & {"leadership", "decision_makers"})
    critical = item.severity == "critical"
    participation = item.source_family in {"workshop_output", "expert_statement"}

    if item.source_family == "aggregate":  # weekly signals: leadership looks at most of them
        if rng.random() < 0.8:
            p.add(ItemAcknowledged, p.later(0.2, 2.0), ActorRole.LEADERSHIP)
        return p.events

    leader = False
    if item.unit is not None and rng.random() < (0.97 if critical else 0.86):
        p.add(ItemAcknowledged, p.later(0.05 if critical else 0.2, 0.3 if critical else 1.6),
              ActorRole.UNIT_MANAGER)
    elif item.unit is not None:
        return p.events  # never acknowledged: overdue
    if to_leadership and rng.random() < (0.95 if critical else 0.75):
        leader = p.add(ItemAcknowledged, p.later(0.05 if critical else 0.5, 0.5 if critical
                       else 2.5), ActorRole.LEADERSHIP)
    elif not to_leadership and item.stance == "complaint" and item.severity == "medium" \
            and rng.random() < 0.12 \
            and p.add(ItemEscalated, p.later(0.5, 2.0), ActorRole.UNIT_MANAGER,
                      reason="Toistuva ongelma, vaatii palvelualueen ratkaisun."):
        leader = p.add(ItemAcknowledged, p.later(0.5, 3.0), ActorRole.LEADERSHIP)
    if not p.events:
        return p.events

    # An item of no unit has no unit managers: its service area's leadership handles it.
    manager = ActorRole.UNIT_MANAGER if item.unit is not None else ActorRole.LEADERSHIP
    if item.stance == "praise" and not participation:
        if item.reply_requested and item.contact_given and rng.random() < 0.7:
            p.add(ItemReturned, p.later(0.5, 4.0), manager,
                  returned_to=ReturnedTo.CLIENT, channel=rng.choice(CLIENT_CHANNELS),
                  no_decision_reason="Kiitos välitetty henkilökunnalle; ei päätettävää.")
            p.add(ItemClosed, p.later(0.0, 1.0), manager)
        elif rng.random() < 0.5:
            p.add(ItemClosed, p.later(0.5, 3.0), manager)
        return p.events

    if leader and participation and "decision_makers" in item.routed_levels \
            and rng.random() < 0.7:
        p.add(ItemPresented, p.later(5.0, 10.0), ActorRole.LEADERSHIP,
              body=rng.choice(BODIES), agenda_ref=f"§{rng.randint(3, 60)}/2026")
    if rng.random() > (0.8 if participation else 0.68):
        return p.events  # not decided yet
    outcome = rng.choices(list(RATIONALES), weights=(30, 25, 10, 15, 20))[0]
    role = ActorRole.LEADERSHIP if leader else manager
    if not p.add(ItemDecided, p.later(2.0, 14.0), role, outcome=outcome,
                 rationale=RATIONALES[outcome], decision_ref=f"{item.county.upper()[:3]}/"
                 f"{rng.randint(100, 999)}/2026"):
        return p.events
    if item.source_family == "workshop_output":
        to, channel = ReturnedTo.DEVELOPER_CLIENT_GROUP, "kehittäjäasiakasryhmän tapaaminen"
    elif item.source_family == "expert_statement":
        to, channel = ReturnedTo.EXPERT, "kirjallinen vastine"
    elif item.reply_requested and item.contact_given:
        to, channel = ReturnedTo.CLIENT, rng.choice(CLIENT_CHANNELS)
    else:
        to, channel = ReturnedTo.PUBLIC_DIGEST, "Sanoitte, me teimme -kooste verkossa"
    if rng.random() < (0.85 if to is not ReturnedTo.PUBLIC_DIGEST else 0.45):
        p.add(ItemReturned, p.later(0.5, 7.0), role, returned_to=to, channel=channel)
        if rng.random() < 0.85:
            p.add(ItemClosed, p.later(0.0, 2.0), role)
    return p.events


def plan(items: Iterable[PlannedItem], seed: int, now: datetime) -> list[LifecycleEvent]:
    out: list[LifecycleEvent] = []
    for item in items:
        out.extend(plan_item(item, seed, now))
    return out


@dataclass(frozen=True)
class PlannedRequest:
    requester: Requester  # who asks: the request goes to its request topic
    event: LifecycleEvent


def requester_of(item: PlannedItem, role: ActorRole) -> Requester:
    """Who takes a step of `item` in `role`: the item's unit managers, its service area's
    leadership or its county's decision-makers. ValueError if the item has no such scope."""
    if role is ActorRole.UNIT_MANAGER:
        return Requester(RequesterRole.UNIT, item.county, item.unit)
    if role is ActorRole.LEADERSHIP:
        return Requester(RequesterRole.LEADERSHIP, item.county, item.service_area)
    if role is ActorRole.DECISION_MAKER:
        return Requester(RequesterRole.DECISION_MAKERS, item.county)
    raise ValueError(f"no requester acts as {role.value}")


def waves(items: Iterable[PlannedItem], seed: int, now: datetime) -> list[list[PlannedRequest]]:
    """The plan with its requesters, in waves: wave n holds every item's n-th step."""
    out: list[list[PlannedRequest]] = []
    for item in items:
        for n, event in enumerate(plan_item(item, seed, now)):
            if n == len(out):
                out.append([])
            out[n].append(PlannedRequest(requester_of(item, event.actor_role), event))
    return out


def items_in_store(store: Path, source_family: str | None = None) -> list[PlannedItem]:
    """The store's items (all of them: requests already applied are recognised by their
    deterministic event ids and skipped by the worker, so planning again is harmless)."""
    family = f"where source_family = '{source_family}'" if source_family else ""
    _, rows = query.run(store, f"""
        select k.item_id, k.county, k.unit, k.source_family, k.stance, k.severity,
               list_transform(k.routed_topics, t -> CASE
                   WHEN t LIKE '%routed.unit.%' THEN 'unit'
                   WHEN t LIKE '%routed.leadership.%' THEN 'leadership'
                   ELSE 'decision_makers' END) as levels,
               k.reply_requested, k.contact_given, k.received_at, k.service_area
        from knowledge_items k
        {family}
        order by k.received_at, k.item_id""")
    return [
        PlannedItem(item_id=r[0], county=r[1], unit=r[2], source_family=r[3], stance=r[4],
                    severity=r[5], routed_levels=frozenset(r[6] or ()),
                    reply_requested=r[7], contact_given=r[8], received_at=r[9],
                    service_area=r[10])
        for r in rows
    ]

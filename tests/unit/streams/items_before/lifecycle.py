# A copy of streams/lifecycle.py at commit 100b36b, before issue 13 made items, routing and the
# lifecycle fold cheaper (see __init__.py); only its imports differ.
"""The lifecycle state machine of one knowledge item (docs/design.md §2.5): pure, no I/O.

    received → classified → routed → acknowledged → (escalated → acknowledged by leadership)
    → (presented) → decided → returned → closed

Steps may be skipped where they make no sense (a thank-you needs no decision), never repeated or
reordered. `apply(state, event)` returns the new state or raises `IllegalTransition` with a
reason a manager can act on; the worker rejects such an event to the dead-letter topic and never
applies it. The rules, in order of checking:

1. The first event of an item is `received`; nothing can happen to an unknown item.
2. An event belongs to its item's county.
3. received, classified and routed are the system's, in that order, each once; every later step
   is a person's (a role, never a name) and the system cannot take it.
4. Each step comes after the item's current step in the order above: never repeated, never
   reordered; a person's step is not timed (`occurred_at`) earlier than the item's receipt or
   the previous person's step.
5. A person's step needs the item routed, and every step after acknowledgement needs the item
   acknowledged first (an acknowledgement by leadership counts).
6. Leadership acknowledges an item that was escalated, or routed to leadership or above.
7. Presenting to decision-makers needs the item to have reached leadership (acknowledged by
   leadership or a decision-maker) or to have been routed to decision-makers.
8. An item returned without a decision says why (`no_decision_reason`).

A person's word on the labels is a side step (`LABEL_STEPS`): it moves no stage and no
milestone, so it never blocks or counts for the item's handling. Checked by rules 1-3, and:

9. A label step needs the item classified, and is not timed earlier than the item's receipt or
   the previous person's step; it may come at any stage after that, also once the item is closed
   (a correction is data about the item, not a step in handling it).
10. `severity_confirmed` is allowed while the item's severity (the classifier's, or a person's
    since) is critical, once: a second confirmation, or one after a down-grade, is refused (a
    person changes the severity again with `relabelled`). `relabelled` may come again and
    again: the last word on each label counts.

The notifier's side steps (`NOTIFIER_STEPS`, kokemusvirta/notify/) are the system's and move no
stage either; the guard takes them only from the notifier's request topic (streams/guard.py):

11. `reply_delivery` delivers one `returned` (returned_to client) of the item, which it names
    (`returned_event_id`); `staff_notified` needs the item routed (there is someone to tell).
12. The system escalates (`escalated` with actor_role system: the acknowledge deadline passed)
    only an item routed and not yet acknowledged; leadership acknowledges it then, as after a
    person's escalation.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from datetime import datetime
from enum import IntEnum
from typing import Any

from schemas.knowledge import RecipientLevel
from schemas.lifecycle import (
    ActorRole,
    ItemClassified,
    ItemReceived,
    ItemRelabelled,
    ItemReplyDelivery,
    ItemReturned,
    ItemRouted,
    ItemSeverityConfirmed,
    LifecycleEvent,
    ReturnedTo,
)
from schemas.taxonomy import Severity
from schemas.vocabulary import STEPS


class Stage(IntEnum):
    """The order of the lifecycle; an item's stage is the latest step it has reached."""

    RECEIVED = 0
    CLASSIFIED = 1
    ROUTED = 2
    ACKNOWLEDGED = 3
    ESCALATED = 4
    LEADERSHIP_ACKNOWLEDGED = 5
    PRESENTED = 6
    DECIDED = 7
    RETURNED = 8
    CLOSED = 9


SYSTEM_STAGES = {Stage.RECEIVED, Stage.CLASSIFIED, Stage.ROUTED}
# A person's word on the item's labels: side steps beside the stages (rules 9 and 10).
LABEL_STEPS = frozenset({"severity_confirmed", "relabelled"})
# The notifier's side steps: the system's, beside the stages too (rule 11).
NOTIFIER_STEPS = frozenset({"reply_delivery", "staff_notified"})
LEADERSHIP_ROLES = {ActorRole.LEADERSHIP, ActorRole.DECISION_MAKER}
_BY_STEP = {
    "received": Stage.RECEIVED, "classified": Stage.CLASSIFIED, "routed": Stage.ROUTED,
    "acknowledged": Stage.ACKNOWLEDGED, "escalated": Stage.ESCALATED,
    "presented": Stage.PRESENTED, "decided": Stage.DECIDED, "returned": Stage.RETURNED,
    "closed": Stage.CLOSED,
}
# A stage in words (schemas/vocabulary.py), as a manager reads it in a refusal.
STAGE_LABELS_FI = {stage: STEPS[step]["fi"] for step, stage in _BY_STEP.items()} | {
    Stage.LEADERSHIP_ACKNOWLEDGED: STEPS["acknowledged_by_leadership"]["fi"]}


class IllegalTransition(ValueError):
    """The event would take the item somewhere the lifecycle does not allow."""


def stage_of(step: str, actor_role: ActorRole) -> Stage:
    """The stage one event moves its item to: an acknowledgement by leadership or a
    decision-maker is `LEADERSHIP_ACKNOWLEDGED`."""
    stage = _BY_STEP[step]
    if stage is Stage.ACKNOWLEDGED and actor_role in LEADERSHIP_ROLES:
        return Stage.LEADERSHIP_ACKNOWLEDGED
    return stage


_SHARED_LEVELS: dict[frozenset[str], frozenset[str]] = {}


@dataclass(frozen=True, slots=True)
class ItemState:
    """What the worker remembers of an item to judge its next step (a Faust table value).
    A worker holds one per item of its partitions, so the values millions of items share
    (county, unit, service area, severity, routed levels) are kept once (__post_init__), and
    slots save each state a __dict__: 1,236 → about 700 bytes an item, measured (issue 13)."""

    item_id: str
    county: str
    stage: Stage
    last_occurred_at: datetime  # of receipt or the latest person's step
    last_hash: str | None
    routed_levels: frozenset[str] = frozenset()
    acknowledged: bool = False
    reached_leadership: bool = False
    decided: bool = False
    event_ids: tuple[str, ...] = ()
    # Where the item belongs, from its receipt: the guard checks a requester's scope against
    # them (streams/guard.py). None in states saved before they were kept, and unit for an item
    # of no unit.
    unit: str | None = None
    service_area: str | None = None
    # The item's severity as the guard judges a confirmation by: the classifier's, then a
    # person's (a down-grade or a relabelling); None before classification (and in states saved
    # before it was kept). severity_confirmed: a person confirmed or down-graded it once.
    severity: str | None = None
    severity_confirmed: bool = False
    # The event ids of the item's returns to its client, which a reply_delivery names (rule 11);
    # () in states saved before they were kept.
    returned_to_client: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("county", "unit", "service_area", "severity"):
            value = getattr(self, name)
            if type(value) is str:  # an enum member is one object already
                object.__setattr__(self, name, sys.intern(value))
        levels = _SHARED_LEVELS.get(self.routed_levels)
        if levels is None and len(_SHARED_LEVELS) < 256:  # a few levels, so a few sets
            levels = _SHARED_LEVELS.setdefault(self.routed_levels, self.routed_levels)
        if levels is not None:
            object.__setattr__(self, "routed_levels", levels)

    def has_applied(self, event_id: str) -> bool:
        return event_id in self.event_ids

    def to_json(self) -> str:
        return json.dumps({
            "item_id": self.item_id, "county": self.county, "stage": int(self.stage),
            "last_occurred_at": self.last_occurred_at.isoformat(), "last_hash": self.last_hash,
            "routed_levels": sorted(self.routed_levels), "acknowledged": self.acknowledged,
            "reached_leadership": self.reached_leadership, "decided": self.decided,
            "event_ids": list(self.event_ids), "unit": self.unit,
            "service_area": self.service_area, "severity": self.severity,
            "severity_confirmed": self.severity_confirmed,
            "returned_to_client": list(self.returned_to_client),
        })

    @classmethod
    def from_json(cls, raw: str | bytes) -> ItemState:
        d: dict[str, Any] = json.loads(raw)
        return cls(
            item_id=d["item_id"], county=d["county"], stage=Stage(d["stage"]),
            last_occurred_at=datetime.fromisoformat(d["last_occurred_at"]),
            last_hash=d["last_hash"], routed_levels=frozenset(d["routed_levels"]),
            acknowledged=d["acknowledged"], reached_leadership=d["reached_leadership"],
            decided=d["decided"], event_ids=tuple(d["event_ids"]),
            unit=d.get("unit"), service_area=d.get("service_area"),
            severity=d.get("severity"), severity_confirmed=d.get("severity_confirmed", False),
            returned_to_client=tuple(d.get("returned_to_client", ())),
        )


# Members as constants: a member looked up on its enum is a descriptor call (apply is the
# guard's fold, three times a source event).
_RECEIVED, _ROUTED, _ACKNOWLEDGED, _ESCALATED, _PRESENTED, _DECIDED = (
    Stage.RECEIVED, Stage.ROUTED, Stage.ACKNOWLEDGED, Stage.ESCALATED, Stage.PRESENTED,
    Stage.DECIDED)
_LEADERSHIP_ACKNOWLEDGED, _SYSTEM, _TO_CLIENT = (
    Stage.LEADERSHIP_ACKNOWLEDGED, ActorRole.SYSTEM, ReturnedTo.CLIENT)
_ACKNOWLEDGING = frozenset({Stage.ACKNOWLEDGED, Stage.LEADERSHIP_ACKNOWLEDGED})
_DECISION_MAKERS = RecipientLevel.DECISION_MAKERS.value
_LEADERSHIP_LEVELS = frozenset({RecipientLevel.LEADERSHIP.value, _DECISION_MAKERS})


def apply(state: ItemState | None, event: LifecycleEvent) -> ItemState:
    """The item's state after `event`, or IllegalTransition saying why not."""
    step = event.event_type.removeprefix("item.")
    role = event.actor_role
    if step in LABEL_STEPS:
        return _apply_label_step(state, event, step)
    if step in NOTIFIER_STEPS:
        return _apply_notifier_step(state, event, step)
    stage = stage_of(step, role)
    label = STAGE_LABELS_FI[stage]

    if state is None:
        if stage is not _RECEIVED:
            raise IllegalTransition(
                f"tuntematon asia (unknown item) {event.item_id}: no received event before "
                f"{step}")
        if role is not _SYSTEM:
            raise IllegalTransition("received is the system's step, not a person's")
        item = getattr(event, "item", None) if isinstance(event, ItemReceived) else None
        return ItemState(
            item_id=str(event.item_id), county=event.county, stage=_RECEIVED,
            last_occurred_at=event.occurred_at, last_hash=event.chain_hash,
            event_ids=(str(event.event_id),),
            unit=item.unit if item is not None else event.unit,
            service_area=item.service_area if item is not None else None,
        )

    if event.county != state.county:
        raise IllegalTransition(
            f"county {event.county} is not the item's county {state.county}")
    if stage in SYSTEM_STAGES and role is not _SYSTEM:
        raise IllegalTransition(f"{step} is the system's step, not a person's")
    system_escalation = stage is _ESCALATED and role is _SYSTEM
    if stage not in SYSTEM_STAGES and role is _SYSTEM and not system_escalation:
        raise IllegalTransition(f"{step} is a person's step; the system cannot take it")
    if system_escalation and (state.stage is not _ROUTED or state.acknowledged):
        raise IllegalTransition(
            "the system escalates only an item routed and not yet acknowledged (its "
            f"acknowledge deadline passed); the item is already {STAGE_LABELS_FI[state.stage]} "
            f"({state.stage.name.lower()})")
    if stage <= state.stage:
        current = STAGE_LABELS_FI[state.stage]
        what = "repeated" if stage == state.stage else "out of order"
        raise IllegalTransition(
            f"{label} ({step}) {what}: the item is already {current} "
            f"({state.stage.name.lower()}); steps are never repeated or reordered")
    if stage in SYSTEM_STAGES and stage != state.stage + 1:
        raise IllegalTransition(f"{step} before {Stage(stage - 1).name.lower()}")
    if stage not in SYSTEM_STAGES and event.occurred_at < state.last_occurred_at:
        raise IllegalTransition(
            f"{step} at {event.occurred_at.isoformat()} is earlier than the item's previous "
            f"step at {state.last_occurred_at.isoformat()}")
    if stage > _ROUTED and state.stage < _ROUTED:
        raise IllegalTransition(f"{step} before the item was routed")
    if stage > _ACKNOWLEDGED and stage is not _LEADERSHIP_ACKNOWLEDGED \
            and not state.acknowledged and not system_escalation:
        raise IllegalTransition(f"{step} before anyone acknowledged the item")
    leadership_routed = bool(state.routed_levels & _LEADERSHIP_LEVELS)
    if stage is _LEADERSHIP_ACKNOWLEDGED and state.stage < _ESCALATED \
            and not leadership_routed:
        raise IllegalTransition(
            "acknowledged by leadership, but the item was neither escalated nor routed to "
            "leadership")
    if stage is _PRESENTED and not state.reached_leadership \
            and _DECISION_MAKERS not in state.routed_levels:
        raise IllegalTransition(
            "presented to decision-makers before it reached leadership (acknowledged by "
            "leadership) and it was not routed to decision-makers")
    if isinstance(event, ItemReturned) and not state.decided and not event.no_decision_reason:
        raise IllegalTransition(
            "returned without a decision: give no_decision_reason (why nothing was decided)")

    routed_levels = state.routed_levels
    if isinstance(event, ItemRouted):
        routed_levels = frozenset(r.level.value for r in event.routes)
    severity = state.severity
    classification = getattr(event, "classification", None)  # None: a bare test event
    if isinstance(event, ItemClassified) and classification is not None:
        severity = classification.severity.value
    # Built field by field (dataclasses.replace copies the same fields, at about twice the cost).
    return ItemState(
        item_id=state.item_id, county=state.county, stage=stage,
        # classified and routed happen when the worker gets to the item (a replay of old
        # feedback: years later), so a person's step is timed against receipt and people only.
        last_occurred_at=state.last_occurred_at
        if stage in SYSTEM_STAGES or system_escalation else event.occurred_at,
        last_hash=event.chain_hash,
        routed_levels=routed_levels,
        acknowledged=state.acknowledged or stage in _ACKNOWLEDGING,
        reached_leadership=state.reached_leadership or (
            stage > _ROUTED and role in LEADERSHIP_ROLES),
        decided=state.decided or stage is _DECIDED,
        event_ids=(*state.event_ids, str(event.event_id)),
        unit=state.unit, service_area=state.service_area, severity=severity,
        severity_confirmed=state.severity_confirmed,
        returned_to_client=(*state.returned_to_client, str(event.event_id))
        if isinstance(event, ItemReturned) and event.returned_to is _TO_CLIENT
        else state.returned_to_client,
    )


def _apply_notifier_step(state: ItemState | None, event: LifecycleEvent, step: str
                         ) -> ItemState:
    """Rule 11: a delivery of a return to the client, or a notice to staff; no stage moves."""
    if state is None:
        raise IllegalTransition(
            f"tuntematon asia (unknown item) {event.item_id}: no received event before {step}")
    if event.county != state.county:
        raise IllegalTransition(
            f"county {event.county} is not the item's county {state.county}")
    if event.actor_role is not ActorRole.SYSTEM:
        raise IllegalTransition(f"{step} is the system's (the notifier's) step, not a person's")
    if isinstance(event, ItemReplyDelivery) \
            and str(event.returned_event_id) not in state.returned_to_client:
        raise IllegalTransition(
            f"reply_delivery of {event.returned_event_id}, which is no return of the item to "
            "its client: an answer is delivered only after the item was returned to the client")
    if step == "staff_notified" and state.stage < Stage.ROUTED:
        raise IllegalTransition("staff_notified before the item was routed")
    return replace(state, last_hash=event.chain_hash,
                   event_ids=(*state.event_ids, str(event.event_id)))


def _apply_label_step(state: ItemState | None, event: LifecycleEvent, step: str) -> ItemState:
    """Rules 9 and 10: a person's confirmation or relabelling; the stage stays where it is."""
    if state is None:
        raise IllegalTransition(
            f"tuntematon asia (unknown item) {event.item_id}: no received event before {step}")
    if event.county != state.county:
        raise IllegalTransition(
            f"county {event.county} is not the item's county {state.county}")
    if event.actor_role is ActorRole.SYSTEM:
        raise IllegalTransition(f"{step} is a person's step; the system cannot take it")
    if state.stage < Stage.CLASSIFIED or state.severity is None:
        raise IllegalTransition(f"{step} before the item was classified")
    if event.occurred_at < state.last_occurred_at:
        raise IllegalTransition(
            f"{step} at {event.occurred_at.isoformat()} is earlier than the item's previous "
            f"step at {state.last_occurred_at.isoformat()}")
    severity, confirmed = state.severity, state.severity_confirmed
    if isinstance(event, ItemSeverityConfirmed):
        if state.severity_confirmed:
            raise IllegalTransition(
                "severity_confirmed repeated: a person has already confirmed or down-graded "
                "the item's severity; a later change is a relabelling (relabelled)")
        if state.severity != Severity.CRITICAL.value:
            raise IllegalTransition(
                f"severity_confirmed, but the item is not critical (its severity is "
                f"{state.severity}): only a critical severity is confirmed or down-graded")
        severity, confirmed = event.severity.value, True
    elif isinstance(event, ItemRelabelled) and event.severity is not None:
        severity = event.severity.value
    return replace(
        state, last_occurred_at=event.occurred_at, last_hash=event.chain_hash,
        severity=severity, severity_confirmed=confirmed,
        event_ids=(*state.event_ids, str(event.event_id)),
    )

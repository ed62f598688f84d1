"""The lifecycle guard: a person's step is accepted onto the lifecycle topic only if the item's
state allows it (streams/lifecycle.py). Pure, deterministic, no I/O; the worker's agent moves.

- Managers and their systems ask for a step by publishing the lifecycle event itself to their
  own request topic (`<prefix>requests.<role>.<scope>`, schemas/access.py), which only that
  principal may write. Who acts is who authenticated: the actor's role and scope come from the
  topic the request arrived on, never from the payload (`authorise`). An accepted request is
  sealed into the item's hash chain and published to the lifecycle topic with the same
  event_id; a rejected one becomes a dead letter (`unauthorised_request`,
  `illegal_transition`, or the parse failure's reason) naming the request's event_id.
- The states are folded from the lifecycle topic (`fold_logged`), per partition, by the worker
  assigned the partition: read back before each judgement, the accepted steps applied as they
  are accepted (streams/guard_state.py, streams/guard_agent.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from schemas.access import Requester, RequesterRole
from schemas.chain import seal
from schemas.dead_letter import Origin, RejectionReason
from schemas.lifecycle import (
    ActorRole,
    ItemClassified,
    ItemEscalated,
    ItemReceived,
    ItemReplyDelivery,
    ItemRouted,
    ItemStaffNotified,
    LifecycleEvent,
)
from schemas.registry import InvalidEvent, parse, parse_request
from schemas.topics import TopicNames
from streams.lifecycle import LABEL_STEPS, NOTIFIER_STEPS, IllegalTransition, ItemState, apply
from streams.processing import Outgoing, dead_letter
from streams.timing import EPOCH, TimeWindow

log = logging.getLogger("kokemusvirta.worker")

SYSTEM_EVENTS = (ItemReceived, ItemClassified, ItemRouted)
# What a person may ask for, as a refusal lists it.
REQUESTABLE_STEPS = ("acknowledged", "escalated", "presented", "decided", "returned", "closed",
                     "severity_confirmed", "relabelled")
# Who may give a person's word on an item's labels: the unit's managers and the service area's
# leadership, who receive the item (a critical one at once) and answer for the client's safety.
# Not a county's decision-makers: a political body decides on policy, not on one client's
# case, and its county-wide scope would let it change every label (and figure) of the county.
LABELLERS = frozenset({RequesterRole.UNIT, RequesterRole.LEADERSHIP})
DEFAULT_WINDOW = TimeWindow()
# What the notifier may ask for on its own topic (rules 11 and 12 of streams/lifecycle.py).
NOTIFIER_EVENTS = (ItemReplyDelivery, ItemStaffNotified, ItemEscalated)


@dataclass(frozen=True)
class Judgement:
    item_id: str | None
    state: ItemState | None  # the item's state afterwards (unchanged when rejected)
    outgoing: tuple[Outgoing, ...]


def judge_request(
    state: ItemState | None, raw: bytes, origin: Origin, received_at: datetime | None,
    topics: TopicNames, window: TimeWindow = DEFAULT_WINDOW,
) -> Judgement:
    """Accept a requested step (sealed, to the lifecycle topic) or reject it (a dead letter).

    `received_at` is the request record's Kafka timestamp (None if it has none): the dead letters
    are timed by it, and the step's times must lie in `window` of it. Nothing here reads a clock,
    so a redelivered request is judged to the same bytes.
    """
    now = received_at if received_at is not None else EPOCH
    notifier = origin.topic == topics.notifier_requests
    requester = None if notifier else topics.requester_of(origin.topic)
    if requester is None and not notifier:  # judged by where it came from, before reading it
        stray = InvalidEvent(
            RejectionReason.UNAUTHORISED_REQUEST,
            f"{origin.topic} is not a request topic: a lifecycle step is asked for on the "
            f"requester's own topic ({topics.prefix}requests.<role>.<scope>)")
        return Judgement(None, state, (_reject(stray, origin, now, topics),))
    try:
        event = parse_request(raw)  # a person's words without control characters
    except InvalidEvent as rejected:
        return Judgement(None, state, (_reject(rejected, origin, now, topics),))
    if not isinstance(event, LifecycleEvent) or isinstance(event, SYSTEM_EVENTS):
        not_requestable = InvalidEvent(
            RejectionReason.ILLEGAL_TRANSITION,
            f"{event.event_type} cannot be requested: only a person's lifecycle steps "
            f"({', '.join(REQUESTABLE_STEPS)})",
            event_type=event.event_type, event_id=str(event.event_id), county=event.county)
        return Judgement(getattr(event, "item_id", None), state,
                         (_reject(not_requestable, origin, now, topics, event.item_id),))
    item_id = str(event.item_id)
    if state is not None and state.item_id != item_id:
        # The state is the one of the item the record's key names: judging another item's step
        # on it would check the requester's scope against the wrong item (a unit's manager
        # keying a request by an item of theirs could act on any unit's item).
        mismatch = InvalidEvent(
            RejectionReason.UNAUTHORISED_REQUEST,
            f"the request's record key names another item than its {event.event_type} does: "
            "a request is keyed by the item it is about",
            event_type=event.event_type, event_id=str(event.event_id), county=event.county)
        # Judged as about the keyed item (its state stays its own); the dead letter names the
        # item the request asked about.
        return Judgement(state.item_id, state,
                         (_reject(mismatch, origin, now, topics, item_id),))
    refusal = authorise_notifier(event) if requester is None else authorise(requester, event,
                                                                            state)
    if refusal is not None:
        unauthorised = InvalidEvent(
            RejectionReason.UNAUTHORISED_REQUEST, refusal, event_type=event.event_type,
            event_id=str(event.event_id), county=event.county)
        return Judgement(item_id, state, (_reject(unauthorised, origin, now, topics, item_id),))
    if state is not None and state.has_applied(str(event.event_id)):
        return Judgement(item_id, state, ())  # a redelivered request: accepted already
    out_of_range = window.check(event, received_at)
    if out_of_range is not None:
        return Judgement(item_id, state, (_reject(out_of_range, origin, now, topics, item_id),))
    # Sealed as requested (recorded_at is when the request was recorded): a request redelivered
    # after a crash seals to the same bytes, so the sink's copy and the chain stay one.
    sealed = seal(event, state.last_hash if state else None)
    try:
        after = apply(state, sealed)
    except IllegalTransition as why:
        illegal = InvalidEvent(
            RejectionReason.ILLEGAL_TRANSITION, str(why)[:1000], event_type=event.event_type,
            event_id=str(event.event_id), county=event.county)
        return Judgement(item_id, state, (_reject(illegal, origin, now, topics, item_id),))
    return Judgement(item_id, after, (Outgoing(topics.lifecycle, sealed),))


def authorise(requester: Requester, event: LifecycleEvent, state: ItemState | None
              ) -> str | None:
    """Why `requester` may not ask for `event` (one line, no personal data), or None if it may.

    The role is the requester's, whatever the payload says; the item must be in its scope: a
    unit's managers act on their unit's items, a service area's leadership on the area's, a
    county's decision-makers on the county's. An unknown item (no state) is left to the state
    machine, which says so. A person's word on the labels (severity_confirmed, relabelled) is
    the unit's managers' and the service area's leadership's (LABELLERS).
    """
    who = f"{requester.role.value} {requester.scope}"
    if event.actor_role is not requester.actor_role:
        return (f"the request says actor_role {event.actor_role.value}, but it came on the "
                f"request topic of {who}, whose role is {requester.actor_role.value}")
    step = event.event_type.removeprefix("item.")
    if step in NOTIFIER_STEPS:
        return (f"{step} is the notifier's step, asked for only on its own request topic, "
                f"not by {who}")
    if step in LABEL_STEPS and requester.role not in LABELLERS:
        return (f"{step} is asked for by the unit's managers or the service area's leadership, "
                f"not by {who}")
    if state is None:
        return None
    outside = f"item {state.item_id} is outside the scope of {who}"
    if state.county != requester.county:
        return f"{outside}: it belongs to another county"
    if requester.role is RequesterRole.UNIT and state.unit != requester.place:
        return f"{outside}: it belongs to " + (
            "another unit" if state.unit is not None else "no unit")
    if requester.role is RequesterRole.LEADERSHIP and state.service_area != requester.place:
        return f"{outside}: it belongs to another service area"
    return None


def authorise_notifier(event: LifecycleEvent) -> str | None:
    """Why the notifier may not ask for `event` (one line), or None if it may: a delivery of an
    answer, a notice to staff, or the automatic escalation, each as the system. Whether the item
    allows it is the state machine's (rules 11 and 12 of streams/lifecycle.py)."""
    step = event.event_type.removeprefix("item.")
    if not isinstance(event, NOTIFIER_EVENTS):
        return (f"{step} is not the notifier's to ask for: on its request topic only "
                "reply_delivery, staff_notified and escalated (by the system)")
    if event.actor_role is not ActorRole.SYSTEM:
        return (f"the request says actor_role {event.actor_role.value}, but it came on the "
                "notifier's request topic, whose role is system")
    return None


def fold_logged(state: ItemState | None, raw: bytes, origin: Origin) -> Judgement:
    """Fold one event read from the lifecycle topic into its item's state.

    The log is the source of truth: an event that is there but breaks the rules (published by
    something that bypassed the guard) is logged by its coordinates and leaves the state alone.
    """
    try:
        event = parse(raw)
    except InvalidEvent as rejected:
        log.warning("unreadable record on %s[%d]@%d: %s", origin.topic, origin.partition,
                    origin.offset, rejected.reason.value)
        return Judgement(None, state, ())
    return fold_event(state, event, origin)


def fold_event(state: ItemState | None, event: object, origin: Origin) -> Judgement:
    """`fold_logged` of an event already parsed (the guard's state book parses once, for its
    state and for the checkpoint's tally)."""
    return fold_at(state, event, origin.topic, origin.partition, origin.offset)


def fold_at(state: ItemState | None, event: object, topic: str, partition: int,
            offset: int) -> Judgement:
    """`fold_event` given the record's coordinates as they are: the state book folds three
    records a source event and names them only in a warning, so it makes no Origin."""
    if not isinstance(event, LifecycleEvent):
        return Judgement(None, state, ())
    item_id = str(event.item_id)
    if state is not None and state.has_applied(str(event.event_id)):
        return Judgement(item_id, state, ())
    try:
        return Judgement(item_id, apply(state, event), ())
    except IllegalTransition as why:
        log.warning("lifecycle event %s on %s[%d]@%d breaks the rules and is ignored by the "
                    "guard: %s", event.event_id, topic, partition, offset, why)
        return Judgement(item_id, state, ())


def _reject(
    rejected: InvalidEvent, origin: Origin, now: datetime, topics: TopicNames,
    item_id: str | None = None,
) -> Outgoing:
    dl = dead_letter(rejected, origin, now)
    if item_id is not None:
        dl = dl.model_copy(update={"item_id": item_id})
    return Outgoing(topics.dead_letters, dl)


def fold_system_steps(states: dict[str, ItemState], outgoing: list[Outgoing]) -> None:
    """Fold the lifecycle events the worker just emitted for new items into their states."""
    for out in outgoing:
        event = out.event
        if isinstance(event, LifecycleEvent):
            item_id = str(event.item_id)
            state = states.get(item_id)
            if state is not None and state.has_applied(str(event.event_id)):
                continue  # a redelivered intake record
            try:
                states[item_id] = apply(state, event)
            except IllegalTransition as why:
                log.warning("system step %s of %s not folded: %s", event.event_type, item_id,
                            why)

"""The lifecycle state machine and the guard: rules by example, and properties by hypothesis."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from schemas.chain import chain_hash
from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.knowledge import RecipientLevel, Route
from schemas.lifecycle import (
    ActorRole,
    ItemAcknowledged,
    ItemClassified,
    ItemClosed,
    ItemDecided,
    ItemEscalated,
    ItemPresented,
    ItemReturned,
    ItemRouted,
    LifecycleEvent,
)
from schemas.registry import parse
from schemas.topics import TopicNames
from streams.guard import fold_logged, judge_request
from streams.lifecycle import IllegalTransition, ItemState, Stage, apply
from streams.processing import Processor
from tests import factories

T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
ITEM = "fb-0123456789abcdef"
TOPICS = TopicNames("t.")
ORIGIN = Origin(topic="t.requests.unit.lappi.rovaniemen-terveysasema", partition=0, offset=7)


def _env(at: datetime, role: ActorRole) -> dict[str, Any]:
    return {"event_id": uuid.uuid4(), "occurred_at": at, "recorded_at": at, "county": "lappi",
            "unit": "u1", "item_id": ITEM, "actor_role": role}


def _routed_state(levels: tuple[RecipientLevel, ...] = (RecipientLevel.UNIT,)) -> ItemState:
    """An item through the system's three steps, built by the real processor's events."""
    raw = factories.as_bytes(factories.feedback())
    outs = Processor(TOPICS).process(raw, Origin(topic="t.intake", partition=0, offset=0), T0)
    state = None
    for out in outs:
        if isinstance(out.event, ItemRouted):
            routes = tuple(Route(level=lv, topic=f"t.routed.{lv.value}", reason="r")
                           for lv in levels)
            event: LifecycleEvent = out.event.model_copy(update={"routes": routes})
        elif isinstance(out.event, LifecycleEvent):
            event = out.event
        else:
            continue
        event = event.model_copy(update={"item_id": ITEM, "county": "lappi",
                                         "occurred_at": T0})
        state = apply(state, event)
    assert state is not None and state.stage is Stage.ROUTED
    return state


def ack(at: datetime, role: ActorRole = ActorRole.UNIT_MANAGER) -> ItemAcknowledged:
    return ItemAcknowledged(**_env(at, role))


def escalate(at: datetime) -> ItemEscalated:
    return ItemEscalated(**_env(at, ActorRole.UNIT_MANAGER), reason="toistuva")


def present(at: datetime) -> ItemPresented:
    return ItemPresented(**_env(at, ActorRole.LEADERSHIP), body="aluehallitus",
                         agenda_ref="AH 12/2026 §5")


def decide(at: datetime, role: ActorRole = ActorRole.UNIT_MANAGER) -> ItemDecided:
    return ItemDecided(**_env(at, role), outcome="adopted", rationale="Ajanvaraus uudistetaan.")


def return_(at: datetime, reason: str | None = None) -> ItemReturned:
    return ItemReturned(**_env(at, ActorRole.UNIT_MANAGER), returned_to="client",
                        channel="sähköposti", no_decision_reason=reason)


def close(at: datetime) -> ItemClosed:
    return ItemClosed(**_env(at, ActorRole.UNIT_MANAGER))


def days(n: float) -> datetime:
    return T0 + timedelta(days=n)


def run(state: ItemState, *events: LifecycleEvent) -> ItemState:
    for e in events:
        state = apply(state, e)
    return state


def test_the_whole_way_with_escalation_and_presentation() -> None:
    s = run(_routed_state(), ack(days(1)), escalate(days(2)),
            ack(days(3), ActorRole.LEADERSHIP), present(days(10)), decide(days(20)),
            return_(days(25)), close(days(26)))
    assert s.stage is Stage.CLOSED
    assert s.acknowledged and s.reached_leadership and s.decided


def test_legal_skips() -> None:
    # A thank-you: acknowledged, returned with a reason for no decision, closed.
    s = run(_routed_state(), ack(days(1)), return_(days(2), reason="kiitos, ei päätettävää"),
            close(days(3)))
    assert s.stage is Stage.CLOSED and not s.decided
    # A critical item routed to leadership: leadership acknowledges without escalation.
    s = run(_routed_state((RecipientLevel.UNIT, RecipientLevel.LEADERSHIP)),
            ack(days(1), ActorRole.LEADERSHIP), decide(days(2), ActorRole.LEADERSHIP))
    assert s.reached_leadership


@pytest.mark.parametrize(("events", "why"), [
    ((decide(days(1)),), "before anyone acknowledged"),
    ((ack(days(1)), ack(days(2))), "repeated"),
    ((ack(days(1)), decide(days(2)), escalate(days(3))), "out of order"),
    ((ack(days(2)), decide(days(1))), "earlier than the item's previous step"),
    ((ack(days(1)), ack(days(2), ActorRole.LEADERSHIP)), "neither escalated nor routed"),
    ((ack(days(1)), present(days(2))), "before it reached leadership"),
    ((ack(days(1)), return_(days(2))), "no_decision_reason"),
    ((ack(days(1)), close(days(2)), decide(days(3))), "out of order"),
    ((ItemAcknowledged(**_env(days(1), ActorRole.SYSTEM)),), "person's step"),
])
def test_illegal_transitions_say_why(events: tuple[LifecycleEvent, ...], why: str) -> None:
    state = _routed_state()
    with pytest.raises(IllegalTransition, match=why):
        run(state, *events)


def test_nothing_happens_to_an_unknown_item() -> None:
    with pytest.raises(IllegalTransition, match="unknown item"):
        apply(None, ack(days(1)))


def test_state_survives_its_json_form() -> None:
    s = run(_routed_state(), ack(days(1)), escalate(days(2)))
    assert ItemState.from_json(s.to_json()) == s


# --- the guard ---------------------------------------------------------------------------------

def test_guard_accepts_seals_and_rejects_with_reason() -> None:
    state = _routed_state()
    request = ack(days(1))
    j = judge_request(state, request.to_json_bytes(), ORIGIN, days(1.1), TOPICS)
    assert len(j.outgoing) == 1 and j.outgoing[0].topic == TOPICS.lifecycle
    accepted = j.outgoing[0].event
    assert isinstance(accepted, ItemAcknowledged)
    assert accepted.event_id == request.event_id
    assert accepted.chain_prev == state.last_hash and accepted.chain_prev is not None
    assert accepted.chain_hash == chain_hash(json.loads(accepted.to_json_bytes()))
    assert j.state is not None and j.state.stage is Stage.ACKNOWLEDGED

    again = ack(days(2))
    rejected = judge_request(j.state, again.to_json_bytes(), ORIGIN, days(2), TOPICS)
    assert rejected.state == j.state
    (dl,) = (o.event for o in rejected.outgoing)
    assert isinstance(dl, DeadLetterRecorded)
    assert dl.reason is RejectionReason.ILLEGAL_TRANSITION
    assert dl.original_event_id == str(again.event_id) and dl.item_id == ITEM
    assert "repeated" in dl.detail and rejected.outgoing[0].topic == TOPICS.dead_letters


def test_guard_is_idempotent_for_redelivered_requests_and_its_own_echo() -> None:
    state = _routed_state()
    request = ack(days(1))
    j = judge_request(state, request.to_json_bytes(), ORIGIN, days(1), TOPICS)
    assert j.state is not None
    redelivered = judge_request(j.state, request.to_json_bytes(), ORIGIN, days(1), TOPICS)
    assert redelivered.outgoing == () and redelivered.state == j.state
    echo = fold_logged(j.state, j.outgoing[0].value, ORIGIN)
    assert echo.state == j.state


def test_guard_rejects_system_steps_and_garbage() -> None:
    j = judge_request(None, b"{nope", ORIGIN, T0, TOPICS)
    assert j.outgoing[0].event.reason is RejectionReason.NOT_JSON  # type: ignore[attr-defined]
    closed = ItemClassified(**_env(days(1), ActorRole.SYSTEM),
                            classification={"themes": [], "stance": "praise",
                                            "severity": "none", "rules": [],
                                            "classifier_version": "x"})
    j = judge_request(_routed_state(), closed.to_json_bytes(), ORIGIN, T0, TOPICS)
    dl = j.outgoing[0].event
    assert isinstance(dl, DeadLetterRecorded)
    assert dl.reason is RejectionReason.ILLEGAL_TRANSITION and "cannot be requested" in dl.detail


def test_the_processor_seals_the_system_steps_into_one_chain() -> None:
    raw = factories.as_bytes(factories.feedback())
    outs = Processor(TOPICS).process(raw, Origin(topic="t.intake", partition=0, offset=0), T0)
    chain = [o.event for o in outs if isinstance(o.event, LifecycleEvent)]
    assert [e.event_type for e in chain] == ["item.received", "item.classified", "item.routed"]
    prev = None
    for e in chain:
        payload = json.loads(parse(e.to_json_bytes()).model_dump_json())
        assert e.chain_prev == prev and e.chain_hash == chain_hash(payload)
        prev = e.chain_hash


# --- property: whatever is asked, in whatever order, the state stays legal ----------------------

STEPS = ["ack_unit", "ack_leadership", "escalate", "present", "decide", "return",
         "return_no_decision", "close"]


def _request(step: str, at: datetime) -> LifecycleEvent:
    return {
        "ack_unit": lambda: ack(at),
        "ack_leadership": lambda: ack(at, ActorRole.LEADERSHIP),
        "escalate": lambda: escalate(at),
        "present": lambda: present(at),
        "decide": lambda: decide(at),
        "return": lambda: return_(at),
        "return_no_decision": lambda: return_(at, reason="ei päätettävää"),
        "close": lambda: close(at),
    }[step]()


class LifecycleMachine(RuleBasedStateMachine):
    """Random requests, some illegal, through the guard; the applied history must be legal."""

    def __init__(self) -> None:
        super().__init__()
        self.state: ItemState = _routed_state()
        self.clock = T0
        self.applied: list[LifecycleEvent] = []

    @rule(step=st.sampled_from(STEPS), hours=st.integers(min_value=-48, max_value=240))
    def request(self, step: str, hours: int) -> None:
        at = self.clock + timedelta(hours=hours)
        event = _request(step, at)
        j = judge_request(self.state, event.to_json_bytes(), ORIGIN, at, TOPICS)
        assert j.state is not None
        if j.outgoing and j.outgoing[0].topic == TOPICS.lifecycle:
            accepted = j.outgoing[0].event
            assert isinstance(accepted, LifecycleEvent)
            assert accepted.chain_prev == self.state.last_hash
            self.applied.append(accepted)
            self.clock = max(self.clock, at)
        else:
            assert j.state == self.state  # a rejection never changes the state
        self.state = j.state

    @invariant()
    def history_is_legal(self) -> None:
        stages = [Stage.ROUTED]
        ever_acknowledged = decided = False
        for e in self.applied:
            role = e.actor_role
            stage = {
                "item.acknowledged": Stage.LEADERSHIP_ACKNOWLEDGED
                if role in {ActorRole.LEADERSHIP, ActorRole.DECISION_MAKER}
                else Stage.ACKNOWLEDGED,
                "item.escalated": Stage.ESCALATED, "item.presented": Stage.PRESENTED,
                "item.decided": Stage.DECIDED, "item.returned": Stage.RETURNED,
                "item.closed": Stage.CLOSED,
            }[e.event_type]
            assert stage > stages[-1], "reordered or repeated"
            if stage not in {Stage.ACKNOWLEDGED, Stage.LEADERSHIP_ACKNOWLEDGED}:
                assert ever_acknowledged, "a step after acknowledgement without one"
            if isinstance(e, ItemReturned) and not decided:
                assert e.no_decision_reason
            ever_acknowledged |= stage in {Stage.ACKNOWLEDGED, Stage.LEADERSHIP_ACKNOWLEDGED}
            decided |= stage is Stage.DECIDED
            stages.append(stage)
        times = [e.occurred_at for e in self.applied]
        assert times == sorted(times)
        assert self.state.stage == stages[-1]
        # the chain links every accepted step to the one before
        for a, b in zip(self.applied, self.applied[1:], strict=False):
            assert b.chain_prev == a.chain_hash


LifecycleMachine.TestCase.settings = hsettings(max_examples=150, stateful_step_count=12,
                                               deadline=None)
TestLifecycleProperties = LifecycleMachine.TestCase


def test_states_share_what_many_items_have_in_common() -> None:
    """A worker holds a state per item (issue 13: worker memory): the county, unit, service
    area, severity and routed levels read from each item's own JSON are kept once."""
    def parsed(item: str) -> ItemState:  # each string a new object, as read from JSON
        return ItemState.from_json(json.dumps({
            "item_id": item, "county": "lappi", "stage": 3,
            "last_occurred_at": "2026-10-05T09:00:00+00:00", "last_hash": None,
            "routed_levels": ["unit"], "acknowledged": False, "reached_leadership": False,
            "decided": False, "event_ids": [], "unit": "rovaniemen-terveysasema",
            "service_area": "perusterveydenhuolto", "severity": "none"}))
    a, b = parsed("fb-1"), parsed("fb-2")
    for name in ("county", "unit", "service_area", "severity", "routed_levels"):
        assert getattr(a, name) is getattr(b, name), name
    assert not hasattr(a, "__dict__")
    assert a == ItemState.from_json(a.to_json())

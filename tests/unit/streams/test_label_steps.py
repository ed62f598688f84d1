"""A person's word on an item's labels (issue 14): item.severity_confirmed and item.relabelled,
judged by the state machine (streams/lifecycle.py rules 9 and 10) and the guard's `authorise`.
Each rule here fails if its check is removed."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.access import Requester
from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.lifecycle import (
    ActorRole,
    ItemAcknowledged,
    ItemClosed,
    ItemRelabelled,
    ItemSeverityConfirmed,
    LifecycleEvent,
)
from schemas.registry import parse_request
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from streams.guard import judge_request
from streams.lifecycle import IllegalTransition, ItemState, Stage, apply
from streams.processing import Processor
from tests import factories

T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
TOPICS = TopicNames("t.")
COUNTY, AREA, UNIT = "lappi", "perusterveydenhuolto", "rovaniemen-terveysasema"
HARM = "Äidilleni annettiin väärää lääkettä ja hän joutui teho-osastolle."
PLAIN = "Odotin kolme tuntia vastaanotolla."


def item(text: str, *, through: Stage = Stage.ROUTED) -> ItemState:
    """A feedback of lappi / perusterveydenhuolto / rovaniemen-terveysasema, through the real
    processor's system steps up to `through`."""
    raw = factories.as_bytes(factories.feedback(occurred_at=T0.isoformat(),
                                                recorded_at=T0.isoformat(), text=text))
    outs = Processor(TOPICS).process(raw, Origin(topic="t.intake", partition=0, offset=0), T0)
    state = None
    for out in outs:
        if isinstance(out.event, LifecycleEvent) and (state is None or state.stage < through):
            state = apply(state, out.event)
    assert state is not None and state.stage is through
    return state


def critical() -> ItemState:
    state = item(HARM)
    assert state.severity == "critical"  # the classifier's, remembered from item.classified
    return state


def _env(state: ItemState, role: ActorRole, hours: float) -> dict[str, Any]:
    at = T0 + timedelta(hours=hours)
    return {"event_id": uuid.uuid4(), "occurred_at": at, "recorded_at": at,
            "county": state.county, "unit": state.unit, "item_id": state.item_id,
            "actor_role": role}


def confirm(state: ItemState, downgrade: Severity | None = None, hours: float = 1,
            role: ActorRole = ActorRole.UNIT_MANAGER) -> ItemSeverityConfirmed:
    return ItemSeverityConfirmed(**_env(state, role, hours), downgraded_to=downgrade,
                                 reason="Soitin asiakkaalle: tilanne on vakava.")


def relabel(state: ItemState, hours: float = 1, role: ActorRole = ActorRole.UNIT_MANAGER,
            **labels: Any) -> ItemRelabelled:
    return ItemRelabelled(**_env(state, role, hours), reason="Luin palautteen uudelleen.",
                          **labels)


# -- the events ------------------------------------------------------------------------------

def test_a_label_step_says_why_and_what() -> None:
    state = critical()
    with pytest.raises(ValidationError, match="reason"):
        ItemSeverityConfirmed(**_env(state, ActorRole.UNIT_MANAGER, 1), reason="")
    with pytest.raises(ValidationError, match="lower severity"):
        confirm(state, Severity.CRITICAL)
    with pytest.raises(ValidationError, match="at least one"):
        relabel(state)
    with pytest.raises(ValidationError, match="twice"):
        relabel(state, themes=(Theme.SAFETY, Theme.SAFETY))
    assert relabel(state, themes=()).themes == ()  # "no theme" is a label too


def test_a_reason_of_control_characters_is_empty() -> None:
    event = confirm(critical()).model_copy(update={"reason": "\x1b[2J\x00"})
    with pytest.raises(Exception, match="reason"):
        parse_request(event.to_json_bytes())


# -- the state machine -----------------------------------------------------------------------

def test_a_critical_item_is_confirmed_once_and_its_stage_stays() -> None:
    state = critical()
    after = apply(state, confirm(state))
    assert after.stage is Stage.ROUTED and after.severity == "critical"
    assert after.severity_confirmed and not after.acknowledged and not after.reached_leadership
    with pytest.raises(IllegalTransition, match="severity_confirmed repeated"):
        apply(after, confirm(state, hours=2))
    # the item's handling goes on as before
    apply(after, ItemAcknowledged(**_env(state, ActorRole.UNIT_MANAGER, 3)))


def test_a_down_grade_is_the_items_severity_and_ends_confirmation() -> None:
    state = critical()
    after = apply(state, confirm(state, Severity.MEDIUM))
    assert after.severity == "medium" and after.severity_confirmed
    with pytest.raises(IllegalTransition, match="repeated"):
        apply(after, confirm(state, hours=2))


def test_only_a_critical_item_is_confirmed() -> None:
    state = item(PLAIN)
    assert state.severity != "critical"
    with pytest.raises(IllegalTransition, match="not critical"):
        apply(state, confirm(state))
    # a person's relabelling to critical makes it critical: then it may be confirmed
    raised = apply(state, relabel(state, severity=Severity.CRITICAL))
    apply(raised, confirm(state, hours=2))
    # and a relabelling below critical ends the wait
    lowered = apply(critical(), relabel(state, severity=Severity.HIGH))
    with pytest.raises(IllegalTransition, match="not critical"):
        apply(lowered, confirm(state, hours=2))


@pytest.mark.parametrize("step", [confirm, relabel])
def test_a_label_step_needs_the_item_classified(step: Any) -> None:
    received = item(HARM, through=Stage.RECEIVED)
    kwargs = {"stance": Stance.COMPLAINT} if step is relabel else {}
    with pytest.raises(IllegalTransition, match="before the item was classified"):
        apply(received, step(received, **kwargs))
    with pytest.raises(IllegalTransition, match="unknown item"):
        apply(None, step(received, **kwargs))


def test_relabelling_comes_again_and_again_also_after_closing() -> None:
    state = critical()
    state = apply(state, ItemAcknowledged(**_env(state, ActorRole.UNIT_MANAGER, 1)))
    state = apply(state, ItemClosed(**_env(state, ActorRole.UNIT_MANAGER, 2)))
    once = apply(state, relabel(state, hours=3, themes=(Theme.SAFETY,)))
    twice = apply(once, relabel(state, hours=4, severity=Severity.HIGH))
    assert twice.stage is Stage.CLOSED and twice.severity == "high"
    assert len(twice.event_ids) == len(state.event_ids) + 2


def test_a_label_step_is_a_persons_and_in_time() -> None:
    state = critical()
    with pytest.raises(IllegalTransition, match="system cannot"):
        apply(state, relabel(state, role=ActorRole.SYSTEM, stance=Stance.COMPLAINT))
    acked = apply(state, ItemAcknowledged(**_env(state, ActorRole.UNIT_MANAGER, 5)))
    with pytest.raises(IllegalTransition, match="earlier than"):
        apply(acked, confirm(state, hours=4))
    other = relabel(state, stance=Stance.COMPLAINT).model_copy(update={"county": "pirha"})
    with pytest.raises(IllegalTransition, match="county"):
        apply(state, other)


def test_the_severity_survives_a_restart() -> None:
    state = apply(critical(), confirm(critical(), Severity.LOW))
    again = ItemState.from_json(state.to_json())
    assert again == state
    saved = json.loads(state.to_json())
    del saved["severity"], saved["severity_confirmed"]  # a state saved before they were kept
    legacy = ItemState.from_json(json.dumps(saved))
    assert legacy.severity is None and legacy.severity_confirmed is False


# -- the guard: who may ----------------------------------------------------------------------

def on(role: str, scope: str) -> Origin:
    return Origin(topic=TOPICS.requests(Requester.parse(role, scope)), partition=0, offset=4)


def judged(state: ItemState, event: LifecycleEvent, origin: Origin) -> Any:
    j = judge_request(state, event.to_json_bytes(), origin, T0 + timedelta(hours=1), TOPICS)
    (out,) = j.outgoing
    if isinstance(out.event, DeadLetterRecorded):
        assert j.state is state
    else:
        assert out.topic == TOPICS.lifecycle and j.state is not None
    return out.event


def refused(out: Any, reason: RejectionReason, *words: str) -> None:
    assert isinstance(out, DeadLetterRecorded), out
    assert out.reason is reason, out.detail
    assert "\n" not in out.detail
    for w in words:
        assert w in out.detail, out.detail


def test_the_units_managers_and_the_areas_leadership_may() -> None:
    state = critical()
    ok = judged(state, confirm(state), on("unit", f"{COUNTY}.{UNIT}"))
    assert isinstance(ok, ItemSeverityConfirmed) and ok.chain_hash is not None
    ok = judged(state, relabel(state, role=ActorRole.LEADERSHIP, stance=Stance.MIXED),
                on("leadership", f"{COUNTY}.{AREA}"))
    assert isinstance(ok, ItemRelabelled)


def test_decision_makers_may_not_label() -> None:
    state = critical()
    for event in (confirm(state, role=ActorRole.DECISION_MAKER),
                  relabel(state, role=ActorRole.DECISION_MAKER, stance=Stance.MIXED)):
        refused(judged(state, event, on("decision-makers", COUNTY)),
                RejectionReason.UNAUTHORISED_REQUEST, "not by decision-makers lappi")


def test_wrong_role_or_scope_is_refused() -> None:
    state = critical()
    refused(judged(state, confirm(state, role=ActorRole.LEADERSHIP),
                   on("unit", f"{COUNTY}.{UNIT}")),
            RejectionReason.UNAUTHORISED_REQUEST, "actor_role leadership")
    refused(judged(state, confirm(state), on("unit", f"{COUNTY}.muu-yksikko")),
            RejectionReason.UNAUTHORISED_REQUEST, "another unit")
    refused(judged(state, relabel(state, role=ActorRole.LEADERSHIP, stance=Stance.MIXED),
                   on("leadership", f"{COUNTY}.muu-alue")),
            RejectionReason.UNAUTHORISED_REQUEST, "another service area")
    refused(judged(state, confirm(state), on("unit", f"pirha.{UNIT}")),
            RejectionReason.UNAUTHORISED_REQUEST, "another county")


def test_an_illegal_confirmation_is_a_dead_letter_with_the_reason() -> None:
    state = item(PLAIN)
    refused(judged(state, confirm(state), on("unit", f"{COUNTY}.{UNIT}")),
            RejectionReason.ILLEGAL_TRANSITION, "not critical")


def test_a_refusal_of_a_system_step_lists_the_label_steps() -> None:
    state = critical()
    raw = factories.as_bytes(factories.feedback())
    outs = Processor(TOPICS).process(raw, Origin(topic="t.intake", partition=0, offset=0), T0)
    system = next(o.event for o in outs if isinstance(o.event, LifecycleEvent))
    refused(judged(state, system, on("unit", f"{COUNTY}.{UNIT}")),
            RejectionReason.ILLEGAL_TRANSITION, "severity_confirmed", "relabelled")


def test_a_downgrade_leaves_the_routing_as_it_was() -> None:
    state = replace(critical(), routed_levels=frozenset({"unit", "leadership"}))
    after = apply(state, confirm(state, Severity.LOW))
    assert after.routed_levels == state.routed_levels
    # leadership may still acknowledge it as routed to leadership
    apply(after, ItemAcknowledged(**_env(state, ActorRole.LEADERSHIP, 2)))

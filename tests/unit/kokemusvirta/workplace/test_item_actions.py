"""Which steps the item page offers a person now, and its forms' checks (pure)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kokemusvirta.workplace import item_actions as ia
from schemas.access import Requester, RequesterRole
from schemas.dead_letter import Origin
from schemas.lifecycle import ActorRole, ItemAcknowledged, ItemDecided, LifecycleEvent
from schemas.topics import TopicNames
from streams.processing import Processor
from tests import factories

T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=1)
UNIT = Requester(RequesterRole.UNIT, "lappi", "rovaniemen-terveysasema")
OTHER_UNIT = Requester(RequesterRole.UNIT, "lappi", "kemin-terveysasema")
LEADERSHIP = Requester(RequesterRole.LEADERSHIP, "lappi", "perusterveydenhuolto")
COUNCIL = Requester(RequesterRole.DECISION_MAKERS, "lappi")


def _routed(**overrides: Any) -> list[LifecycleEvent]:
    raw = factories.as_bytes(factories.feedback(**overrides))
    outs = Processor(TopicNames("t.")).process(raw, Origin(topic="t.intake", partition=0,
                                                           offset=0), T0)
    events = [o.event for o in outs if isinstance(o.event, LifecycleEvent)]
    assert [e.event_type for e in events][-1] == "item.routed"
    return events


def _step(history: list[LifecycleEvent], cls: type[LifecycleEvent], role: ActorRole,
          **fields: Any) -> list[LifecycleEvent]:
    last = history[-1]
    at = T0 + timedelta(hours=len(history))
    return [*history, cls(event_id=uuid.uuid4(), occurred_at=at, recorded_at=at,
                          county=last.county, unit=last.unit, item_id=last.item_id,
                          actor_role=role, **fields)]


def test_a_routed_item_offers_its_unit_manager_acknowledge_and_the_label_steps_only() -> None:
    allowed = ia.allowed_now(_routed(), UNIT, NOW)
    assert allowed[0] == "acknowledged"
    assert "decided" not in allowed and "closed" not in allowed
    assert "relabelled" in allowed


def test_after_acknowledgement_the_unit_manager_may_decide_but_not_acknowledge_again() -> None:
    history = _step(_routed(), ItemAcknowledged, ActorRole.UNIT_MANAGER)
    allowed = ia.allowed_now(history, UNIT, NOW)
    assert "acknowledged" not in allowed
    assert {"escalated", "decided", "returned", "closed"} <= set(allowed)


def test_after_a_decision_return_and_close_remain() -> None:
    history = _step(_step(_routed(), ItemAcknowledged, ActorRole.UNIT_MANAGER), ItemDecided,
                    ActorRole.UNIT_MANAGER, outcome="adopted", rationale="r")
    allowed = set(ia.allowed_now(history, UNIT, NOW))
    assert "decided" not in allowed and {"returned", "closed"} <= allowed
    assert ia.decided(history)


def test_another_units_manager_and_an_auditor_are_offered_nothing() -> None:
    routed = _routed()
    assert not any(s in ia.allowed_now(routed, OTHER_UNIT, NOW) for s in ia.ACTIONS)
    assert ia.allowed_now(routed, None, NOW) == ()


def test_decision_makers_may_not_relabel() -> None:
    history = _step(_routed(), ItemAcknowledged, ActorRole.UNIT_MANAGER)
    allowed = ia.allowed_now(history, COUNCIL, NOW)
    assert "relabelled" not in allowed and "severity_confirmed" not in allowed


def test_a_history_that_does_not_replay_offers_nothing() -> None:
    routed = _routed()
    assert ia.allowed_now(routed[1:], UNIT, NOW) == ()


def test_a_decision_needs_outcome_and_rationale_with_errors_in_the_pages_language() -> None:
    checked = ia.validate("decided", {"outcome": "maybe", "rationale": "  "}, "sv")
    assert not checked.ok
    assert checked.errors == {"outcome": "Välj ett av alternativen.",
                              "rationale": "Fyll i det här fältet."}
    good = ia.validate("decided", {"outcome": "adopted", "rationale": "Teemme sen.",
                                   "decision_ref": ""}, "fi")
    assert good.ok and good.fields == {"outcome": "adopted", "rationale": "Teemme sen."}


def test_limits_are_the_contracts() -> None:
    checked = ia.validate("presented", {"body": "x" * 201, "agenda_ref": "§ 5"}, "en")
    assert checked.errors == {"body": "At most 200 characters."}


def test_a_return_without_a_decision_must_say_why() -> None:
    form = {"returned_to": "client", "channel": "email"}
    assert ia.validate("returned", form, "fi", has_decision=True).ok
    assert "no_decision_reason" in ia.validate("returned", form, "fi",
                                               has_decision=False).errors


def test_a_relabelling_changes_something_and_says_why() -> None:
    assert "change_themes" in ia.validate("relabelled", {"reason": "r"}, "fi").errors
    checked = ia.validate("relabelled", {"change_themes": "1", "reason": "väärä teema"}, "fi",
                          themes=["safety", "access"])
    assert checked.fields == {"themes": ["safety", "access"], "reason": "väärä teema"}
    assert "themes" in ia.validate("relabelled", {"change_themes": "1", "reason": "r"}, "fi",
                                   themes=["nonsense"]).errors


def test_severity_confirmation_may_not_downgrade_to_critical() -> None:
    checked = ia.validate("severity_confirmed", {"downgraded_to": "critical", "reason": "r"},
                          "fi")
    assert "downgraded_to" in checked.errors
    assert ia.validate("severity_confirmed", {"reason": "todettu"}, "fi").fields == {
        "reason": "todettu"}


def test_an_unknown_step_has_no_form() -> None:
    with pytest.raises(ValueError):
        ia.validate("received", {}, "fi")

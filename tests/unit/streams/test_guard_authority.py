"""Who acts is who authenticated: the guard takes the requester's role and scope from the topic a
request arrived on, never from the payload (streams/guard.py, `authorise`). Each rule here
fails if its check is removed."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from schemas.access import Requester
from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.knowledge import RecipientLevel
from schemas.lifecycle import ActorRole, ItemAcknowledged, LifecycleEvent
from schemas.topics import TopicNames
from streams.guard import judge_request
from streams.lifecycle import ItemState, Stage, apply
from streams.processing import Processor
from tests import factories

T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
TOPICS = TopicNames("t.")
COUNTY, AREA, UNIT = "lappi", "perusterveydenhuolto", "rovaniemen-terveysasema"
TEXT = "Odotin kolme tuntia, nimeni on Matti Virtanen 131052-308T"


def routed_item(levels: frozenset[str] = frozenset({RecipientLevel.UNIT.value})) -> ItemState:
    """A feedback of lappi / perusterveydenhuolto / rovaniemen-terveysasema, through the real
    processor's system steps."""
    raw = factories.as_bytes(factories.feedback(occurred_at=T0.isoformat(),
                                                recorded_at=T0.isoformat(), text=TEXT))
    outs = Processor(TOPICS).process(raw, Origin(topic="t.intake", partition=0, offset=0), T0)
    state = None
    for out in outs:
        if isinstance(out.event, LifecycleEvent):
            state = apply(state, out.event)
    assert state is not None and state.stage is Stage.ROUTED
    return replace(state, routed_levels=levels)


def ack(state: ItemState, role: ActorRole) -> ItemAcknowledged:
    at = T0 + timedelta(hours=1)
    return ItemAcknowledged(event_id=uuid.uuid4(), occurred_at=at, recorded_at=at,
                            county=state.county, unit=state.unit, item_id=state.item_id,
                            actor_role=role)


def on(role: str, scope: str) -> Origin:
    return Origin(topic=TOPICS.requests(Requester.parse(role, scope)), partition=0, offset=4)


def judged(state: ItemState | None, event: ItemAcknowledged, origin: Origin
           ) -> DeadLetterRecorded | ItemAcknowledged:
    j = judge_request(state, event.to_json_bytes(), origin, T0 + timedelta(hours=1), TOPICS)
    (out,) = j.outgoing
    if isinstance(out.event, DeadLetterRecorded):
        assert j.state is state  # a refusal changes nothing
        assert out.topic == TOPICS.dead_letters
    else:
        assert out.topic == TOPICS.lifecycle
    assert isinstance(out.event, DeadLetterRecorded | ItemAcknowledged)
    return out.event


def unauthorised(out: object, *words: str) -> DeadLetterRecorded:
    assert isinstance(out, DeadLetterRecorded), out
    assert out.reason is RejectionReason.UNAUTHORISED_REQUEST
    assert "\n" not in out.detail and len(out.detail) < 300
    assert "Matti" not in out.detail and "131052" not in out.detail  # no personal data
    for w in words:
        assert w in out.detail, out.detail
    return out


def test_the_item_knows_its_unit_and_service_area_and_its_old_json_still_reads() -> None:
    state = routed_item()
    assert (state.county, state.service_area, state.unit) == (COUNTY, AREA, UNIT)
    assert ItemState.from_json(state.to_json()) == state
    old = {k: v for k, v in json.loads(state.to_json()).items()
           if k not in {"unit", "service_area"}}
    before = ItemState.from_json(json.dumps(old))
    assert (before.unit, before.service_area, before.stage) == (None, None, Stage.ROUTED)


def test_the_units_own_managers_are_accepted() -> None:
    state = routed_item()
    request = ack(state, ActorRole.UNIT_MANAGER)
    accepted = judged(state, request, on("unit", f"{COUNTY}.{UNIT}"))
    assert isinstance(accepted, ItemAcknowledged) and accepted.event_id == request.event_id


def test_another_units_managers_are_refused() -> None:
    state = routed_item()
    out = judged(state, ack(state, ActorRole.UNIT_MANAGER), on("unit", f"{COUNTY}.kemin-neuvola"))
    dl = unauthorised(out, "outside the scope of unit lappi.kemin-neuvola", "another unit",
                      state.item_id)
    assert dl.item_id == state.item_id and dl.original_event_type == "item.acknowledged"


def test_the_same_unit_name_in_another_county_is_refused() -> None:
    state = routed_item()
    out = judged(state, ack(state, ActorRole.UNIT_MANAGER), on("unit", f"pirkanmaa.{UNIT}"))
    unauthorised(out, "another county")


def test_unit_managers_cannot_act_on_an_item_of_no_unit() -> None:
    state = replace(routed_item(), unit=None)
    out = judged(state, ack(state, ActorRole.UNIT_MANAGER), on("unit", f"{COUNTY}.{UNIT}"))
    unauthorised(out, "no unit")


def test_a_payload_claiming_another_role_than_its_topic_is_refused() -> None:
    state = routed_item(frozenset({"unit", "leadership"}))
    claim = ack(state, ActorRole.LEADERSHIP)  # leadership's acknowledgement, from a unit's topic
    out = judged(state, claim, on("unit", f"{COUNTY}.{UNIT}"))
    unauthorised(out, "actor_role leadership", "unit lappi.rovaniemen-terveysasema")
    # ... and the same claim from leadership's own topic is accepted.
    assert isinstance(judged(state, claim, on("leadership", f"{COUNTY}.{AREA}")),
                      ItemAcknowledged)


def test_leadership_acts_in_its_own_service_area_only() -> None:
    state = routed_item(frozenset({"unit", "leadership"}))
    out = judged(state, ack(state, ActorRole.LEADERSHIP),
                 on("leadership", f"{COUNTY}.erikoissairaanhoito"))
    unauthorised(out, "another service area")
    out = judged(state, ack(state, ActorRole.LEADERSHIP), on("leadership", f"kainuu.{AREA}"))
    unauthorised(out, "another county")


def test_decision_makers_act_in_their_own_county_only() -> None:
    state = routed_item(frozenset({"unit", "decision_makers"}))
    request = ack(state, ActorRole.DECISION_MAKER)
    unauthorised(judged(state, request, on("decision-makers", "kainuu")), "another county")
    assert isinstance(judged(state, request, on("decision-makers", COUNTY)), ItemAcknowledged)


@pytest.mark.parametrize("topic", ["t.intake", "t.lifecycle-requests", "t.requests.unit.lappi",
                                   "t.requests.auditor", "kv.requests.unit.lappi.x"])
def test_a_record_from_a_topic_that_is_not_a_request_topic_is_refused_unread(topic: str) -> None:
    state = routed_item()
    origin = Origin(topic=topic, partition=0, offset=1)
    for raw in (ack(state, ActorRole.UNIT_MANAGER).to_json_bytes(), b"{not json"):
        j = judge_request(state, raw, origin, T0, TOPICS)
        (out,) = j.outgoing
        assert j.state is state
        dl = unauthorised(out.event, "not a request topic")
        assert dl.origin == origin


def test_authority_is_checked_before_a_redelivery_is_recognised() -> None:
    """An accepted request copied onto another unit's topic is refused, not waved through as
    'already applied'."""
    state = routed_item()
    request = ack(state, ActorRole.UNIT_MANAGER)
    j = judge_request(state, request.to_json_bytes(), on("unit", f"{COUNTY}.{UNIT}"), T0, TOPICS)
    assert j.state is not None and j.state.has_applied(str(request.event_id))
    out = judged(j.state, request, on("unit", f"{COUNTY}.kemin-neuvola"))
    unauthorised(out, "another unit")


def test_an_unknown_item_is_left_to_the_state_machine() -> None:
    state = routed_item()
    out = judged(None, ack(state, ActorRole.UNIT_MANAGER), on("unit", f"{COUNTY}.{UNIT}"))
    assert isinstance(out, DeadLetterRecorded)
    assert out.reason is RejectionReason.ILLEGAL_TRANSITION and "unknown item" in out.detail


def test_a_request_keyed_by_one_item_about_another_is_refused() -> None:
    """The state the guard judges on is the one of the item the record's key names. A unit's
    manager keying a request by an item of their own unit while its payload names another
    unit's item must not be judged on their item's state (scope, chain): refused, and neither
    state changes."""
    own = routed_item()
    other = replace(routed_item(), item_id="fb-0000000000000001", unit="kemin-neuvola")
    about_other = ack(other, ActorRole.UNIT_MANAGER)
    j = judge_request(own, about_other.to_json_bytes(), on("unit", f"{COUNTY}.{UNIT}"),
                      T0 + timedelta(hours=1), TOPICS)
    (out,) = j.outgoing
    unauthorised(out.event, "key names another item")
    assert (j.item_id, j.state) == (own.item_id, own)  # the keyed item's state, unchanged
    # The same request keyed by its own item is judged on that item's state (and refused
    # there for scope: it is another unit's item).
    unauthorised(judged(other, about_other, on("unit", f"{COUNTY}.{UNIT}")))

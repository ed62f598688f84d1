"""The notifier's side steps (streams/lifecycle.py rules 11 and 12, streams/guard.py
`authorise_notifier`): a delivery of an answer only after the item was returned to its client,
a notice to staff on any routed item, the system's escalation only while the item waits for its
acknowledgement; all only from the notifier's own request topic. Each rule here fails if its
check is removed."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta

import pytest
from pydantic import ValidationError

from schemas.access import Requester
from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.feedback import Language
from schemas.lifecycle import (
    ActorRole,
    DeliveryStatus,
    ItemAcknowledged,
    ItemDecided,
    ItemEscalated,
    ItemReplyDelivery,
    ItemReturned,
    ItemStaffNotified,
    LifecycleEvent,
    Outcome,
    ReturnedTo,
    StaffNotice,
)
from schemas.registry import parse
from schemas.topics import TopicNames
from streams.guard import judge_request
from streams.lifecycle import IllegalTransition, ItemState, Stage, apply
from tests.unit.streams.test_guard_authority import AREA, COUNTY, T0, UNIT, routed_item

TOPICS = TopicNames("t.")
NOTIFIER = Origin(topic=TOPICS.notifier_requests, partition=0, offset=1)
UNIT_TOPIC = Origin(topic=TOPICS.requests(Requester.parse("unit", f"{COUNTY}.{UNIT}")),
                    partition=0, offset=2)


def _at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def _base(state: ItemState, role: ActorRole, hours: float) -> dict[str, object]:
    return {"event_id": uuid.uuid4(), "occurred_at": _at(hours), "recorded_at": _at(hours),
            "county": state.county, "unit": state.unit, "item_id": state.item_id,
            "actor_role": role}


def returned_item(to: ReturnedTo = ReturnedTo.CLIENT) -> tuple[ItemState, ItemReturned]:
    state = routed_item()
    state = apply(state, ItemAcknowledged(**_base(state, ActorRole.UNIT_MANAGER, 1)))
    state = apply(state, ItemDecided(**_base(state, ActorRole.UNIT_MANAGER, 2),
                                     outcome=Outcome.ADOPTED, rationale="Ajanvaraus lisätty"))
    returned = ItemReturned(**_base(state, ActorRole.UNIT_MANAGER, 3), returned_to=to,
                            channel="email")
    return apply(state, returned), returned


def delivery(state: ItemState, returned_id: uuid.UUID, *, role: ActorRole = ActorRole.SYSTEM,
             status: DeliveryStatus = DeliveryStatus.SENT) -> ItemReplyDelivery:
    return ItemReplyDelivery(**_base(state, role, 4), status=status, channel="email", attempt=1,
                             returned_event_id=returned_id, language=Language.FI,
                             detail="250 accepted")


def notice(state: ItemState, role: ActorRole = ActorRole.SYSTEM) -> ItemStaffNotified:
    return ItemStaffNotified(**_base(state, role, 4), notice=StaffNotice.CRITICAL,
                             recipients=(f"unit.{COUNTY}.{UNIT}",
                                         f"leadership.{COUNTY}.{AREA}"),
                             deadline=date(2026, 10, 2), detail="kriittinen palaute")


def escalation(state: ItemState, role: ActorRole = ActorRole.SYSTEM,
               hours: float = 30) -> ItemEscalated:
    return ItemEscalated(**_base(state, role, hours),
                         reason="kuittauksen määräaika ylittyi 2.10.2026")


def judge(state: ItemState | None, event: LifecycleEvent, origin: Origin
          ) -> tuple[ItemState | None, object]:
    j = judge_request(state, event.to_json_bytes(), origin, event.occurred_at, TOPICS)
    (out,) = j.outgoing
    if isinstance(out.event, DeadLetterRecorded):
        assert j.state is state and out.topic == TOPICS.dead_letters
    else:
        assert out.topic == TOPICS.lifecycle
    return j.state, out.event


def refused(out: object, reason: RejectionReason, *words: str) -> None:
    assert isinstance(out, DeadLetterRecorded), out
    assert out.reason is reason, out.detail
    for w in words:
        assert w in out.detail, out.detail


def test_the_new_steps_parse_and_name_no_address() -> None:
    state, returned = returned_item()
    for event in (delivery(state, returned.event_id), notice(state), escalation(state)):
        assert parse(event.to_json_bytes()) == event
    with pytest.raises(ValidationError):
        ItemStaffNotified(**_base(state, ActorRole.SYSTEM, 4), notice=StaffNotice.DIGEST,
                          recipients=("maija.meikalainen@example.org",))
    with pytest.raises(ValidationError):
        ItemReplyDelivery.model_validate(
            delivery(state, returned.event_id).model_dump() | {"detail": "x" * 301})


def test_a_delivery_from_the_notifier_after_a_return_to_the_client_is_accepted() -> None:
    state, returned = returned_item()
    after, out = judge(state, delivery(state, returned.event_id), NOTIFIER)
    assert isinstance(out, ItemReplyDelivery) and out.chain_hash is not None
    assert after is not None and after.stage is Stage.RETURNED  # a side step moves no stage
    assert after.last_hash == out.chain_hash
    # and a retry's second attempt too
    again = delivery(after, returned.event_id, status=DeliveryStatus.BOUNCED)
    _, out2 = judge(after, again, NOTIFIER)
    assert isinstance(out2, ItemReplyDelivery)


def test_a_phone_return_is_recorded_as_the_units_to_call() -> None:
    """unit_answers on channel phone: the guard accepts it from the notifier like any attempt."""
    state, returned = returned_item()
    phone = ItemReplyDelivery.model_validate(delivery(state, returned.event_id).model_dump() | {
        "status": DeliveryStatus.UNIT_ANSWERS, "channel": "phone",
        "detail": "a phone number: the unit calls the client"})
    assert parse(phone.to_json_bytes()) == phone
    _, out = judge(state, phone, NOTIFIER)
    assert isinstance(out, ItemReplyDelivery) and out.status is DeliveryStatus.UNIT_ANSWERS


def test_a_delivery_before_any_return_to_the_client_is_refused() -> None:
    state, returned = returned_item(ReturnedTo.PUBLIC_DIGEST)
    _, out = judge(state, delivery(state, returned.event_id), NOTIFIER)
    refused(out, RejectionReason.ILLEGAL_TRANSITION, "returned to the client")
    routed = routed_item()
    _, out = judge(routed, delivery(routed, uuid.uuid4()), NOTIFIER)
    refused(out, RejectionReason.ILLEGAL_TRANSITION, "returned to the client")


def test_a_unit_manager_cannot_forge_a_delivery_or_a_notice() -> None:
    state, returned = returned_item()
    for event in (delivery(state, returned.event_id), notice(state)):
        _, out = judge(state, event, UNIT_TOPIC)
        refused(out, RejectionReason.UNAUTHORISED_REQUEST)
    # even when the payload claims the manager's own role
    forged = delivery(state, returned.event_id, role=ActorRole.UNIT_MANAGER)
    _, out = judge(state, forged, UNIT_TOPIC)
    refused(out, RejectionReason.UNAUTHORISED_REQUEST, "notifier's step")


def test_the_notifier_asks_only_for_its_own_steps_as_the_system() -> None:
    state, _ = returned_item()
    item = routed_item()
    closing = ItemAcknowledged(**_base(item, ActorRole.UNIT_MANAGER, 1))
    _, out = judge(item, closing, NOTIFIER)
    refused(out, RejectionReason.UNAUTHORISED_REQUEST, "not the notifier's")
    _, out = judge(state, notice(state, ActorRole.UNIT_MANAGER), NOTIFIER)
    refused(out, RejectionReason.UNAUTHORISED_REQUEST, "role is system")


def test_a_notice_needs_a_routed_item() -> None:
    state = routed_item()
    after, out = judge(state, notice(state), NOTIFIER)
    assert isinstance(out, ItemStaffNotified) and after is not None
    assert after.stage is Stage.ROUTED
    early = ItemState(item_id=state.item_id, county=state.county, stage=Stage.CLASSIFIED,
                      last_occurred_at=T0, last_hash=None, unit=state.unit, severity="critical")
    with pytest.raises(IllegalTransition, match="before the item was routed"):
        apply(early, notice(state))
    _, out = judge(None, notice(state), NOTIFIER)
    refused(out, RejectionReason.ILLEGAL_TRANSITION, "unknown item")


def test_the_system_escalates_an_unacknowledged_routed_item_only() -> None:
    state = routed_item()
    after, out = judge(state, escalation(state), NOTIFIER)
    assert isinstance(out, ItemEscalated) and after is not None
    assert after.stage is Stage.ESCALATED and not after.acknowledged
    # leadership acknowledges it then, as after a person's escalation
    lead = apply(after, ItemAcknowledged(**_base(after, ActorRole.LEADERSHIP, 31)))
    assert lead.stage is Stage.LEADERSHIP_ACKNOWLEDGED
    acked = apply(state, ItemAcknowledged(**_base(state, ActorRole.UNIT_MANAGER, 1)))
    _, out = judge(acked, escalation(acked), NOTIFIER)
    refused(out, RejectionReason.ILLEGAL_TRANSITION, "not yet acknowledged")
    _, out = judge(after, escalation(after, hours=40), NOTIFIER)  # not twice
    refused(out, RejectionReason.ILLEGAL_TRANSITION)


def test_a_system_escalation_on_a_requester_topic_is_refused() -> None:
    state = routed_item()
    _, out = judge(state, escalation(state), UNIT_TOPIC)
    refused(out, RejectionReason.UNAUTHORISED_REQUEST, "actor_role system")


def test_a_state_saved_before_returns_were_kept_still_reads() -> None:
    state, returned = returned_item()
    assert state.returned_to_client == (str(returned.event_id),)
    assert ItemState.from_json(state.to_json()) == state
    old = json.loads(state.to_json())
    del old["returned_to_client"]
    assert ItemState.from_json(json.dumps(old)).returned_to_client == ()

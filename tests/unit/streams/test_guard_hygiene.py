"""The lifecycle guard seals a person's words without control characters, and a tombstone on
the requests topic is an empty_record dead letter, not an unexpected error."""

import uuid
from datetime import UTC, datetime, timedelta

from schemas.chain import chain_hash
from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.lifecycle import ActorRole, ItemAcknowledged, ItemDecided, LifecycleEvent
from schemas.topics import TopicNames
from streams.guard import judge_request
from streams.lifecycle import ItemState, apply
from streams.processing import Processor
from tests import factories

TOPICS = TopicNames("t.")
ORIGIN = Origin(topic="t.requests.unit.lappi.rovaniemen-terveysasema", partition=0, offset=3)
T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


def acknowledged_item() -> ItemState:
    raw = factories.as_bytes(factories.feedback(occurred_at=T0.isoformat(),
                                                recorded_at=T0.isoformat()))
    outs = Processor(TOPICS).process(raw, Origin(topic="t.intake", partition=0, offset=0), T0)
    state = None
    for out in outs:
        if isinstance(out.event, LifecycleEvent):
            state = apply(state, out.event)
    assert state is not None
    ack = ItemAcknowledged(
        event_id=uuid.uuid4(), occurred_at=T0 + timedelta(hours=1),
        recorded_at=T0 + timedelta(hours=1), county="lappi", item_id=state.item_id,
        actor_role=ActorRole.UNIT_MANAGER)
    return apply(state, ack)


def test_a_requested_decisions_rationale_is_sealed_without_control_characters() -> None:
    state = acknowledged_item()
    at = T0 + timedelta(hours=2)
    request = ItemDecided(
        event_id=uuid.uuid4(), occurred_at=at, recorded_at=at, county="lappi",
        item_id=state.item_id, actor_role=ActorRole.UNIT_MANAGER, outcome="adopted",
        rationale="Ajanvaraus\x1b[2J\x1b]0;pwned\x07 uudistetaan\u202e.\x00")
    judged = judge_request(state, request.to_json_bytes(), ORIGIN, at, TOPICS)
    (out,) = judged.outgoing
    sealed = out.event
    assert isinstance(sealed, ItemDecided)
    assert sealed.rationale == "Ajanvaraus uudistetaan."
    assert sealed.chain_hash == chain_hash(sealed.model_dump(mode="json"))


def test_a_tombstone_request_is_an_empty_record_dead_letter() -> None:
    judged = judge_request(None, None, ORIGIN, T0, TOPICS)  # type: ignore[arg-type]
    (out,) = judged.outgoing
    assert isinstance(out.event, DeadLetterRecorded)
    assert out.event.reason is RejectionReason.EMPTY_RECORD

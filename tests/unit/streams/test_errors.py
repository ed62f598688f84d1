"""The worker's one error policy (streams/errors.py): unexpected errors become dead letters,
counted, logged by coordinates and never by payload."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.lifecycle import ActorRole, ItemAcknowledged
from schemas.topics import TopicNames
from streams.errors import ErrorPolicy
from streams.lifecycle import ItemState
from streams.processing import Outgoing, Processor
from tests import factories

T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
TOPICS = TopicNames("t.")
INTAKE = Origin(topic="t.intake", partition=2, offset=41)
REQUESTS = Origin(topic="t.requests.unit.lappi.rovaniemen-terveysasema", partition=1, offset=7)
SECRET = "matti.meikalainen@example.fi"
RECEIVED = T0 + timedelta(days=1)  # when the requests below reach the worker


class BrokenProcessor(Processor):
    def process(self, raw: bytes, origin: Origin, received_at: datetime | None
                ) -> list[Outgoing]:
        raise KeyError(SECRET)  # an exception whose message holds a payload's value


class ExplodingState:
    def has_applied(self, event_id: str) -> bool:
        raise RuntimeError(SECRET)


def _policy() -> ErrorPolicy:
    return ErrorPolicy(TOPICS)


def _ack() -> ItemAcknowledged:
    at = T0 + timedelta(days=1)
    return ItemAcknowledged(event_id=uuid.uuid4(), occurred_at=at, recorded_at=at,
                            county="lappi", unit="u1", item_id="fb-0123456789abcdef",
                            actor_role=ActorRole.UNIT_MANAGER)


def test_an_unexpected_error_in_processing_becomes_a_processing_error_dead_letter(
    caplog: pytest.LogCaptureFixture,
) -> None:
    policy = _policy()
    raw = factories.as_bytes(factories.feedback(contact=SECRET))
    with caplog.at_level(logging.INFO, logger="kokemusvirta.worker"):
        (out,) = policy.process(BrokenProcessor(TOPICS), raw, INTAKE, T0)
    assert out.topic == TOPICS.dead_letters
    dl = out.event
    assert isinstance(dl, DeadLetterRecorded)
    assert dl.reason is RejectionReason.PROCESSING_ERROR and dl.origin == INTAKE
    assert dl.detail == "unexpected KeyError in the worker" and dl.occurred_at == T0
    c = policy.counters
    assert (c.processed, c.dead_letters, c.unexpected_errors) == (1, 1, 1)
    assert "t.intake[2]@41" in caplog.text
    assert SECRET not in caplog.text and SECRET not in out.value.decode()


def test_an_ordinary_rejection_is_counted_but_is_not_unexpected() -> None:
    policy = _policy()
    (out,) = policy.process(Processor(TOPICS), b"not json", INTAKE, T0)
    assert out.event.reason is RejectionReason.NOT_JSON  # type: ignore[attr-defined]
    outs = policy.process(Processor(TOPICS), factories.as_bytes(factories.feedback()), INTAKE,
                          T0)
    assert not any(isinstance(o.event, DeadLetterRecorded) for o in outs)
    c = policy.counters
    assert (c.processed, c.dead_letters, c.unexpected_errors) == (2, 1, 0)


def test_an_unexpected_error_in_the_guard_becomes_a_dead_letter_and_keeps_the_state(
    caplog: pytest.LogCaptureFixture,
) -> None:
    policy = _policy()
    state = ExplodingState()
    with caplog.at_level(logging.INFO, logger="kokemusvirta.worker"):
        judgement = policy.judge(state, _ack().to_json_bytes(), REQUESTS, RECEIVED)  # type: ignore[arg-type]
    assert judgement.state is state
    (out,) = judgement.outgoing
    assert out.topic == TOPICS.dead_letters
    assert out.event.reason is RejectionReason.PROCESSING_ERROR  # type: ignore[attr-defined]
    assert out.event.origin == REQUESTS  # type: ignore[attr-defined]
    assert (policy.counters.dead_letters, policy.counters.unexpected_errors) == (1, 1)
    assert policy.counters.processed == 0  # intake records only
    assert "t.requests.unit.lappi.rovaniemen-terveysasema[1]@7" in caplog.text
    assert SECRET not in caplog.text


def test_a_rejected_request_is_counted_as_a_dead_letter() -> None:
    policy = _policy()
    unknown: ItemState | None = None
    judgement = policy.judge(unknown, _ack().to_json_bytes(), REQUESTS, RECEIVED)
    assert judgement.outgoing[0].event.reason is RejectionReason.ILLEGAL_TRANSITION  # type: ignore[attr-defined]
    assert (policy.counters.dead_letters, policy.counters.unexpected_errors) == (1, 0)

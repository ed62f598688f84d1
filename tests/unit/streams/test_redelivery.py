"""Redelivery is byte-identical: what the worker emits for a record is a function of the record.

The worker's path is followed as the agents take it: the Kafka timestamp through `record_time`,
then the error policy (streams/errors.py) around the processor or the guard. Nothing is patched:
the two deliveries simply happen at different moments, as a redelivery after a crash does.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from schemas.chain import chain_hash
from schemas.dead_letter import Origin
from schemas.knowledge import Classification
from schemas.lifecycle import ActorRole, ItemAcknowledged, ItemReceived, LifecycleEvent
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from streams.errors import ErrorPolicy
from streams.lifecycle import ItemState, apply
from streams.processing import Outgoing, Processor
from streams.timing import TimeWindow, record_time
from tests import factories

TOPICS = TopicNames("t.")
INTAKE = Origin(topic="t.intake", partition=1, offset=42)
REQUESTS = Origin(topic="t.requests.unit.lappi.rovaniemen-terveysasema", partition=0, offset=9)
TIMESTAMP = 1_791_500_000.250  # 2026-10-09, after the factories' events; seconds, as Faust


def classify(text: str, language: str | None) -> Classification:
    return Classification(themes=(Theme.ACCESS,), stance=Stance.COMPLAINT,
                          severity=Severity.HIGH, rules=("test",), classifier_version="test-1")


PROCESSOR = Processor(TOPICS, classify=classify, window=TimeWindow())


def deliver(raw: bytes, timestamp: float | None, policy: ErrorPolicy | None = None
            ) -> list[Outgoing]:
    """One delivery of an intake record, as the intake agent makes it."""
    policy = policy or ErrorPolicy(TOPICS)
    return policy.process(PROCESSOR, raw, INTAKE, record_time(timestamp))


def values(outs: list[Outgoing]) -> list[tuple[str, bytes, bytes]]:
    return [(o.topic, o.key, o.value) for o in outs]


def intact(stored: list[dict[str, Any]]) -> bool:
    """schemas.chain over one item's stored events, in their order: each hash is the hash of its
    event, each chain_prev the hash before it."""
    prev = None
    for event in stored:
        if event["chain_prev"] != prev or event["chain_hash"] != chain_hash(event):
            return False
        prev = event["chain_hash"]
    return True


_times = st.datetimes(min_value=datetime(1890, 1, 1), max_value=datetime(9999, 12, 30),
                      timezones=st.just(UTC)).map(lambda d: d.isoformat())
_valid = st.one_of(
    st.builds(factories.feedback, text=st.text(min_size=1, max_size=300),
              rating=st.none() | st.integers(1, 5), reply_requested=st.booleans()),
    st.builds(factories.workshop), st.builds(factories.statement),
).map(factories.as_bytes)
_invalid = st.one_of(
    st.binary(max_size=200),
    st.builds(factories.feedback, channel=st.text(max_size=20)).map(factories.as_bytes),
    st.builds(factories.feedback, occurred_at=_times).map(factories.as_bytes),  # often out of range
    st.builds(factories.feedback, schema_version=st.integers()).map(factories.as_bytes),
    st.just(b'{"event_type": "feedback.submitted"}'), st.just(b"[]"), st.just(b"null"),
)
_timestamps = st.none() | st.floats(min_value=946_684_800, max_value=4_102_444_800)


@hsettings(max_examples=150, deadline=None)
@given(raw=st.one_of(_valid, _invalid), timestamp=_timestamps)
def test_processing_a_record_twice_gives_the_same_bytes(
    raw: bytes, timestamp: float | None
) -> None:
    first = deliver(raw, timestamp)
    time.sleep(0.002)  # the second delivery is later by the wall clock, never by the record
    assert values(deliver(raw, timestamp)) == values(first)


@hsettings(max_examples=60, deadline=None)
@given(hours=st.floats(min_value=-48, max_value=30), timestamp=_timestamps,
       request_id=st.uuids())
def test_judging_a_request_twice_gives_the_same_bytes(
    hours: float, timestamp: float | None, request_id: uuid.UUID
) -> None:
    state, received = _routed()
    at = datetime(2026, 10, 9, 12, tzinfo=UTC) + timedelta(hours=hours)
    request = ItemAcknowledged(event_id=request_id, occurred_at=at, recorded_at=at,
                               county=received.county, unit=received.unit,
                               item_id=received.item_id, actor_role=ActorRole.UNIT_MANAGER)
    raw = request.to_json_bytes()
    first = ErrorPolicy(TOPICS).judge(state, raw, REQUESTS, record_time(timestamp))
    time.sleep(0.002)
    again = ErrorPolicy(TOPICS).judge(state, raw, REQUESTS, record_time(timestamp))
    assert values(list(again.outgoing)) == values(list(first.outgoing))
    assert again.state == first.state


def _routed() -> tuple[ItemState, ItemReceived]:
    outs = deliver(factories.as_bytes(factories.feedback()), TIMESTAMP)
    state = None
    for out in outs:
        if isinstance(out.event, LifecycleEvent):
            state = apply(state, out.event)
    assert state is not None and isinstance(outs[0].event, ItemReceived)
    return state, outs[0].event


def test_a_crash_between_two_sends_leaves_one_intact_chain() -> None:
    """Issue 11, fault 3: the worker sends `received`, dies before `classified`; the record is
    redelivered and everything is sent again. The sink keeps the first copy of each event id,
    so its chain mixes the two deliveries: they must be the same bytes for `verify` to pass."""
    raw = factories.as_bytes(factories.workshop())  # three items, each with its own chain
    first = deliver(raw, TIMESTAMP)
    lifecycle = [i for i, o in enumerate(first) if o.topic == TOPICS.lifecycle]
    for crash_after in range(1, len(first)):
        time.sleep(0.002)  # the restarted worker runs later
        again = deliver(raw, TIMESTAMP)
        kept: dict[uuid.UUID, Outgoing] = {}  # the sink: the first copy of each id wins
        for out in first[:crash_after] + again:
            kept.setdefault(out.event.event_id, out)
        assert [kept[o.event.event_id].value for o in again] == [o.value for o in again]
        chains: dict[str, list[dict[str, Any]]] = {}
        for i in lifecycle:
            stored = json.loads(kept[first[i].event.event_id].value)
            chains.setdefault(stored["item_id"], []).append(stored)
        assert len(chains) == 3
        assert all(intact(chain) for chain in chains.values()), f"crash after {crash_after}"

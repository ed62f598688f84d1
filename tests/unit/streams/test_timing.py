"""Times in range (streams/timing.py): the window's edges, and what the worker does outside it."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kokemusvirta import bootstrap
from kokemusvirta.settings import Settings
from schemas.dead_letter import DeadLetterRecorded, FieldProblem, Origin, RejectionReason
from schemas.lifecycle import ActorRole, ItemAcknowledged, ItemReceived, LifecycleEvent
from schemas.registry import parse_source
from schemas.topics import TopicNames
from streams.guard import judge_request
from streams.lifecycle import ItemState, apply
from streams.processing import Processor
from streams.timing import DEFAULT_EARLIEST, EPOCH, TIME_OUT_OF_RANGE, TimeWindow, record_time
from tests import factories

TOPICS = TopicNames("t.")
RECEIVED = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
WINDOW = TimeWindow()
INTAKE = Origin(topic="t.intake", partition=0, offset=3)
REQUESTS = Origin(topic="t.requests.unit.lappi.rovaniemen-terveysasema", partition=0, offset=5)
US = timedelta(microseconds=1)


def _feedback_at(occurred: datetime, recorded: datetime | None = None) -> bytes:
    return factories.as_bytes(factories.feedback(
        occurred_at=occurred.isoformat(), recorded_at=(recorded or occurred).isoformat()))


def _check(occurred: datetime, recorded: datetime | None = None,
           received: datetime | None = RECEIVED) -> list[str]:
    """The locations the window rejects, [] when it accepts."""
    event = parse_source(_feedback_at(occurred, recorded))
    rejected = WINDOW.check(event, received)
    return [] if rejected is None else [p.location for p in rejected.problems]


def test_record_time_is_the_kafka_timestamp_to_the_millisecond() -> None:
    assert record_time(1_790_000_000.123) == datetime(2026, 9, 21, 14, 13, 20, 123_000,
                                                      tzinfo=UTC)
    assert record_time(1_790_000_000.1234999) == record_time(1_790_000_000.123)
    # No timestamp (Kafka's -1), or one no datetime can hold: None, and the event's time stands.
    for missing in (None, -1.0, 0.0, float("nan"), 9.2e15):
        assert record_time(missing) is None


def test_the_window_includes_both_edges_and_nothing_beyond() -> None:
    latest = RECEIVED + timedelta(hours=24)
    assert _check(DEFAULT_EARLIEST) == []
    assert _check(latest) == []
    assert _check(DEFAULT_EARLIEST - US) == ["occurred_at", "recorded_at"]
    assert _check(latest + US) == ["occurred_at", "recorded_at"]
    assert _check(RECEIVED, recorded=latest + US) == ["recorded_at"]
    assert _check(datetime(1900, 1, 1, tzinfo=UTC), recorded=RECEIVED) == ["occurred_at"]
    assert _check(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), RECEIVED) == ["occurred_at"]


def test_without_a_receipt_the_events_recorded_at_stands_for_it() -> None:
    recorded = datetime(2026, 10, 1, tzinfo=UTC)
    assert _check(recorded + timedelta(hours=24), recorded, received=None) == []
    assert _check(recorded + timedelta(hours=25), recorded, received=None) == ["occurred_at"]
    end = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)  # a window past the last datetime
    assert _check(end, end, received=None) == []
    assert _check(datetime(1999, 12, 31, tzinfo=UTC), received=None) == [
        "occurred_at", "recorded_at"]


def test_a_configured_window_moves_both_edges() -> None:
    narrow = TimeWindow(earliest=datetime(2026, 1, 1, tzinfo=UTC), max_future=timedelta(hours=1))
    event = parse_source(_feedback_at(datetime(2025, 12, 31, tzinfo=UTC), RECEIVED))
    assert narrow.check(event, RECEIVED) is not None
    event = parse_source(_feedback_at(RECEIVED + timedelta(hours=1, seconds=1), RECEIVED))
    assert narrow.check(event, RECEIVED) is not None
    event = parse_source(_feedback_at(RECEIVED + timedelta(hours=1), RECEIVED))
    assert narrow.check(event, RECEIVED) is None


@pytest.mark.parametrize("occurred", ["9999-12-31T23:59:59Z", "1900-01-01T00:00:00Z"])
def test_a_source_event_out_of_range_is_one_schema_violation_dead_letter(occurred: str) -> None:
    raw = factories.as_bytes(factories.feedback(occurred_at=occurred))
    (out,) = Processor(TOPICS, window=WINDOW).process(raw, INTAKE, RECEIVED)
    dl = out.event
    assert out.topic == TOPICS.dead_letters and isinstance(dl, DeadLetterRecorded)
    assert dl.reason is RejectionReason.SCHEMA_VIOLATION
    assert dl.problems == (FieldProblem(location="occurred_at", problem=TIME_OUT_OF_RANGE),)
    assert dl.detail.startswith(f"{TIME_OUT_OF_RANGE}: occurred_at outside 2000-01-01")
    assert occurred[:4] not in out.value.decode()  # names the window, not the event's time
    assert (dl.occurred_at, dl.recorded_at, dl.origin) == (RECEIVED, RECEIVED, INTAKE)
    assert dl.original_event_type == "feedback.submitted"
    # Without a receipt, the dead letter is timed by the epoch: never by the wrong time itself.
    (out,) = Processor(TOPICS, window=WINDOW).process(raw, INTAKE, None)
    assert out.event.occurred_at == EPOCH


def test_an_event_in_range_becomes_its_item_timed_by_the_record() -> None:
    raw = factories.as_bytes(factories.feedback())
    outs = Processor(TOPICS, window=WINDOW).process(raw, INTAKE, RECEIVED)
    steps = [o.event for o in outs if isinstance(o.event, LifecycleEvent)]
    assert [type(s).__name__ for s in steps] == ["ItemReceived", "ItemClassified", "ItemRouted"]
    assert {s.recorded_at for s in steps} == {RECEIVED}
    # Without a receipt, the source event's recorded_at is the system's time.
    recorded = parse_source(raw).recorded_at
    outs = Processor(TOPICS, window=WINDOW).process(raw, INTAKE, None)
    assert {o.event.recorded_at for o in outs} == {recorded}


def _routed() -> tuple[ItemState, ItemReceived]:
    state = None
    outs = Processor(TOPICS).process(factories.as_bytes(factories.feedback()), INTAKE, RECEIVED)
    for out in outs:
        if isinstance(out.event, LifecycleEvent):
            state = apply(state, out.event)
    received = outs[0].event
    assert state is not None and isinstance(received, ItemReceived)
    return state, received


@pytest.mark.parametrize("at", [datetime(9999, 1, 1, tzinfo=UTC), datetime(1900, 1, 1, tzinfo=UTC),
                                RECEIVED + timedelta(hours=24, seconds=1)])
def test_a_requested_step_out_of_range_is_a_dead_letter_and_the_state_stays(
    at: datetime,
) -> None:
    state, received = _routed()
    request = ItemAcknowledged(event_id=uuid.uuid4(), occurred_at=at, recorded_at=RECEIVED,
                               county=received.county, unit=received.unit,
                               item_id=received.item_id, actor_role=ActorRole.UNIT_MANAGER)
    j = judge_request(state, request.to_json_bytes(), REQUESTS, RECEIVED, TOPICS)
    assert j.state == state
    (out,) = j.outgoing
    dl = out.event
    assert out.topic == TOPICS.dead_letters and isinstance(dl, DeadLetterRecorded)
    assert dl.reason is RejectionReason.SCHEMA_VIOLATION
    assert [p.problem for p in dl.problems] == [TIME_OUT_OF_RANGE]
    assert (dl.item_id, dl.original_event_id) == (received.item_id, str(request.event_id))
    assert dl.occurred_at == RECEIVED


def test_a_requested_step_at_the_edge_is_accepted() -> None:
    state, received = _routed()
    at = RECEIVED + timedelta(hours=24)
    request = ItemAcknowledged(event_id=uuid.uuid4(), occurred_at=at, recorded_at=at,
                               county=received.county, unit=received.unit,
                               item_id=received.item_id, actor_role=ActorRole.UNIT_MANAGER)
    j = judge_request(state, request.to_json_bytes(), REQUESTS, RECEIVED, TOPICS)
    assert [o.topic for o in j.outgoing] == [TOPICS.lifecycle]
    assert json.loads(j.outgoing[0].value)["occurred_at"].startswith("2026-10-02T12:00")


def test_the_window_comes_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert bootstrap.time_window(Settings(_env_file=None)) == TimeWindow()  # type: ignore[call-arg]
    monkeypatch.setenv("KOKEMUSVIRTA_EARLIEST_EVENT_TIME", "2020-01-01")
    monkeypatch.setenv("KOKEMUSVIRTA_MAX_FUTURE_HOURS", "2.5")
    window = bootstrap.time_window(Settings(_env_file=None))  # type: ignore[call-arg]
    assert window == TimeWindow(earliest=datetime(2020, 1, 1, tzinfo=UTC),
                                max_future=timedelta(hours=2.5))

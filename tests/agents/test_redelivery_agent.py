"""Redelivery through the agents (Faust's test context, no broker): the same Kafka record, given
again after a crash, makes the same bytes, and the times come from the record, not the clock."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta

from schemas.access import Requester
from schemas.dead_letter import DeadLetterRecorded
from schemas.lifecycle import ActorRole, ItemAcknowledged, ItemReceived, LifecycleEvent
from tests.agents.wiring import RecordingSender, forwarded, offline_app
from tests.factories import as_bytes, feedback

RECEIVED = datetime(2026, 10, 2, 9, 30, 0, 250_000, tzinfo=UTC)  # after the factory's feedback
TIMESTAMP = RECEIVED.timestamp()


def test_a_redelivered_intake_record_is_sent_again_byte_for_byte(settings_factory_offline) -> None:  # type: ignore[no-untyped-def]
    first, again = RecordingSender(), RecordingSender()
    raw = as_bytes(feedback())
    settings = settings_factory_offline()

    async def deliver(sender: RecordingSender) -> None:
        app, _ = offline_app(settings, sender)  # a restarted worker: a new app, no state
        async with app.agents["process-intake"].test_context() as ctx:
            await ctx.put(raw, key=b"k1", timestamp=TIMESTAMP)

    asyncio.run(deliver(first))
    time.sleep(0.01)  # the restart comes later by the wall clock
    asyncio.run(deliver(again))
    assert [o.value for o in again.sent] == [o.value for o in first.sent]
    steps = [o.event for o in first.sent if isinstance(o.event, LifecycleEvent)]
    assert len(steps) == 3 and {s.recorded_at for s in steps} == {RECEIVED}


def test_the_guard_rejects_a_step_dated_in_year_9999_and_times_it_by_the_record(  # type: ignore[no-untyped-def]
    settings_factory_offline,
) -> None:
    recorder = RecordingSender()
    settings = settings_factory_offline()
    unit_managers = Requester.parse("unit", "lappi.rovaniemen-terveysasema")  # the feedback's
    app, errors = offline_app(settings, recorder,
                              request_topics=(settings.topics.requests(unit_managers),))

    async def scenario() -> None:
        async with app.agents["process-intake"].test_context() as ctx:
            await ctx.put(as_bytes(feedback()), key=b"k1", timestamp=TIMESTAMP)
        (item,) = (o.event for o in recorder.sent if isinstance(o.event, ItemReceived))
        recorder.sent.clear()
        far = datetime(9999, 1, 1, tzinfo=UTC)
        soon = RECEIVED + timedelta(hours=1)
        async with app.agents["guard-lifecycle"].test_context() as ctx:
            for at in (far, soon):
                request = ItemAcknowledged(
                    event_id=uuid.uuid4(), occurred_at=at, recorded_at=at, county=item.county,
                    unit=item.unit, item_id=item.item_id, actor_role=ActorRole.UNIT_MANAGER)
                await ctx.put(request.to_json_bytes(), key=request.kafka_key(),
                              timestamp=TIMESTAMP, headers=forwarded(
                                  settings.topics.requests(unit_managers), timestamp=TIMESTAMP))

    asyncio.run(scenario())
    rejected, accepted = recorder.sent
    assert isinstance(rejected.event, DeadLetterRecorded)
    assert rejected.event.reason.value == "schema_violation"
    assert [p.problem for p in rejected.event.problems] == ["time_out_of_range"] * 2
    assert rejected.event.occurred_at == RECEIVED
    assert isinstance(accepted.event, ItemAcknowledged)
    assert errors.counters.dead_letters == 1

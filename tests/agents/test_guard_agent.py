"""The lifecycle guard's agent in Faust's test context: no broker, the sender records.

An item goes through the intake agent first, so the guard's states are the ones the worker keeps
(the system's three steps folded in); then people's requests about it go to the guard.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from schemas.access import Requester
from schemas.dead_letter import DeadLetterRecorded, RejectionReason
from schemas.envelope import utc_now
from schemas.lifecycle import ActorRole, ItemAcknowledged, ItemDecided, ItemReceived
from streams.lifecycle import ItemState
from tests.agents.wiring import RecordedLifecycle, RecordingSender, forwarded, offline_app
from tests.factories import as_bytes, feedback

BROKEN_ITEM = "fb-00000000000000ff"
# The unit managers of the factories' feedback, and of another unit of the same county.
OWN = Requester.parse("unit", "lappi.rovaniemen-terveysasema")
OTHER = Requester.parse("unit", "lappi.kemin-neuvola")


class ExplodingState:
    """A state the pure judge cannot read: stands for any bug in streams/guard.py."""

    def has_applied(self, event_id: str) -> bool:
        raise RuntimeError("a bug in the guard")


def _request(item: ItemReceived, step: type[Any], hours: float, **fields: Any) -> Any:
    at = utc_now() + timedelta(hours=hours)
    return step(event_id=uuid.uuid4(), occurred_at=at, recorded_at=at, county=item.county,
                unit=item.unit, item_id=item.item_id, actor_role=ActorRole.UNIT_MANAGER,
                **fields)


def test_guard_moves_legal_requests_and_rejects_the_rest(settings_factory_offline) -> None:  # type: ignore[no-untyped-def]
    settings = settings_factory_offline()
    topics = settings.topics
    recorder = RecordingSender()
    states: dict[str, ItemState] = {BROKEN_ITEM: ExplodingState()}  # type: ignore[dict-item]
    app, errors = offline_app(settings, recorder, states, (topics.requests(OWN),))

    async def intake() -> None:
        async with app.agents["process-intake"].test_context() as ctx:
            await ctx.put(as_bytes(feedback()), key=b"k1")

    asyncio.run(intake())
    (item,) = (o.event for o in recorder.sent if isinstance(o.event, ItemReceived))
    recorder.sent.clear()

    legal = _request(item, ItemAcknowledged, 1)
    repeated = _request(item, ItemAcknowledged, 2)
    raising = _request(item, ItemAcknowledged, 1).model_copy(update={"item_id": BROKEN_ITEM})
    after_the_error = _request(item, ItemDecided, 3, outcome="adopted",
                               rationale="Ajanvaraus uudistetaan.")

    async def requests() -> None:
        async with app.agents["guard-lifecycle"].test_context() as ctx:
            for request in (legal, repeated, raising, after_the_error):
                await ctx.put(request.to_json_bytes(), key=request.kafka_key(),
                              headers=forwarded(topics.requests(OWN)))

    asyncio.run(requests())
    accepted, illegal, error, decided = recorder.sent

    assert accepted.topic == topics.lifecycle
    assert isinstance(accepted.event, ItemAcknowledged)
    assert accepted.event.event_id == legal.event_id

    assert illegal.topic == topics.dead_letters
    assert isinstance(illegal.event, DeadLetterRecorded)
    assert illegal.event.reason is RejectionReason.ILLEGAL_TRANSITION
    assert illegal.event.original_event_id == str(repeated.event_id)

    assert error.topic == topics.dead_letters
    assert isinstance(error.event, DeadLetterRecorded)
    assert error.event.reason is RejectionReason.PROCESSING_ERROR
    assert error.event.origin.topic == topics.requests(OWN)

    # The agent kept going, with the item's state as the accepted step left it.
    assert decided.topic == topics.lifecycle
    assert decided.event.event_id == after_the_error.event_id
    assert states[str(item.item_id)].has_applied(str(after_the_error.event_id))
    assert errors.counters.dead_letters == 2 and errors.counters.unexpected_errors == 1


def test_the_guard_judges_by_the_topic_a_request_arrived_on(settings_factory_offline) -> None:  # type: ignore[no-untyped-def]
    """The same legal request, on another unit's request topic: unauthorised, state unchanged."""
    settings = settings_factory_offline()
    topics = settings.topics
    recorder = RecordingSender()
    states: dict[str, ItemState] = {}
    app, errors = offline_app(settings, recorder, states, (topics.requests(OTHER),))

    async def intake() -> None:
        async with app.agents["process-intake"].test_context() as ctx:
            await ctx.put(as_bytes(feedback()), key=b"k1")

    asyncio.run(intake())
    (item,) = (o.event for o in recorder.sent if isinstance(o.event, ItemReceived))
    system_steps = tuple(str(o.event.event_id) for o in recorder.sent
                         if o.topic == topics.lifecycle)
    recorder.sent.clear()
    legal_elsewhere = _request(item, ItemAcknowledged, 1)

    async def requests() -> None:
        async with app.agents["guard-lifecycle"].test_context() as ctx:
            await ctx.put(legal_elsewhere.to_json_bytes(), key=legal_elsewhere.kafka_key(),
                          headers=forwarded(topics.requests(OTHER)))

    asyncio.run(requests())
    (refused,) = recorder.sent
    assert refused.topic == topics.dead_letters
    assert isinstance(refused.event, DeadLetterRecorded)
    assert refused.event.reason is RejectionReason.UNAUTHORISED_REQUEST
    assert refused.event.origin.topic == topics.requests(OTHER)
    # The state read back from the lifecycle (the system's three steps), nothing more.
    assert states[str(item.item_id)].event_ids == system_steps
    assert errors.counters.dead_letters_by_reason["unauthorised_request"] == 1


def test_the_guard_reads_request_topics_granted_while_it_runs(  # type: ignore[no-untyped-def]
    settings_factory_offline, monkeypatch,
) -> None:
    """The worker's scan (every few seconds, from the broker's metadata) widens the guard's
    subscription: a new request topic, seen by every clone Faust made of the guard's topic;
    and a new subscription when a topic is left out of the group's assignment (a worker
    restarted under its static id gets its predecessor's), not more often than REASK_AFTER_S."""
    settings = settings_factory_offline()
    topics = settings.topics
    own, other = topics.requests(OWN), topics.requests(OTHER)
    app, _ = offline_app(settings, RecordingSender(), request_topics=(own,))
    guard = app.agents["forward-requests"].channel
    asked: list[int] = []
    monkeypatch.setattr(app.topics, "_flag_changes", lambda: asked.append(1))
    app.topics._topic_name_index = {own: set()}  # subscribed
    app.assignor._topic_groups = {own: 0}  # and assigned

    assert guard.grow([own, topics.intake, topics.lifecycle, "x.requests.unit.a.b"], 0) == []
    assert asked == []  # nothing new: no rebalance
    assert guard.grow([own, other], 1) == [other]
    assert asked == [1] and list(guard.topics) == [own, other]
    assert list(guard._clone().topics) == [own, other]  # what the conductor holds sees it

    app.topics._topic_name_index = {own: set(), other: set()}  # subscribed, not assigned
    guard.grow([own, other], 2)
    assert asked == [1]  # asked at 1: not again so soon
    guard.grow([own, other], 1 + guard.REASK_AFTER_S)
    assert asked == [1, 1]
    app.assignor._topic_groups = {own: 0, other: 0}
    guard.grow([own, other], 100)
    assert asked == [1, 1]


def test_the_guard_judges_only_once_it_has_read_the_lifecycle_to_its_end(  # type: ignore[no-untyped-def]
    settings_factory_offline, monkeypatch,
) -> None:
    """The lifecycle cannot be read (the broker away): the request waits and is judged once
    the read succeeds, on the state read back (the item's receipt), never before or without."""
    settings = settings_factory_offline()
    topics = settings.topics
    recorder = RecordingSender()
    failures = [ConnectionError("broker away"), ConnectionError("still away")]
    read_back = RecordedLifecycle.catch_up

    async def flaky(self, partitions=None, *, dead_letters=False):  # type: ignore[no-untyped-def]
        if failures:
            raise failures.pop(0)
        await read_back(self, partitions, dead_letters=dead_letters)

    monkeypatch.setattr(RecordedLifecycle, "catch_up", flaky)
    app, errors = offline_app(settings, recorder, request_topics=(topics.requests(OWN),))

    async def scenario() -> None:
        async with app.agents["process-intake"].test_context() as ctx:
            await ctx.put(as_bytes(feedback()), key=b"k1")
        (item,) = (o.event for o in recorder.sent if isinstance(o.event, ItemReceived))
        recorder.sent.clear()
        ack = _request(item, ItemAcknowledged, 1)
        async with app.agents["guard-lifecycle"].test_context() as ctx:
            await ctx.put(ack.to_json_bytes(), key=ack.kafka_key(),
                          headers=forwarded(topics.requests(OWN)))
            for _ in range(100):  # the agent waits 0.5 s, then 1 s, between its reads
                if recorder.sent:
                    break
                await asyncio.sleep(0.05)

    asyncio.run(scenario())
    (accepted,) = recorder.sent
    assert accepted.topic == topics.lifecycle and isinstance(accepted.event, ItemAcknowledged)
    assert failures == [] and errors.counters.judged == 1

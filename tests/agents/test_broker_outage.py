"""The intake agent waits out a broker that is away instead of stopping the worker (issue 11:
the worker stopped with KafkaConnectionError when a send hit a broker restart)."""

import asyncio
from collections.abc import Awaitable

import pytest
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, NodeNotReadyError

from schemas.lifecycle import ItemReceived
from streams import delivery
from streams.processing import Outgoing
from tests.agents.wiring import RecordingSender, all_acked, offline_app
from tests.factories import as_bytes, feedback


class FlakySender(RecordingSender):
    """Out of reach for its first `failures` sends, as a broker in a restart is."""

    def __init__(self, failures: list[Exception]) -> None:
        super().__init__()
        self.failures = failures
        self.attempts = 0

    async def send(self, out: Outgoing) -> Awaitable[object]:
        self.attempts += 1
        if self.failures:
            raise self.failures.pop(0)
        return await super().send(out)


def test_a_send_during_a_broker_outage_is_tried_again_and_the_worker_keeps_going(  # type: ignore[no-untyped-def]
    settings_factory_offline, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(delivery, "RETRY_FIRST_S", 0.01)
    sender = FlakySender([KafkaConnectionError("connection reset by peer"),
                          NodeNotReadyError("node not ready"), KafkaTimeoutError()])
    app, errors = offline_app(settings_factory_offline(), sender)
    crashed: list[BaseException] = []

    async def record_crash(reason: BaseException) -> None:
        crashed.append(reason)

    app.crash = record_crash  # type: ignore[method-assign]

    async def scenario() -> None:
        async with app.agents["process-intake"].test_context() as ctx:
            events = [await ctx.put(as_bytes(feedback()), key=b"k1"),
                      await ctx.put(as_bytes(feedback(text="Toinen palaute.")), key=b"k2")]
            await all_acked(events)

    asyncio.run(scenario())
    assert crashed == []
    received = [o for o in sender.sent if isinstance(o.event, ItemReceived)]
    assert len(received) == 2  # both records' outputs, none lost
    assert sender.attempts == len(sender.sent) + 3
    assert len({o.event.event_id for o in sender.sent}) == len(sender.sent)  # none twice
    assert errors.counters.processed == 2


def test_only_an_unreachable_broker_is_waited_out() -> None:
    assert delivery.broker_unreachable(KafkaConnectionError())
    assert delivery.broker_unreachable(KafkaTimeoutError())
    assert not delivery.broker_unreachable(ConnectionError("not Kafka's: a bug"))
    assert not delivery.broker_unreachable(ValueError("a refusal"))

"""The intake agent's batches and the commit: a record is acked (its offset may be committed) only
once every output of its batch is acknowledged by the broker. A sender whose acknowledgements the
test gives out by hand stands for the broker."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiokafka.errors import MessageSizeTooLargeError, NodeNotReadyError

from kokemusvirta.settings import Settings
from streams import delivery
from streams.lifecycle import ItemState
from streams.processing import Outgoing
from tests.agents.wiring import RecordingSender, all_acked, offline_app
from tests.factories import as_bytes, feedback

RECORDS = 3


class HeldAcksSender(RecordingSender):
    """Hands every output over and acknowledges none until the test says so."""

    def __init__(self) -> None:
        super().__init__()
        self.acks: list[asyncio.Future[object]] = []

    async def send(self, out: Outgoing) -> Awaitable[object]:
        self.sent.append(out)
        acknowledged: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        self.acks.append(acknowledged)
        return acknowledged


async def _until(condition: Callable[[], bool], within_s: float = 10.0) -> None:
    async with asyncio.timeout(within_s):
        while not condition():
            await asyncio.sleep(0.005)


def _one_batch(settings: Settings, sender: HeldAcksSender,
               states: dict[str, ItemState]) -> tuple[Any, Any]:
    # The batch is full at RECORDS records: the three are one batch, whatever the timing.
    return offline_app(settings, sender, states, intake_batch_max=RECORDS,
                       intake_batch_wait_s=30.0)


def test_no_record_is_acked_before_every_output_of_its_batch_is_acknowledged(
    settings_factory_offline: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(delivery, "RETRY_FIRST_S", 0.01)
    sender = HeldAcksSender()
    states: dict[str, ItemState] = {}
    app, errors = _one_batch(settings_factory_offline(), sender, states)

    async def scenario() -> None:
        async with app.agents["process-intake"].test_context() as ctx:
            events = [await ctx.put(as_bytes(feedback(text=f"Palaute {i}.")), key=b"k%d" % i,
                                    wait=False) for i in range(RECORDS)]
            await _until(lambda: errors.counters.processed == RECORDS)
            await asyncio.sleep(0.05)
            handed = len(sender.acks)
            assert handed > RECORDS  # every record's outputs handed over before any ack
            assert not any(e.message.acked for e in events)

            # All acknowledged but one, which failed because the broker was away: sent again,
            # alone, and until that copy is acknowledged no record of the batch is acked.
            for ack in sender.acks[1:]:
                ack.set_result(None)
            sender.acks[0].set_exception(NodeNotReadyError("leader moving"))
            await _until(lambda: len(sender.acks) == handed + 1)
            assert sender.sent[-1] == sender.sent[0]
            await asyncio.sleep(0.05)
            assert not any(e.message.acked for e in events)

            sender.acks[-1].set_result(None)
            await all_acked(events)
            assert len(sender.sent) == handed + 1

    asyncio.run(scenario())


def test_a_batch_with_an_output_the_broker_refuses_stops_the_worker_unacked(
    settings_factory_offline: Callable[..., Settings],
) -> None:
    sender = HeldAcksSender()
    app, errors = _one_batch(settings_factory_offline(), sender, {})
    crashed: list[BaseException] = []

    async def record_crash(reason: BaseException) -> None:
        crashed.append(reason)

    app.crash = record_crash  # type: ignore[method-assign]
    events: list[Any] = []

    async def scenario() -> None:
        async with app.agents["process-intake"].test_context() as ctx:
            events.extend([await ctx.put(as_bytes(feedback(text=f"Palaute {i}.")),
                                         key=b"k%d" % i, wait=False) for i in range(RECORDS)])
            await _until(lambda: errors.counters.processed == RECORDS)
            await asyncio.sleep(0.05)
            sender.acks[1].set_exception(MessageSizeTooLargeError())
            for ack in sender.acks[:1] + sender.acks[2:]:
                ack.set_result(None)
            await _until(lambda: bool(crashed))

    with contextlib.suppress(MessageSizeTooLargeError):  # whether it propagates is Faust's
        asyncio.run(scenario())
    assert len(crashed) == 1 and isinstance(crashed[0], MessageSizeTooLargeError)
    assert not any(e.message.acked for e in events)
    assert len(sender.sent) == len(sender.acks)  # nothing sent again: not the broker being away

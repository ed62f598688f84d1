"""The worker's app as the composition root wires it, with a sender that records instead of
sending: agent tests run in Faust's test context, with no broker. The guard's lifecycle is the
recorder's: what it sent to the lifecycle topic is read back into partition 0 of the state
book, the partition this app holds."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import faust

from kokemusvirta import bootstrap
from kokemusvirta.settings import Settings
from streams.app import create_app
from streams.errors import ErrorPolicy
from streams.guard_agent import origin_headers
from streams.guard_state import PartitionStates, StateBook
from streams.lifecycle import ItemState
from streams.processing import Outgoing


class RecordingSender:
    """Every output acknowledged as soon as it is handed over."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []
        self.lifecycle: list[bytes] = []  # the lifecycle topic's partition 0, never cleared

    def bind(self, app: faust.App) -> None:
        pass

    async def send(self, out: Outgoing) -> Awaitable[object]:
        self.sent.append(out)
        if out.topic.endswith("lifecycle"):
            self.lifecycle.append(out.value)
        acknowledged: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        acknowledged.set_result(None)
        return acknowledged


class RecordedLifecycle:
    """The guard's reader of the lifecycle topic, reading the recorder's instead."""

    def __init__(self, book: StateBook, sender: RecordingSender) -> None:
        self.book, self.sender = book, sender
        self.catch_ups = 0

    async def catch_up(self, partitions: Any = None, *, dead_letters: bool = False) -> None:
        self.catch_ups += 1
        if self.book.owns(0):
            for offset in range(self.book.position(0), len(self.sender.lifecycle)):
                self.book.fold(0, offset, self.sender.lifecycle[offset])

    async def stop(self) -> None:
        pass


def forwarded(topic: str, partition: int = 0, offset: int = 0,
              timestamp: float | None = None) -> list[tuple[str, bytes]]:
    """The headers the worker's forwarder puts on a request that came from `topic`."""
    return origin_headers(SimpleNamespace(topic=topic, partition=partition, offset=offset,
                                          timestamp=timestamp))


class BrokenSender(RecordingSender):
    async def send(self, out: Outgoing) -> Awaitable[object]:
        raise ConnectionError("broker gone")


async def all_acked(events: list[Any], within_s: float = 10.0) -> None:
    """Wait until the agent acked every one of `events` (what `ctx.put` returned): the intake
    agent acks a batch only after its outputs are acknowledged, and leaving the test context
    earlier stops it mid-batch."""
    async with asyncio.timeout(within_s):
        while not all(e.message.acked for e in events):
            await asyncio.sleep(0.005)


def offline_app(
    settings: Settings, sender: RecordingSender, states: dict[str, ItemState] | None = None,
    request_topics: tuple[str, ...] = (), **config_changes: Any,
) -> tuple[faust.App, ErrorPolicy]:
    """`request_topics`: the forwarder reads these. `states`: partition 0's states, the only
    partition the guard holds here (the test context puts on partition 0). `config_changes`:
    other WorkerConfig fields (the intake agent's batches)."""
    config = replace(bootstrap.worker_config(settings, "127.0.0.1:9"),
                     request_topics=request_topics, **config_changes)
    errors = ErrorPolicy(config.topics, config.time_window)
    book = StateBook(config.topics.lifecycle)
    book.partitions[0] = PartitionStates(states={} if states is None else states)
    app = create_app(config, privacy=bootstrap.privacy_service(settings), sender=sender,
                     errors=errors, book=book, lifecycle=RecordedLifecycle(book, sender))
    return app, errors

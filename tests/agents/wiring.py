"""The worker's app as the composition root wires it, with a sender that records instead of
sending: agent tests run in Faust's test context, with no broker."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import replace
from typing import Any

import faust

from kokemusvirta import bootstrap
from kokemusvirta.settings import Settings
from streams.app import create_app
from streams.errors import ErrorPolicy
from streams.lifecycle import ItemState
from streams.processing import Outgoing


class RecordingSender:
    """Every output acknowledged as soon as it is handed over."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []

    def bind(self, app: faust.App) -> None:
        pass

    async def send(self, out: Outgoing) -> Awaitable[object]:
        self.sent.append(out)
        acknowledged: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        acknowledged.set_result(None)
        return acknowledged


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
    """`request_topics`: the guard reads these (its test context puts on the one given);
    `config_changes`: other WorkerConfig fields (the intake agent's batches)."""
    config = replace(bootstrap.worker_config(settings, "127.0.0.1:9"),
                     request_topics=request_topics, **config_changes)
    errors = ErrorPolicy(config.topics, config.time_window)
    app = create_app(config, privacy=bootstrap.privacy_service(settings), sender=sender,
                     states={} if states is None else states, errors=errors)
    return app, errors

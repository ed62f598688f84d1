"""The worker's app as the composition root wires it, with a sender that records instead of
sending: agent tests run in Faust's test context, with no broker."""

from __future__ import annotations

from dataclasses import replace

import faust

from kokemusvirta import bootstrap
from kokemusvirta.settings import Settings
from streams.app import create_app
from streams.errors import ErrorPolicy
from streams.lifecycle import ItemState
from streams.processing import Outgoing


class RecordingSender:
    def __init__(self) -> None:
        self.sent: list[Outgoing] = []

    def bind(self, app: faust.App) -> None:
        pass

    async def send(self, out: Outgoing) -> None:
        self.sent.append(out)


class BrokenSender(RecordingSender):
    async def send(self, out: Outgoing) -> None:
        raise ConnectionError("broker gone")


def offline_app(
    settings: Settings, sender: RecordingSender, states: dict[str, ItemState] | None = None,
    request_topics: tuple[str, ...] = (),
) -> tuple[faust.App, ErrorPolicy]:
    """`request_topics`: the guard reads these (its test context puts on the one given)."""
    config = replace(bootstrap.worker_config(settings, "127.0.0.1:9"),
                     request_topics=request_topics)
    errors = ErrorPolicy(config.topics, config.time_window)
    app = create_app(config, privacy=bootstrap.privacy_service(settings), sender=sender,
                     states={} if states is None else states, errors=errors)
    return app, errors

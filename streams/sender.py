"""Sending the agents' outputs: to Kafka through the Faust app's producer, or, in tests, anywhere.

`create_app` binds the sender to the app it made, then the agents await `send` for each output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, cast

import faust
from faust.transport.drivers.aiokafka import Producer as KafkaProducerService

from schemas.dead_letter import DeadLetterRecorded
from streams.config import WorkerConfig
from streams.processing import Outgoing, dead_letter_headers


class Sender(Protocol):
    def bind(self, app: faust.App) -> None: ...

    async def send(self, out: Outgoing) -> None: ...


class KafkaSender:
    """Declares each output topic the first time it sends to it (routed topics appear as new
    units and service areas do) and sends with the event's type, or a dead letter's reason and
    origin, in the headers."""

    def __init__(self, config: WorkerConfig,
                 on_delivered: Callable[[Outgoing, int, int], None] | None = None) -> None:
        """`on_delivered(out, partition, offset)` hears each acknowledged output (the worker's
        checkpoint book, streams/checkpoints.py)."""
        self.config = config
        self.on_delivered = on_delivered
        self._app: faust.App | None = None
        self._declared: dict[str, Any] = {}  # topic name → faust TopicT

    def bind(self, app: faust.App) -> None:
        self._app = app

    async def send(self, out: Outgoing) -> None:
        topic = self._declared.get(out.topic)
        if topic is None:
            topic = await self._declare(out.topic)
        headers = dead_letter_headers(out.event) if isinstance(out.event, DeadLetterRecorded) \
            else [("event-type", out.event.event_type.encode())]
        hook = self.on_delivered
        callback = None if hook is None else \
            (lambda fut: hook(out, fut.result().partition, fut.result().offset))
        await topic.send(key=out.key, value=out.value, headers=headers, callback=callback)

    async def _declare(self, name: str) -> Any:
        app = self._app
        if app is None:
            raise RuntimeError("KafkaSender.send before create_app bound it to the app")
        routed = self.config.topics.is_routed(name)
        topic = app.topic(
            name, key_serializer="raw", value_serializer="raw",
            partitions=self.config.routed_partitions if routed else self.config.partitions,
            config={"retention.ms": "-1"},  # routed copies are kept like the rest of the log
        )
        if routed:  # the others exist: `kokemusvirta worker` creates them before it starts
            await topic.maybe_declare()
        await _track_in_producer_metadata(app, name)
        self._declared[name] = topic
        return topic


async def _track_in_producer_metadata(app: faust.App, topic: str) -> None:
    """Put the topic in the set of topics aiokafka's producer client refreshes metadata for.

    aiokafka adds a topic to that set only when it sends to one whose partitions it does not
    know yet; a topic it already knew from an earlier fetch is never added. Once the set is not
    empty, each refresh asks only about the topics in it and forgets the others, so a batch
    lingering for a forgotten topic has no leader any more and the sender refreshes metadata in
    a loop for ever. Seen here as a worker that stopped after a dead letter or a new unit's
    topic and never committed again (tests/integration/test_flow.py has the regression test).
    """
    producer = cast(KafkaProducerService, app.producer)
    client = producer._ensure_producer().client  # faust exposes no public accessor
    await client.add_topic(topic)

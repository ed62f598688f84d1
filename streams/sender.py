"""Sending the agents' outputs: to Kafka through the Faust app's producer, or, in tests, anywhere.

`create_app` binds the sender to the app it made. `send` hands one output to the producer and
returns what completes when the broker has acknowledged it: the agents hand over a whole batch
before they await any acknowledgement (streams/delivery.py). A sender may also offer
`send_all`, the same for many outputs at once (KafkaSender: one record batch per partition).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, cast

import faust
from faust.transport.drivers.aiokafka import Producer as KafkaProducerService

from schemas.dead_letter import DeadLetterRecorded
from streams.config import WorkerConfig
from streams.processing import Outgoing, dead_letter_headers


class Sender(Protocol):
    def bind(self, app: faust.App) -> None: ...

    async def send(self, out: Outgoing) -> Awaitable[object]:
        """Hand `out` to the producer; the result completes once the broker acknowledged it,
        or fails with the delivery's error."""
        ...


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
        self._producer: Any = None  # aiokafka's producer, once the app has started it

    def bind(self, app: faust.App) -> None:
        self._app = app

    async def send(self, out: Outgoing) -> Awaitable[object]:
        if out.topic not in self._declared:
            await self._declare(out.topic)
        headers = _headers(out)
        # Straight to aiokafka's producer, as Faust's topic.send ends up doing: its wrappers
        # (a FutureMessage, sensors, a signal per message) were a large share of the worker's
        # time per output, and the project reads none of them. Partitioned by key the same way
        # (aiokafka's default partitioner, which Faust passes on).
        producer = self._producer
        if producer is None:
            producer = self._producer = self._kafka_producer()
        acknowledged: asyncio.Future[Any] = await producer.send(
            out.topic, out.value, key=out.key, headers=headers)
        hook = self.on_delivered
        if hook is not None:
            acknowledged.add_done_callback(lambda fut: _heard(fut, out, hook))
        return acknowledged

    async def send_all(self, outs: Sequence[Outgoing]) -> list[Awaitable[object]]:
        """Hand all of `outs` over at once, one record batch per partition (aiokafka's
        BatchBuilder): the producer then keeps one future per partition, not one per output,
        and resolves one when the broker answers. Returns one awaitable per output, in order; a
        batch the producer refused (the broker away) is one that fails with the refusal."""
        producer = self._producer
        if producer is None:
            producer = self._producer = self._kafka_producer()
        for topic in {out.topic for out in outs}:
            if topic not in self._declared:
                await self._declare(topic)
            await producer.partitions_for(topic)  # its partitions known before partitioning
        batches: list[tuple[str, int, Any, list[Outgoing]]] = []
        open_batch: dict[tuple[str, int], int] = {}  # (topic, partition) → index in batches
        which: list[int] = []  # each output's batch
        for out in outs:
            key, value = out.key, out.value
            # The partition aiokafka's send would choose (its default partitioner, by key).
            partition = producer._partition(out.topic, None, None, None, key, value)
            i = open_batch.get((out.topic, partition))
            if i is None or batches[i][2].append(timestamp=None, key=key, value=value,
                                                 headers=_headers(out)) is None:
                builder = producer.create_batch()  # the first record always fits
                builder.append(timestamp=None, key=key, value=value, headers=_headers(out))
                i = open_batch[(out.topic, partition)] = len(batches)
                batches.append((out.topic, partition, builder, []))
            batches[i][3].append(out)
            which.append(i)
        acknowledged: list[asyncio.Future[Any]] = []
        hook = self.on_delivered
        for topic, partition, builder, members in batches:
            builder.close()  # nothing else may join it: the offsets below count on its order
            try:
                future = await producer.send_batch(builder, topic, partition=partition)
            except Exception as exc:  # noqa: BLE001 - the caller judges it, output by output
                future = asyncio.get_running_loop().create_future()
                future.set_exception(exc)
            else:
                if hook is not None:
                    future.add_done_callback(
                        lambda fut, members=members: _heard_batch(fut, members, hook))
            acknowledged.append(future)
        return [acknowledged[i] for i in which]

    def _kafka_producer(self) -> Any:
        if self._app is None:
            raise RuntimeError("KafkaSender.send before create_app bound it to the app")
        return cast(KafkaProducerService, self._app.producer)._ensure_producer()

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


def _headers(out: Outgoing) -> list[tuple[str, bytes]]:
    """The event's type, or a dead letter's reason and origin: what consumers route by."""
    return dead_letter_headers(out.event) if isinstance(out.event, DeadLetterRecorded) \
        else [("event-type", out.event.event_type.encode())]


def _heard_batch(acknowledged: asyncio.Future[Any], members: list[Outgoing],
                 hook: Callable[[Outgoing, int, int], None]) -> None:
    """A record batch's acknowledgement names its first offset; the others follow in order."""
    if not acknowledged.cancelled() and acknowledged.exception() is None:
        metadata = acknowledged.result()
        for i, out in enumerate(members):
            hook(out, metadata.partition, metadata.offset + i)


def _heard(acknowledged: asyncio.Future[Any], out: Outgoing,
           hook: Callable[[Outgoing, int, int], None]) -> None:
    if not acknowledged.cancelled() and acknowledged.exception() is None:
        metadata = acknowledged.result()
        hook(out, metadata.partition, metadata.offset)


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

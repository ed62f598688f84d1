"""KafkaSender.send_all against a stand-in for aiokafka's producer (no broker): a batch's outputs
go as one record batch per partition, in order, and the checkpoint book hears each output at its
own offset; a batch the producer refuses fails only its own outputs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiokafka.errors import KafkaConnectionError
from aiokafka.producer.message_accumulator import BatchBuilder

from kokemusvirta import bootstrap
from kokemusvirta.settings import Settings
from schemas.dead_letter import Origin
from streams.processing import Outgoing, Processor
from streams.sender import KafkaSender
from tests.factories import as_bytes, feedback


class StandInProducer:
    """The parts of AIOKafkaProducer that send_all uses; partitions by the key's first byte."""

    def __init__(self, refuse: str | None = None, batch_size: int = 1024 * 1024) -> None:
        self.refuse = refuse  # a topic whose batches are refused, as with a broker away
        self.batch_size = batch_size
        self.batches: list[tuple[str, int, int]] = []  # topic, partition, records
        self.acks: list[asyncio.Future[Any]] = []

    async def partitions_for(self, topic: str) -> set[int]:
        return {0, 1}

    def _partition(self, topic: str, partition: None, key: Any, value: Any,
                   serialized_key: bytes, serialized_value: bytes) -> int:
        return serialized_key[-1] % 2

    def create_batch(self) -> BatchBuilder:
        return BatchBuilder(self.batch_size, 0)

    async def send_batch(self, builder: BatchBuilder, topic: str, *, partition: int) -> Any:
        if topic == self.refuse:
            raise KafkaConnectionError("broker away")
        self.batches.append((topic, partition, builder._relative_offset))
        ack = asyncio.get_running_loop().create_future()
        self.acks.append(ack)
        return ack


class Metadata:
    def __init__(self, partition: int, offset: int) -> None:
        self.partition, self.offset = partition, offset


def _outputs(settings: Settings, records: int) -> list[Outgoing]:
    processor = Processor(settings.topics)
    outs: list[Outgoing] = []
    for i in range(records):
        outs += processor.process(as_bytes(feedback(text=f"Palaute {i}.")),
                                  Origin(topic="intake", partition=0, offset=i), None)
    return outs


def _sender(settings: Settings, producer: StandInProducer,
            heard: list[tuple[Outgoing, int, int]]) -> KafkaSender:
    sender = KafkaSender(bootstrap.worker_config(settings, "127.0.0.1:9"),
                         on_delivered=lambda out, p, o: heard.append((out, p, o)))
    sender._producer = producer
    return sender


def test_a_batch_goes_as_one_record_batch_a_partition_and_each_output_is_heard_at_its_offset(
    settings_factory_offline: Callable[..., Settings],
) -> None:
    settings = settings_factory_offline()
    outs = _outputs(settings, 4)
    producer, heard = StandInProducer(), []

    async def scenario() -> list[Any]:
        sender = _sender(settings, producer, heard)
        sender._declared = {out.topic: True for out in outs}
        acks = await sender.send_all(outs)
        for n, (_, partition, _) in enumerate(producer.batches):
            producer.acks[n].set_result(Metadata(partition, 100 * (n + 1)))
        await asyncio.gather(*acks)
        return acks

    acks = asyncio.run(scenario())
    assert len(acks) == len(outs)
    groups = {(out.topic, out.key[-1] % 2) for out in outs}
    assert len(producer.batches) == len(groups)  # one record batch a partition
    assert sum(n for _, _, n in producer.batches) == len(outs)
    # Each output at its batch's first offset plus its place in the batch, in the given order.
    assert len(heard) == len(outs)
    for n, (topic, partition, _) in enumerate(producer.batches):
        members = [out for out in outs if (out.topic, out.key[-1] % 2) == (topic, partition)]
        offsets = {id(out): o for out, p, o in heard if p == partition and out.topic == topic}
        assert [offsets[id(out)] for out in members] == \
            list(range(100 * (n + 1), 100 * (n + 1) + len(members)))


def test_a_full_record_batch_starts_another_and_a_refused_one_fails_only_its_outputs(
    settings_factory_offline: Callable[..., Settings],
) -> None:
    settings = settings_factory_offline()
    outs = _outputs(settings, 3)
    refused = settings.topics.sources
    producer, heard = StandInProducer(refuse=refused, batch_size=64), []

    async def scenario() -> list[BaseException | None]:
        sender = _sender(settings, producer, heard)
        sender._declared = {out.topic: True for out in outs}
        acks = await sender.send_all(outs)
        for ack in producer.acks:
            ack.set_result(Metadata(0, 0))
        return list(await asyncio.gather(*acks, return_exceptions=True))

    outcomes = asyncio.run(scenario())
    assert len(producer.batches) == len([o for o in outs if o.topic != refused])  # 64 B: one each
    assert [isinstance(e, KafkaConnectionError) for e in outcomes] == \
        [out.topic == refused for out in outs]
    assert len(heard) == len([o for o in outs if o.topic != refused])

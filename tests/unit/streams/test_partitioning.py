"""The worker's murmur2 is Kafka's: the same hash as aiokafka's (which the producer uses) for
every key, so an item's events are noted for the partition they are written to."""

from __future__ import annotations

from aiokafka.partitioner import murmur2 as aiokafka_murmur2
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.partitioning import murmur2, partition_of


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=80))
def test_murmur2_is_aiokafkas(key: bytes) -> None:
    assert murmur2(key) == aiokafka_murmur2(key)


def test_every_length_and_the_worlds_item_ids() -> None:
    for n in range(0, 40):
        key = bytes(range(200, 200 - n, -1)) if n else b""
        assert murmur2(key) == aiokafka_murmur2(key)
    for key in (b"fb-0123456789abcdef", b"ws-ffffffffffffffff", b"\xff" * 7, b"a"):
        for partitions in (1, 2, 3, 4, 12):
            assert partition_of(key, partitions) == \
                (aiokafka_murmur2(key) & 0x7FFFFFFF) % partitions

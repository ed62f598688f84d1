"""Kafka's default partition of a record key: murmur2 of the key's bytes, as the producers'
partitioners compute it (Java's, aiokafka's, Faust's), so the worker knows without asking which
lifecycle partition an item's events go to (streams/guard_agent.py `note_written`).

aiokafka's `murmur2` reads the key a byte at a time and masks after every step; this one reads
it four bytes at a time (little-endian, as the Java client) and masks only where a product can
pass 32 bits: the same hash at about a third of the cost (tests/unit/streams/test_partitioning.py
compares the two). Pure, no I/O.
"""

from __future__ import annotations

import struct

_SEED = 0x9747B28C
_M = 0x5BD1E995
_MASK = 0xFFFFFFFF


def murmur2(data: bytes) -> int:
    """The unsigned 32-bit MurmurHash2 of `data` (org.apache.kafka.common.utils.Utils.murmur2)."""
    length = len(data)
    h = _SEED ^ length
    body = length & ~3
    for k in struct.unpack_from(f"<{length >> 2}I", data):
        k = (k * _M) & _MASK
        k = ((k ^ (k >> 24)) * _M) & _MASK
        h = ((h * _M) & _MASK) ^ k
    rest = length & 3
    if rest == 3:
        h ^= data[body + 2] << 16
    if rest >= 2:
        h ^= data[body + 1] << 8
    if rest:
        h = ((h ^ data[body]) * _M) & _MASK
    h = ((h ^ (h >> 13)) * _M) & _MASK
    return h ^ (h >> 15)


def partition_of(key: bytes, partitions: int) -> int:
    """The partition of `partitions` the default partitioner gives `key`."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions if partitions > 1 else 0

"""A re-subscription (a new request topic) revokes partitions while Faust drains their fetched
records; Faust asks each record's highwater, aiokafka asserts the partition is assigned, and that
assertion crashed the worker. The worker's app answers None for a revoked partition instead."""

from __future__ import annotations

from typing import Any

from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

import streams.app  # noqa: F401 - installs the worker's highwater


class _Revoked:
    in_transaction = False

    def highwater(self, tp: Any) -> int:
        raise AssertionError("Partition is not assigned")


class _Assigned(_Revoked):
    def highwater(self, tp: Any) -> int:
        return 42


class _Thread:
    def __init__(self, consumer: Any) -> None:
        self.consumer = consumer

    def _ensure_consumer(self) -> Any:
        return self.consumer


def test_a_revoked_partition_has_no_highwater_instead_of_crashing_the_fetcher() -> None:
    assert AIOKafkaConsumerThread.highwater(_Thread(_Revoked()), ("t", 0)) is None  # type: ignore[arg-type]
    assert AIOKafkaConsumerThread.highwater(_Thread(_Assigned()), ("t", 0)) == 42  # type: ignore[arg-type]

"""A commit between a subscription and its assignment (streams/faust_commits.py): nothing is
committed and the worker goes on, where Faust crashed its consumer on aiokafka's
IllegalStateError. Faust's own `_commit` runs on fakes of aiokafka's consumer."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from aiokafka.errors import IllegalStateError
from aiokafka.structs import TopicPartition
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.types import TP

import streams.app  # noqa: F401 - installs the worker's patches, as the worker does
from streams.faust_commits import assigned_now

A, B = TP("kv.guard.requests", 0), TP("kv.guard.requests", 1)


class FakeConsumer:
    """aiokafka's consumer as far as a commit sees it: its subscription's assignment (None
    between a subscription and its join) and the check aiokafka's `commit` makes first."""

    def __init__(self, assigned: set[TP] | None) -> None:
        tps = None if assigned is None else {TopicPartition(t.topic, t.partition)
                                             for t in assigned}
        self._subscription = SimpleNamespace(subscription=SimpleNamespace(
            assignment=None if tps is None else SimpleNamespace(tps=tps)))
        self.committed: list[dict[Any, Any]] = []

    async def commit(self, offsets: dict[Any, Any]) -> None:
        assignment = self._subscription.subscription.assignment
        if assignment is None:
            raise IllegalStateError("No partitions assigned")
        for tp in offsets:
            if tp not in assignment.tps:
                raise IllegalStateError(f"Partition {tp} is not assigned")
        self.committed.append(offsets)


def _commit(consumer: FakeConsumer, faust_sees: set[TP], offsets: dict[TP, int]
            ) -> tuple[bool, list[BaseException]]:
    crashed: list[BaseException] = []

    async def crash(exc: BaseException) -> None:
        crashed.append(exc)

    thread: Any = SimpleNamespace(_ensure_consumer=lambda: consumer,
                                  assignment=lambda: faust_sees, tp_last_committed_at={},
                                  log=SimpleNamespace(exception=lambda *a, **k: None),
                                  crash=crash)
    done = asyncio.run(AIOKafkaConsumerThread._commit(thread, offsets))
    return done, crashed


def test_a_commit_with_no_assignment_commits_nothing_and_does_not_crash_the_worker() -> None:
    consumer = FakeConsumer(assigned=None)  # subscribed again for new request topics
    done, crashed = _commit(consumer, faust_sees={A, B}, offsets={A: 5, B: 7})
    assert (done, crashed, consumer.committed) == (False, [], [])


def test_only_what_aiokafka_has_assigned_is_committed() -> None:
    consumer = FakeConsumer(assigned={A})  # Faust still counts B as its own
    done, crashed = _commit(consumer, faust_sees={A, B}, offsets={A: 5, B: 7})
    assert done and not crashed
    assert [{tp.partition: meta.offset for tp, meta in c.items()} for c in consumer.committed] \
        == [{0: 5}]
    consumer = FakeConsumer(assigned={A})
    assert _commit(consumer, faust_sees={A, B}, offsets={B: 7}) == (False, [])


def test_an_assigned_commit_is_faust_s_as_before() -> None:
    consumer = FakeConsumer(assigned={A, B})
    assert _commit(consumer, faust_sees={A, B}, offsets={A: 5, B: 7}) == (True, [])
    assert len(consumer.committed) == 1 and len(consumer.committed[0]) == 2
    assert assigned_now(FakeConsumer(assigned=None)) is None

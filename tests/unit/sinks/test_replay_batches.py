"""`replay` (sinks/audit/replay.py) writes the log in big batches, gathered over several polls,
and a store write that fails in its writer thread stops the replay with that error."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from kafka import TopicPartition

from schemas.topics import TopicNames
from sinks.audit.replay import replay
from sinks.projection import Batch
from tests.factories import as_bytes, feedback

TOPICS = TopicNames("kv.")
TP = TopicPartition(TOPICS.sources, 0)


@dataclass
class _Record:
    topic: str
    partition: int
    offset: int
    timestamp: int
    value: bytes


@dataclass
class _Consumer:
    """A log of `n` records on one partition, handed out `per_poll` at a time."""

    n: int
    per_poll: int
    at: int = 0
    polls: int = 0

    def topics(self) -> set[str]:
        return {TOPICS.sources}

    def partitions_for_topic(self, topic: str) -> set[int]:
        return {0}

    def offsets_for_times(self, wanted: dict[TopicPartition, int]) -> dict[TopicPartition, Any]:
        return {tp: None for tp in wanted}

    def end_offsets(self, tps: list[TopicPartition]) -> dict[TopicPartition, int]:
        return {tp: self.n for tp in tps}

    def beginning_offsets(self, tps: list[TopicPartition]) -> dict[TopicPartition, int]:
        return {tp: 0 for tp in tps}

    def assign(self, tps: list[TopicPartition]) -> None: ...

    def seek_to_beginning(self, *tps: TopicPartition) -> None: ...

    def pause(self, *tps: TopicPartition) -> None: ...

    def position(self, tp: TopicPartition) -> int:
        return self.at

    def poll(self, timeout_ms: int, max_records: int) -> dict[TopicPartition, list[_Record]]:
        self.polls += 1
        take = min(self.per_poll, max_records, self.n - self.at)
        records = [_Record(TOPICS.sources, 0, o, 0, as_bytes(feedback()))
                   for o in range(self.at, self.at + take)]
        self.at += take
        return {TP: records}


@dataclass
class _Store:
    fail: bool = False
    batches: list[int] = field(default_factory=list)
    closed: bool = False

    def write(self, batch: Batch) -> None:
        if self.fail:
            raise OSError("disk full")
        self.batches.append(batch.counters["consumed"])

    def close(self) -> None:
        self.closed = True


def test_records_of_several_polls_are_written_together(tmp_path: Path) -> None:
    store = _Store()
    consumer = _Consumer(n=12, per_poll=2)
    result = replay(consumer, TOPICS, datetime.now(UTC), tmp_path / "new.duckdb",
                    batch_max=5, make_store=lambda _: store)  # type: ignore[arg-type,return-value]
    assert store.batches == [5, 5, 2]  # not one write per poll of 2
    assert consumer.polls >= 6 and result.records == 12 and store.closed


def test_a_failed_write_in_the_writer_thread_stops_the_replay(tmp_path: Path) -> None:
    store = _Store(fail=True)
    with pytest.raises(OSError, match="disk full"):
        replay(_Consumer(n=12, per_poll=4), TOPICS, datetime.now(UTC),
               tmp_path / "new.duckdb", batch_max=4,
               make_store=lambda _: store)  # type: ignore[arg-type,return-value]
    assert store.closed and store.batches == []

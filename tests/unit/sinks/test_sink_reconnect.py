"""The sink's loop never exits on a lost broker (issue 11, S1): a Kafka client error from the
consumer's construction, the topic listing or poll is logged in one line, waited out with a
doubling pause capped at 10 s, and the sink goes on with a new consumer from the store's
offsets. A fake consumer stands in for kafka-python; the broker test is
tests/integration/test_sink_poison.py."""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

import duckdb
import pytest
from kafka import TopicPartition
from kafka.errors import KafkaConnectionError, KafkaTimeoutError

from sinks import runner
from sinks.projection import ConsumedRecord
from sinks.runner import Sink
from tests.chains import T
from tests.factories import as_bytes, feedback


class Record:
    def __init__(self, r: ConsumedRecord) -> None:
        self.topic, self.partition, self.offset = r.topic, r.partition, r.offset
        self.timestamp, self.value = r.timestamp_ms, r.value


class FakeConsumer:
    """The log: the sources topic's partition 0 holds `values`; with `lose_after`, the topic
    listing raises once that many records have been read (the broker went away)."""

    def __init__(self, values: list[bytes], lose_after: int | None = None) -> None:
        self.values = values
        self.lose_after = lose_after
        self.assigned: set[TopicPartition] = set()
        self.position = 0
        self.seeks: list[int] = []

    def topics(self) -> set[str]:
        if self.lose_after is not None and self.position >= self.lose_after:
            raise KafkaConnectionError("Connection reset by peer")
        return {T.sources}

    def partitions_for_topic(self, topic: str) -> set[int]:
        return {0}

    def assignment(self) -> set[TopicPartition]:
        return self.assigned

    def assign(self, tps: list[TopicPartition]) -> None:
        self.assigned = set(tps)

    def seek_to_beginning(self, *tps: TopicPartition) -> None:
        self.position = 0
        self.seeks.append(0)

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.position = offset
        self.seeks.append(offset)

    def poll(self, timeout_ms: int, max_records: int) -> dict[TopicPartition, list[Record]]:
        batch = [Record(ConsumedRecord(T.sources, 0, o, 0, v))
                 for o, v in enumerate(self.values) if o >= self.position][:1]
        self.position += len(batch)
        return {TopicPartition(T.sources, 0): batch} if batch else {}

    def commit_async(self, offsets: Any) -> None:
        pass

    def close(self, **_: Any) -> None:
        pass


def test_the_backoff_doubles_from_half_a_second_to_ten(tmp_path: Path) -> None:
    sink = Sink(tmp_path / "s.duckdb", T, lambda: FakeConsumer([]), 10, 60)
    sink.running = False  # no waiting in a unit test
    waits = []
    for _ in range(7):
        waits.append(sink.backoff_s)
        sink._lost_broker(KafkaTimeoutError("Unable to bootstrap"))
    sink.store.close()
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert sink.reconnects == 7


def test_the_sink_goes_on_through_connection_errors_from_the_store_offsets(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "BACKOFF_FIRST_S", 0.05)
    monkeypatch.setattr(runner, "GATHER_S", 0)  # a batch a poll: one record, then the loss
    values = [as_bytes(feedback()) for _ in range(3)]
    made: list[FakeConsumer] = []

    def factory() -> FakeConsumer:
        if len(made) == 1 and not hasattr(factory, "refused"):
            factory.refused = True  # type: ignore[attr-defined]
            raise KafkaTimeoutError("Unable to bootstrap")  # the broker still away
        # the first consumer reads one record and then loses the broker
        consumer = FakeConsumer(values, lose_after=1 if not made else None)
        made.append(consumer)
        return consumer

    def first_read_then_lost(sink: Sink) -> None:
        real = sink.refresh_assignment

        def refresh() -> None:
            if sink.consumer is made[0]:
                sink._last_refresh = -math.inf  # list the topics each time: it fails after one
            real()
        sink.refresh_assignment = refresh  # type: ignore[method-assign]

    sink = Sink(tmp_path / "s.duckdb", T, factory, 10, 60, refresh_s=3600)
    sink.backoff_s = runner.BACKOFF_FIRST_S
    first_read_then_lost(sink)
    with caplog.at_level(logging.INFO, logger="kokemusvirta.sink"):
        sink.run(max_idle_s=0.5)  # returns only when idle with a working consumer
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    try:
        (events,) = con.execute("SELECT count(*) FROM events").fetchone() or (0,)
    finally:
        con.close()
    assert events == 3  # nothing lost, nothing twice
    assert len(made) == 2 and made[1].seeks == [1]  # the new consumer: from the store's offset
    lost = [r.getMessage() for r in caplog.records if "broker connection lost" in r.getMessage()]
    assert len(lost) == 2 and "KafkaConnectionError" in lost[0]  # one line each
    assert "KafkaTimeoutError" in lost[1]
    assert sink.resumed_at is not None

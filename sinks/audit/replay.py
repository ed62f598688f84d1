"""`kokemusvirta replay --until TIME --store NEW.duckdb`: the store as it was at a past moment,
rebuilt from the log (Kafka is the source of truth; DuckDB holds projections of it).

Every topic the sink reads is read from its beginning up to the last record appended at or before
TIME: Kafka's offsets_for_times gives, per partition, the first offset whose record timestamp is
after TIME, and reading stops there. The records go through the sink's own projection and store
(sinks.projection.project, sinks.store.Store), so the new store is what the sink would have held
had it caught up at TIME and stopped. The live store and the sink are not touched.

A record the projection cannot read (invalid, nested too deep, anything it raises) does not stop
the replay: like the sink, it becomes a row of `sink_rejections` in the new store, and the
result counts it (`rejected`).

Record timestamps are the producers' (CreateTime, Kafka's default): when the publisher, the worker
or the lifecycle guard wrote the record. They are `events.kafka_timestamp` in the store.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition

from schemas.topics import TopicNames
from sinks.projection import Batch, ConsumedRecord, project
from sinks.store import Store


class ReplayError(RuntimeError):
    pass


@dataclass(frozen=True)
class ReplayResult:
    store: Path
    until: datetime
    records: int
    partitions: int
    seconds: float
    truncated: tuple[str, ...]  # partitions whose log no longer starts at offset 0 (retention)
    rejected: int = 0  # records the projection could not read: rows of sink_rejections


def stop_offsets(
    consumer: KafkaConsumer, topics: TopicNames, until: datetime
) -> tuple[dict[TopicPartition, int], dict[TopicPartition, int]]:
    """Per partition of every topic the sink reads: where it begins and the first offset after
    `until` (its end when nothing was appended after `until`)."""
    rx = re.compile(topics.sink_pattern)
    tps = [TopicPartition(t, p) for t in sorted(consumer.topics()) if rx.match(t)
           for p in sorted(consumer.partitions_for_topic(t) or ())]
    if not tps:
        return {}, {}
    after_ms = int(until.timestamp() * 1000) + 1  # records at `until` itself are included
    found = consumer.offsets_for_times({tp: after_ms for tp in tps})
    ends = consumer.end_offsets(tps)
    begins = consumer.beginning_offsets(tps)
    stops = {tp: found[tp].offset if found.get(tp) is not None else ends[tp] for tp in tps}
    return begins, stops


#: Records per store write. The sink writes what one poll gives (KOKEMUSVIRTA_SINK_BATCH_MAX);
#: a replay has the whole log before it, and a store write costs about the same whatever its
#: size up to tens of thousands of records, so it writes in big batches: 20k source events
#: (102k records) took 34 s of store writes in batches of 5,000 and 12 s in one batch.
REPLAY_BATCH = 50_000


class _Writer:
    """The store's writes in a thread of their own, one batch at a time: DuckDB works without
    the interpreter's lock, so the next batch is read and projected meanwhile. At most one batch
    waits (memory stays two batches)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.waiting: queue.Queue[Batch | None] = queue.Queue(maxsize=1)
        self.failed: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="replay-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (batch := self.waiting.get()) is not None:
            if self.failed is None:
                try:
                    self.store.write(batch)
                except BaseException as exc:  # noqa: BLE001 - raised in the reading thread
                    self.failed = exc

    def write(self, batch: Batch) -> None:
        self._raise()
        self.waiting.put(batch)

    def close(self) -> None:
        """Wait for the writes queued; raise the first that failed."""
        self.waiting.put(None)
        self.thread.join()
        self._raise()

    def _raise(self) -> None:
        if self.failed is not None:
            raise self.failed


def replay(
    consumer: KafkaConsumer,
    topics: TopicNames,
    until: datetime,
    target: Path,
    batch_max: int = REPLAY_BATCH,
    idle_timeout_s: float = 60.0,
    on_progress: Callable[[int], None] | None = None,
    make_store: Callable[[Path], Store] = Store,
) -> ReplayResult:
    """Read up to `until` into a new store at `target` (made by `make_store`, e.g. with the
    deadlines of the settings), `batch_max` records a write."""
    if target.exists():
        raise ReplayError(f"{target} exists; replay builds a new store, give another path")
    started = time.monotonic()
    begins, stops = stop_offsets(consumer, topics, until)
    todo = {tp for tp, stop in stops.items() if stop > begins[tp]}
    records_read = rejected = 0
    store = make_store(target)
    writer = _Writer(store)
    try:
        if todo:
            consumer.assign(sorted(todo))
            consumer.seek_to_beginning(*todo)
        last_progress = time.monotonic()
        pending: list[ConsumedRecord] = []
        while todo or pending:
            if todo:
                polled = consumer.poll(timeout_ms=500, max_records=batch_max - len(pending))
                fresh = [
                    ConsumedRecord(r.topic, r.partition, r.offset, r.timestamp, r.value)
                    for tp, recs in polled.items() for r in recs if r.offset < stops[tp]
                ]
                done = {tp for tp in todo if consumer.position(tp) >= stops[tp]}
                if done:
                    consumer.pause(*done)
                    todo -= done
                if fresh:
                    pending += fresh
                    last_progress = time.monotonic()
                elif time.monotonic() - last_progress > idle_timeout_s:
                    raise ReplayError(f"nothing read for {idle_timeout_s:.0f} s with "
                                      f"{len(todo)} partition(s) still short of "
                                      f"{until.isoformat()}")
            if pending and (len(pending) >= batch_max or not todo):
                batch = project(pending, topics, datetime.now(UTC))
                writer.write(batch)
                records_read += len(pending)
                rejected += len(batch.rejections)
                pending = []
                if on_progress:
                    on_progress(records_read)
        writer.close()
    finally:
        if writer.thread.is_alive():  # an error above: let the queued write end first
            with contextlib.suppress(BaseException):
                writer.close()
        store.close()
    truncated = tuple(f"{tp.topic}[{tp.partition}]" for tp, b in sorted(begins.items()) if b > 0)
    return ReplayResult(target, until, records_read, len(stops), time.monotonic() - started,
                        truncated, rejected)

"""The sink process: read every topic, write micro-batches, resume from offsets in the store.

The sink assigns itself every partition of every topic it reads instead of joining a consumer
group: DuckDB allows one writer, so there is only ever one sink, and a group would only add
rebalances. (kafka-python 3 wedged in the rebalance that a new routed topic starts, against a
broker with many topics: the member stopped heartbeating and was expelled.) New topics are
picked up by listing the topics every `refresh_s`.

A lost broker never stops the sink: any error of the Kafka client (a connection reset, a
timeout, no broker reachable, from poll, the topic listing or the partition refresh) is logged
in one line; the sink waits (0.5 s, doubling up to 10 s), builds a new consumer and resumes
from the offsets in the store, exactly as a restarted sink does. It exits only when stopped
(SIGTERM/SIGINT) or, with `max_idle_s`, when a reachable broker has had nothing for it.
"""

from __future__ import annotations

import logging
import math
import re
import signal
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata

from schemas.topics import TopicNames
from sinks import allocators
from sinks.lake import LakeWriter
from sinks.projection import Batch, ConsumedRecord, project
from sinks.store import Store

log = logging.getLogger("kokemusvirta.sink")

# What a lost or restarting broker raises: every error of kafka-python (KafkaConnectionError,
# KafkaTimeoutError, NoBrokersAvailable in the releases that have it, ...) and the socket's own.
BROKER_ERRORS: tuple[type[BaseException], ...] = (KafkaError, OSError)
BACKOFF_FIRST_S = 0.5
BACKOFF_MAX_S = 10.0
#: While polls keep giving records, the sink takes more into the same batch, up to batch_max or
#: this long: one poll gives what one fetch brought (about 1,300 records over some 70
#: partitions, behind), and a batch's store write costs about the same CPU whatever its size
#: up to thousands of records, so a sink that is behind writes fewer, bigger batches. A sink
#: that keeps up gets an empty poll at once and writes what it has.
GATHER_S = 0.25
GATHER_POLL_MS = 20


class Sink:
    def __init__(
        self,
        store_path: Path,
        topics: TopicNames,
        consumer_factory: Callable[[], KafkaConsumer],
        batch_max: int,
        snapshot_interval_s: float,
        memory_limit: str | None = None,
        refresh_s: float = 1.0,
        threads: int | None = None,
    ) -> None:
        allocators.settle()  # before the store and the consumer allocate (sinks/allocators.py)
        self.store = Store(store_path, memory_limit, threads=threads)
        self.topics = topics
        self.pattern = re.compile(topics.sink_pattern)
        self.consumer_factory = consumer_factory
        self.consumer: KafkaConsumer | None = None
        self.backoff_s = BACKOFF_FIRST_S
        self.reconnects = 0
        self.resumed_at: float | None = None  # monotonic time of the last resume after a loss
        self.batch_max = batch_max
        self.snapshot_interval_s = snapshot_interval_s
        self.refresh_s = refresh_s
        self.running = True
        self.batches = 0
        self._last_refresh = -math.inf  # (monotonic time may start near 0)
        # What the health and metrics endpoint reads (kokemusvirta/operations/): plain
        # attributes, written only by this loop, read by another thread without a lock.
        self.loop_at = time.monotonic()  # the loop's last turn: /healthz's liveness
        self.counters: Counter[str] = Counter()  # the batches' counters, this process
        self.rejections: Counter[str] = Counter()  # rejected records by reason, this process
        self.stored_offsets = self.store.offsets()  # the store's last offset per partition
        self.last_commit_at: float | None = None  # wall time of the last batch written
        self.snapshot_at: float | None = None  # wall time of the last snapshot published
        self.on_batch: Callable[[float, int], None] | None = None  # (seconds, records)
        self.lake: LakeWriter | None = None  # the history lake (sinks/lake.py), when on

    def stop(self, *_: Any) -> None:
        self.running = False

    def run(self, max_idle_s: float | None = None) -> None:
        """Consume until stopped (SIGTERM/SIGINT) or, with max_idle_s, idle that long."""
        idle_since = time.monotonic()
        try:
            while self.running:
                self.loop_at = time.monotonic()
                try:
                    polled = self._poll()
                except BROKER_ERRORS as exc:
                    self._lost_broker(exc)
                    idle_since = time.monotonic()  # waiting for the broker is not idling
                    continue
                if polled is None:
                    time.sleep(0.25)  # none of our topics exists yet
                    continue
                records = [
                    ConsumedRecord(r.topic, r.partition, r.offset, r.timestamp, r.value)
                    for tp_records in polled.values() for r in tp_records
                ]
                if records:
                    started = time.monotonic()
                    batch = project(records, self.topics, datetime.now(UTC))
                    self.store.write(batch)
                    self.batches += 1
                    self._written(batch, len(records), time.monotonic() - started)
                    self._commit_to_kafka(polled)
                    self._published(self.store.maybe_publish_snapshot(self.snapshot_interval_s))
                    if self.lake is not None:
                        self.lake.stored()
                        self.lake.turn(idle_for_s=0)
                    allocators.give_back()  # what the batch freed (sinks/allocators.py)
                    idle_since = time.monotonic()
                else:
                    # Idle: publish at once, so readers are never behind a quiet sink.
                    self._published(
                        self.store.maybe_publish_snapshot(self.snapshot_interval_s, force=True))
                    if self.lake is not None:  # idle: sync now, compact when quiet long
                        self.lake.turn(idle_for_s=time.monotonic() - idle_since)
                    if max_idle_s is not None and time.monotonic() - idle_since > max_idle_s:
                        break
        finally:
            try:
                self.store.maybe_publish_snapshot(0, force=True)
            except Exception:
                log.exception("could not publish the last snapshot; the store itself is intact")
            if self.lake is not None:
                self.lake.turn(idle_for_s=0.001)  # the last rows too; never raises
            self._close_consumer()
            self.store.close()
            log.info("sink stopped after %d batches", self.batches)

    def _written(self, batch: Batch, records: int, seconds: float) -> None:
        """Keep the figures the metrics endpoint reads; they change nothing the sink does."""
        self.last_commit_at = time.time()
        self.counters.update(batch.counters)
        self.rejections.update(r["reason"] for r in batch.rejections)
        for tp, offset in batch.offsets.items():
            self.stored_offsets[tp] = max(offset, self.stored_offsets.get(tp, -1))
        if self.on_batch is not None:
            self.on_batch(seconds, records)

    def _published(self, published: bool) -> None:
        if published:
            self.snapshot_at = time.time()

    def _poll(self) -> dict[TopicPartition, list[Any]] | None:
        """One poll (None: no topic of ours exists yet). Raises what the client raises."""
        if self.consumer is None:
            self.consumer = self.consumer_factory()
            self._last_refresh = -math.inf  # a new consumer: assign, seek from the store now
        self.refresh_assignment()
        if not self.consumer.assignment():
            return None
        polled: dict[TopicPartition, list[Any]] = self.consumer.poll(
            timeout_ms=250, max_records=self.batch_max)
        if self.backoff_s > BACKOFF_FIRST_S:
            self.backoff_s = BACKOFF_FIRST_S  # a poll went through: the broker is back
            self.resumed_at = time.monotonic()
            log.info("broker reachable again; reading from the store's offsets")
        return self._gather(polled)

    def _gather(self, polled: dict[TopicPartition, list[Any]]) -> dict[TopicPartition, list[Any]]:
        """More polls into the same batch while they give records (GATHER_S says why). Each
        partition's records stay in order: a poll goes on where the one before stopped. A
        broker lost meanwhile ends the gathering, not the batch: what was taken is written,
        and the loop's next poll meets the loss (Sink._lost_broker)."""
        assert self.consumer is not None
        taken = sum(len(recs) for recs in polled.values())
        if taken == 0:
            return polled
        gathered = {tp: list(recs) for tp, recs in polled.items()}
        deadline = time.monotonic() + GATHER_S
        while taken < self.batch_max and time.monotonic() < deadline:
            try:
                more: dict[TopicPartition, list[Any]] = self.consumer.poll(
                    timeout_ms=GATHER_POLL_MS, max_records=self.batch_max - taken)
            except BROKER_ERRORS:  # write what was taken; the next poll meets the loss again
                break
            if not more:
                break
            for tp, recs in more.items():
                gathered.setdefault(tp, []).extend(recs)
                taken += len(recs)
        return gathered

    def _lost_broker(self, exc: BaseException) -> None:
        """One line, a pause that doubles while the broker stays away, and a fresh consumer
        next time: every polled batch is written, so the store's offsets are where to go on."""
        wait = self.backoff_s
        log.warning("broker connection lost (%s: %s); retrying in %.1f s",
                    type(exc).__name__, str(exc).splitlines()[0][:200] if str(exc) else "-",
                    wait)
        self.reconnects += 1
        self._close_consumer()
        self.backoff_s = min(self.backoff_s * 2, BACKOFF_MAX_S)
        deadline = time.monotonic() + wait
        while self.running and time.monotonic() < deadline:
            self.loop_at = time.monotonic()  # waiting for the broker is alive, not stuck
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))

    def _close_consumer(self) -> None:
        consumer, self.consumer = self.consumer, None
        if consumer is None:
            return
        try:
            consumer.close(autocommit=False, timeout_ms=5_000)
        except Exception as exc:  # noqa: BLE001 - closing a consumer whose broker is gone
            log.debug("closing the consumer failed: %s", exc)

    def refresh_assignment(self) -> None:
        """Assign every partition of every matching topic; when some are new, resume all of
        them from the offset after the last one in the store (not from Kafka's commits)."""
        assert self.consumer is not None
        now = time.monotonic()
        if now - self._last_refresh < self.refresh_s:
            return
        self._last_refresh = now
        wanted = {
            TopicPartition(topic, p)
            for topic in self.consumer.topics() if self.pattern.match(topic)
            for p in (self.consumer.partitions_for_topic(topic) or ())
        }
        current = self.consumer.assignment()
        if wanted <= current:
            return
        assigned = current | wanted
        self.consumer.assign(list(assigned))
        # Every batch polled so far is written, so the store's offsets are the right place
        # for old and new partitions alike.
        stored = self.store.offsets()
        for tp in assigned:
            last = stored.get((tp.topic, tp.partition))
            if last is None:
                self.consumer.seek_to_beginning(tp)
            else:
                self.consumer.seek(tp, last + 1)
        log.info("reading %d partitions (%d new); resuming from the store's offsets",
                 len(assigned), len(wanted - current))

    def _commit_to_kafka(self, polled: dict[TopicPartition, list[Any]]) -> None:
        """For lag monitoring only: the store's own offsets are what the sink resumes from."""
        offsets = {
            tp: OffsetAndMetadata(recs[-1].offset + 1, "", -1) for tp, recs in polled.items()
        }
        try:
            assert self.consumer is not None
            self.consumer.commit_async(offsets)
        except Exception as exc:  # noqa: BLE001 - monitoring commit; the store is authoritative
            log.debug("lag-monitoring commit failed: %s", exc)


def install_signal_handlers(sink: Sink) -> None:
    signal.signal(signal.SIGTERM, sink.stop)
    signal.signal(signal.SIGINT, sink.stop)

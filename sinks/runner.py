"""The sink process: read every topic, write micro-batches, resume from offsets in the store."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.structs import OffsetAndMetadata

from sinks.projection import ConsumedRecord, project
from sinks.store import Store
from streams.topics import TopicNames

log = logging.getLogger("kokemusvirta.sink")


class AssignmentNotices(ConsumerRebalanceListener):
    """Remembers newly assigned partitions, and nothing more.

    kafka-python 3 calls a listener on its own network thread, where touching the DuckDB
    connection or seeking the consumer can hang the group's heartbeats; the sink's main loop
    does the seeking (see Sink.resume_assigned).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._assigned: set[TopicPartition] = set()

    def on_partitions_revoked(self, revoked: Any) -> None:
        with self._lock:
            self._assigned.difference_update(revoked)

    def on_partitions_assigned(self, assigned: Any) -> None:
        with self._lock:
            self._assigned.update(assigned)

    def take(self) -> set[TopicPartition]:
        with self._lock:
            taken, self._assigned = self._assigned, set()
        return taken


class Sink:
    def __init__(
        self,
        store_path: Path,
        topics: TopicNames,
        consumer_factory: Callable[[], KafkaConsumer],
        batch_max: int,
        snapshot_interval_s: float,
        memory_limit: str | None = None,
    ) -> None:
        self.store = Store(store_path, memory_limit)
        self.topics = topics
        self.consumer = consumer_factory()
        self.batch_max = batch_max
        self.snapshot_interval_s = snapshot_interval_s
        self.running = True
        self.batches = 0
        self.assignments = AssignmentNotices()

    def stop(self, *_: Any) -> None:
        self.running = False

    def run(self, max_idle_s: float | None = None) -> None:
        """Consume until stopped (SIGTERM/SIGINT) or, with max_idle_s, idle that long."""
        self.consumer.subscribe(pattern=self.topics.sink_pattern, listener=self.assignments)
        idle_since = time.monotonic()
        try:
            while self.running:
                polled = self.consumer.poll(timeout_ms=250, max_records=self.batch_max)
                polled = self.resume_assigned(polled)
                records = [
                    ConsumedRecord(r.topic, r.partition, r.offset, r.timestamp, r.value)
                    for tp_records in polled.values() for r in tp_records
                ]
                if records:
                    self.store.write(project(records, self.topics, datetime.now(UTC)))
                    self.batches += 1
                    self._commit_to_kafka(polled)
                    self.store.maybe_publish_snapshot(self.snapshot_interval_s)
                    idle_since = time.monotonic()
                else:
                    # Idle: publish at once, so readers are never behind a quiet sink.
                    self.store.maybe_publish_snapshot(self.snapshot_interval_s, force=True)
                    if max_idle_s is not None and time.monotonic() - idle_since > max_idle_s:
                        break
        finally:
            try:
                self.store.maybe_publish_snapshot(0, force=True)
            except Exception:
                log.exception("could not publish the last snapshot; the store itself is intact")
            self.consumer.close(autocommit=False, timeout_ms=5_000)
            self.store.close()
            log.info("sink stopped after %d batches", self.batches)

    def resume_assigned(
        self, polled: dict[TopicPartition, list[Any]]
    ) -> dict[TopicPartition, list[Any]]:
        """Seek newly assigned partitions to the offset after the last one in the store (not
        Kafka's committed offset), and drop what this poll fetched for them from elsewhere."""
        assigned = self.assignments.take() & self.consumer.assignment()
        if not assigned:
            return polled
        stored = self.store.offsets()
        for tp in assigned:
            last = stored.get((tp.topic, tp.partition))
            if last is None:
                self.consumer.seek_to_beginning(tp)
            else:
                self.consumer.seek(tp, last + 1)
        log.info("assigned %d new partitions; resuming from the store's offsets", len(assigned))
        return {tp: recs for tp, recs in polled.items() if tp not in assigned}

    def _commit_to_kafka(self, polled: dict[TopicPartition, list[Any]]) -> None:
        """For lag monitoring only: the store's own offsets are what the sink resumes from."""
        offsets = {
            tp: OffsetAndMetadata(recs[-1].offset + 1, "", -1) for tp, recs in polled.items()
        }
        try:
            self.consumer.commit_async(offsets)
        except Exception as exc:  # noqa: BLE001 - monitoring commit; the store is authoritative
            log.debug("lag-monitoring commit failed: %s", exc)


def install_signal_handlers(sink: Sink) -> None:
    signal.signal(signal.SIGTERM, sink.stop)
    signal.signal(signal.SIGINT, sink.stop)

"""The sink process: read every topic, write micro-batches, resume from offsets in the store.

The sink assigns itself every partition of every topic it reads instead of joining a consumer
group: DuckDB allows one writer, so there is only ever one sink, and a group would only add
rebalances. (kafka-python 3 wedged in the rebalance that a new routed topic starts, against a
broker with many topics: the member stopped heartbeating and was expelled.) New topics are
picked up by listing the topics every `refresh_s`.
"""

from __future__ import annotations

import logging
import re
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

from schemas.topics import TopicNames
from sinks.projection import ConsumedRecord, project
from sinks.store import Store

log = logging.getLogger("kokemusvirta.sink")


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
    ) -> None:
        self.store = Store(store_path, memory_limit)
        self.topics = topics
        self.pattern = re.compile(topics.sink_pattern)
        self.consumer = consumer_factory()
        self.batch_max = batch_max
        self.snapshot_interval_s = snapshot_interval_s
        self.refresh_s = refresh_s
        self.running = True
        self.batches = 0
        self._last_refresh = 0.0

    def stop(self, *_: Any) -> None:
        self.running = False

    def run(self, max_idle_s: float | None = None) -> None:
        """Consume until stopped (SIGTERM/SIGINT) or, with max_idle_s, idle that long."""
        idle_since = time.monotonic()
        try:
            while self.running:
                self.refresh_assignment()
                if not self.consumer.assignment():
                    time.sleep(0.25)  # none of our topics exists yet
                    continue
                polled = self.consumer.poll(timeout_ms=250, max_records=self.batch_max)
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

    def refresh_assignment(self) -> None:
        """Assign every partition of every matching topic; when some are new, resume all of
        them from the offset after the last one in the store (not from Kafka's commits)."""
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
            self.consumer.commit_async(offsets)
        except Exception as exc:  # noqa: BLE001 - monitoring commit; the store is authoritative
            log.debug("lag-monitoring commit failed: %s", exc)


def install_signal_handlers(sink: Sink) -> None:
    signal.signal(signal.SIGTERM, sink.stop)
    signal.signal(signal.SIGINT, sink.stop)

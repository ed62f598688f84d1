"""Asking for lifecycle steps on Kafka and hearing the worker's verdict; reading a routed topic.

A request goes to the caller's own request topic (`<prefix>requests.<role>.<scope>`, which
only that principal may write). The worker checks it against the requester's scope and the
item's state: accepted, the same event (same event_id, now sealed into the item's hash chain)
appears on the lifecycle topic; rejected, a dead letter whose original_event_id is the
request's event_id appears on the dead-letter topic. The requester may read neither topic, so
the verdict is heard from the store, where the sink records both (`_VerdictWatch`).

The desk does not find the cluster itself: the composition root (kokemusvirta/bootstrap.py)
hands it a `DeskConnection` with the topic names, the clients' connection settings and a
producer factory.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from pydantic import ValidationError

from schemas.knowledge import ItemForwarded
from schemas.lifecycle import LifecycleEvent
from schemas.topics import TopicNames
from sinks.reader import StoreMissing, open_read_only

log = logging.getLogger("kokemusvirta.lifecycle")


@dataclass(frozen=True)
class Verdict:
    event_id: str
    accepted: bool | None  # None: no verdict heard (not waited for, or not in time)
    reason: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class DeskConnection:
    """What the desk needs of Kafka: topic names, kafka-python connection settings (servers,
    security) and a producer for requests, whose topics already exist."""

    topics: TopicNames
    client_config: Mapping[str, Any]
    producer: Callable[[], KafkaProducer]
    store: Path  # where the worker's verdicts are read (the sink's published snapshot)


def _consumer(conn: DeskConnection) -> KafkaConsumer:
    return KafkaConsumer(group_id=None, enable_auto_commit=False, **conn.client_config)


def _partitions(consumer: KafkaConsumer, topic: str, timeout_s: float = 10) -> list[TopicPartition]:
    deadline = time.monotonic() + timeout_s
    while True:
        found = consumer.partitions_for_topic(topic)
        if found or time.monotonic() > deadline:
            return [TopicPartition(topic, p) for p in sorted(found or ())]
        time.sleep(0.2)


class _VerdictWatch:
    """The worker's verdicts as the store records them: an accepted request is a lifecycle row
    with the request's event_id, a rejected one a dead letter whose original_event_id it is.

    Read from the store, not from Kafka: a requester's principal may read its own routed topic
    and write its own request topic, nothing else (kokemusvirta/access/acls.py), so the lifecycle
    and dead-letter topics are out of its reach. The store lags the worker by the sink's
    snapshot interval (2 s by default), well inside the commands' 30 s."""

    POLL_S = 0.5

    def __init__(self, store: Path) -> None:
        self.store = store

    def wait(self, event_ids: Sequence[str], timeout_s: float) -> dict[str, Verdict]:
        waiting = set(event_ids)
        heard: dict[str, Verdict] = {}
        deadline = time.monotonic() + timeout_s
        while waiting and time.monotonic() < deadline:
            for verdict in self._look(sorted(waiting)):
                heard[verdict.event_id] = verdict
                waiting.discard(verdict.event_id)
            if waiting:
                time.sleep(self.POLL_S)
        return heard

    def _look(self, ids: list[str]) -> list[Verdict]:
        try:
            con = open_read_only(self.store)
        except StoreMissing:
            return []  # the sink has not published its first snapshot yet
        try:
            accepted = con.execute(
                "SELECT CAST(event_id AS VARCHAR) FROM lifecycle "
                "WHERE CAST(event_id AS VARCHAR) IN (SELECT unnest(?::VARCHAR[]))",
                [ids]).fetchall()
            rejected = con.execute(
                "SELECT original_event_id, reason, detail FROM dead_letters "
                "WHERE original_event_id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()
        finally:
            con.close()
        return ([Verdict(str(r[0]), True) for r in accepted]
                + [Verdict(str(r[0]), False, r[1], r[2]) for r in rejected])


def submit(
    conn: DeskConnection, requests: Sequence[LifecycleEvent], wait_s: float | None, topic: str,
) -> list[Verdict]:
    """Publish the requests to `topic`, the caller's request topic; with wait_s, wait that long
    for the worker's verdicts."""
    watch = _VerdictWatch(conn.store) if wait_s else None
    producer = conn.producer()
    try:
        sent = [producer.send(topic, key=e.kafka_key(),
                              value=e.to_json_bytes()) for e in requests]
        producer.flush()
        for future in sent:
            future.get(timeout=30)  # raises if the broker did not take it
    finally:
        producer.close()
    ids = [str(e.event_id) for e in requests]
    heard = watch.wait(ids, wait_s) if watch and wait_s else {}
    return [heard.get(i, Verdict(i, None)) for i in ids]


@dataclass
class RoutedRead:
    messages: list[ItemForwarded]
    unreadable: int = 0
    topic_exists: bool = True


def read_routed(conn: DeskConnection, topic: str, timeout_s: float = 60) -> RoutedRead:
    """Everything on a routed topic from its beginning to its end now (no group, no commits)."""
    consumer = _consumer(conn)
    try:
        if topic not in consumer.topics():
            return RoutedRead([], topic_exists=False)
        tps = _partitions(consumer, topic)
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        ends = consumer.end_offsets(tps)
        out = RoutedRead([])
        deadline = time.monotonic() + timeout_s
        while any(consumer.position(tp) < ends[tp] for tp in tps):
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read {topic} to its end in {timeout_s:.0f} s")
            for records in consumer.poll(timeout_ms=500).values():
                for r in records:
                    try:
                        out.messages.append(ItemForwarded.model_validate_json(r.value))
                    except (ValidationError, ValueError, TypeError):
                        out.unreadable += 1
                        log.warning("unreadable record at %s/%d/%d", topic, r.partition, r.offset)
        return out
    finally:
        consumer.close()

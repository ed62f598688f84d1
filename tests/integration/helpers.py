"""Running the real worker and sink against the real broker, for integration tests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.processes import Child, start_child, wait_until_caught_up
from kokemusvirta.settings import Settings


@contextmanager
def running(settings: Settings, *names: str) -> Iterator[list[Child]]:
    bootstrap = settings.kafka_bootstrap_servers
    assert bootstrap
    kv_kafka.ensure_topics(settings, bootstrap)
    children = [start_child(n, settings, bootstrap, settings.home / "logs") for n in names]
    try:
        yield children
    finally:
        for c in children:
            c.stop()


def catch_up(settings: Settings, children: list[Child], timeout: float = 180) -> None:
    assert settings.kafka_bootstrap_servers
    wait_until_caught_up(settings, settings.kafka_bootstrap_servers, children, timeout,
                         lambda p: None)


def publish(
    settings: Settings, values: list[bytes], keys: list[bytes | None] | None = None
) -> None:
    assert settings.kafka_bootstrap_servers
    producer = kv_kafka.producer(settings, settings.kafka_bootstrap_servers)
    for i, value in enumerate(values):
        producer.send(settings.topics.intake, key=keys[i] if keys else None, value=value)
    producer.flush()
    producer.close()


def read_topic(
    settings: Settings, topic: str, timeout: float = 60
) -> list[tuple[bytes | None, bytes, dict[str, bytes]]]:
    """Every record the topic holds now (key, value, headers), each partition in order; [] for
    a topic that does not exist. Reads up to the end offsets taken at the start, so it returns
    as soon as they are reached (waiting for a quiet moment cost 3 s a topic)."""
    assert settings.kafka_bootstrap_servers
    consumer = KafkaConsumer(
        enable_auto_commit=False, **settings.kafka_python_config(settings.kafka_bootstrap_servers),
    )
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            return []
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        ends = consumer.end_offsets(tps)
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        out: list[tuple[bytes | None, bytes, dict[str, bytes]]] = []
        deadline = time.monotonic() + timeout
        while any(consumer.position(tp) < ends[tp] for tp in tps):
            assert time.monotonic() < deadline, f"{topic}: not read to its end in {timeout} s"
            for records in consumer.poll(timeout_ms=500).values():
                out += [(r.key, r.value, dict(r.headers)) for r in records]
        return out
    finally:
        consumer.close()


def store_path(settings: Settings) -> Path:
    return settings.store

"""Running the real worker and sink against the real broker, for integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kafka import KafkaConsumer

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
    settings: Settings, topic: str
) -> list[tuple[bytes | None, bytes, dict[str, bytes]]]:
    assert settings.kafka_bootstrap_servers
    consumer = KafkaConsumer(
        topic, auto_offset_reset="earliest", enable_auto_commit=False,
        consumer_timeout_ms=3000, **settings.kafka_python_config(settings.kafka_bootstrap_servers),
    )
    try:
        return [(r.key, r.value, dict(r.headers)) for r in consumer]
    finally:
        consumer.close()


def store_path(settings: Settings) -> Path:
    return settings.store

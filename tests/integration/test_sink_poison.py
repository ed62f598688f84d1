"""The sink never stops on a record and never exits on a lost broker (issue 11, S1), on the real
broker: a record nested 10,000 levels deep, a tombstone and a record with a key written twice
straight on the sources topic (the sink reads it; it never reads intake) become rows of
sink_rejections while the valid record
beside them is stored (and `replay` counts them too); and a broker stopped and
started again under a running sink is caught up with, the time to resume printed.

The sink runs in a thread (sinks.runner.Sink, wired as `kokemusvirta sink` wires it); the store is
read through the snapshot it publishes, as every reader does.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from kafka import KafkaConsumer

from kokemusvirta import bootstrap as wiring
from kokemusvirta import kafka as kv_kafka
from kokemusvirta.broker.local import LocalBroker
from kokemusvirta.settings import Settings
from schemas.registry import parse, parse_canonical
from sinks.audit.replay import replay
from sinks.reader import open_read_only
from sinks.runner import Sink
from tests.conftest import SettingsFactory, admin_values, shared_lib_dir
from tests.factories import as_bytes, feedback

pytestmark = pytest.mark.broker

DEPTH = 10_000


def deep_record() -> bytes:
    """A ~20 KB feedback record with a field nested 10,000 levels deep."""
    valid = as_bytes(feedback())
    return valid[:-1] + b', "extra": ' + b"[" * DEPTH + b"]" * DEPTH + b"}"


def duplicate_key_record() -> bytes:
    """A valid record's own text, which the sink reads in one pass (schemas/registry.py
    parse_canonical), with its first field written twice: JSON readers keep the last one, so
    it would read as the same event, but the contract refuses duplicate keys."""
    valid = parse(as_bytes(feedback())).model_dump_json().encode()  # the event's own text
    assert parse_canonical(valid)[1] is not None, "not the text the fast path takes"
    assert valid.startswith(b'{"event_id":')
    first, rest = valid[1:].split(b",", 1)
    return b"{" + first + b"," + first + b"," + rest


def publish(settings: Settings, values: list[bytes | None]) -> None:
    assert settings.kafka_bootstrap_servers
    producer = kv_kafka.producer(settings, settings.kafka_bootstrap_servers)
    try:
        for value in values:
            # a key, so that a tombstone (value None) can be sent at all
            producer.send(settings.topics.sources, key=b"s1", value=value).get(timeout=60)
    finally:
        producer.close()


def count(settings: Settings, sql: str) -> int:
    try:
        con = open_read_only(settings.store)
    except Exception:  # noqa: BLE001 - no snapshot yet, or one being renamed into place
        return -1
    try:
        row = con.execute(sql).fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds until `check` holds; fails with `what` after `timeout`."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, f"not within {timeout:.0f} s: {what}"
        time.sleep(0.2)
    return time.monotonic() - started


@contextmanager
def sink_thread(settings: Settings) -> Iterator[tuple[Sink, threading.Thread]]:
    sink = wiring.sink(settings)
    thread = threading.Thread(target=sink.run, name="sink", daemon=True)
    thread.start()
    try:
        yield sink, thread
    finally:
        sink.stop()
        thread.join(timeout=60)
        assert not thread.is_alive(), "the sink did not stop when asked"


def test_the_sink_keeps_running_past_a_deeply_nested_record_and_a_tombstone(
        settings_factory: SettingsFactory, tmp_path: Path) -> None:
    settings = settings_factory()
    assert settings.kafka_bootstrap_servers
    kv_kafka.ensure_topics(settings, settings.kafka_bootstrap_servers)
    publish(settings, [deep_record(), None, duplicate_key_record(), as_bytes(feedback())])
    with sink_thread(settings) as (_, thread):
        wait_for(lambda: count(settings, "select count(*) from sink_rejections") == 3
                 and count(settings, "select count(*) from events") == 1, 120,
                 "the valid record stored and the three poisons rejected")
        assert thread.is_alive(), "the sink stopped on a record"
        publish(settings, [as_bytes(feedback())])  # and it goes on reading
        wait_for(lambda: count(settings, "select count(*) from events") == 2, 60,
                 "a record after the poison stored")
        assert thread.is_alive()
    con = open_read_only(settings.store)
    try:
        rejected = con.execute('select topic, "offset", reason, exception_type, stage '
                               'from sink_rejections order by "offset"').fetchall()
        (consumed,) = con.execute(
            "select value from sink_counters where name = 'consumed'").fetchone() or (0,)
    finally:
        con.close()
    assert [(t, o) for t, o, *_ in rejected] == [(settings.topics.sources, 0),
                                                   (settings.topics.sources, 1),
                                                   (settings.topics.sources, 2)]
    assert all(reason and kind and stage == "parse" for *_, reason, kind, stage in rejected)
    assert consumed == 5
    # replay reads the same log through the same projection: it counts them, not a traceback
    consumer = KafkaConsumer(enable_auto_commit=False, client_id="test-replay",
                             **settings.kafka_python_config(settings.kafka_bootstrap_servers))
    try:
        result = replay(consumer, settings.topics, datetime.now(UTC), tmp_path / "replayed.duckdb")
    finally:
        consumer.close()
    assert (result.records, result.rejected) == (5, 3)


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[LocalBroker]:
    """A broker of this test's own, to stop and start (not the session's)."""
    broker = LocalBroker(tmp_path / "broker", lib_dir=shared_lib_dir())
    broker.ensure_jars()
    broker.start(timeout=120)
    try:
        yield broker
    finally:
        broker.stop(timeout=30)


def test_the_sink_survives_a_broker_restart_and_catches_up(
        own_broker: LocalBroker, tmp_path: Path) -> None:
    servers = own_broker.bootstrap_servers
    assert servers
    run = uuid.uuid4().hex[:10]
    settings = Settings(  # type: ignore[call-arg]
        **admin_values(own_broker), KOKEMUSVIRTA_HOME=tmp_path / "home",
        KOKEMUSVIRTA_STORE=tmp_path / "store" / "kokemusvirta.duckdb",
        KOKEMUSVIRTA_TOPIC_PREFIX=f"t{run}.", KOKEMUSVIRTA_WORKER_GROUP=f"t{run}-worker",
        KOKEMUSVIRTA_SINK_GROUP=f"t{run}-sink", KOKEMUSVIRTA_PARTITIONS=2,
        KOKEMUSVIRTA_SNAPSHOT_INTERVAL_S=0.5)
    kv_kafka.ensure_topics(settings, servers)
    publish(settings, [as_bytes(feedback()) for _ in range(5)])
    events = "select count(*) from events"
    with sink_thread(settings) as (sink, thread):
        wait_for(lambda: count(settings, events) == 5, 120, "the first five stored")
        assert own_broker.stop(timeout=30)
        time.sleep(5)  # the sink meets the lost broker: poll, listing and refresh fail
        assert thread.is_alive(), "the sink exited when the broker went away"
        assert own_broker.start(timeout=120) == servers
        back = time.monotonic()
        publish(settings, [as_bytes(feedback()) for _ in range(5)])
        published = time.monotonic() - back
        stored = wait_for(lambda: count(settings, events) == 10, 120,
                          "the five published after the restart stored")
        assert thread.is_alive()
        resumed = None if sink.resumed_at is None else sink.resumed_at - back
        print(f"\nbroker back -> records published in {published:.1f} s, all stored "
              f"{published + stored:.1f} s after the broker was back; the sink reconnected "
              f"{sink.reconnects} time(s)"
              + ("" if resumed is None else f", its first poll {resumed:+.1f} s after"))
        assert published + stored < 10, "the sink resumes within 10 s of the broker's return"

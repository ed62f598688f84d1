"""Intake is a landing zone, not an archive (issue 12): raw intake keeps a short retention, the
worker keeps each accepted source event redacted on the sources topic for ever, and the sink and
`replay` rebuild the store without intake.

The first test fails if intake is kept for ever (`retention.ms=-1`, as before): the raw record
then still holds the person's contact, client id and henkilötunnus after `forget`.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from kafka import TopicPartition

from kokemusvirta import bootstrap as composition
from kokemusvirta import kafka as kv_kafka
from kokemusvirta.commands.privacy import _kafka_publisher, forget
from kokemusvirta.keystore import privacy_from_settings
from kokemusvirta.settings import Settings
from tests.conftest import SettingsFactory
from tests.factories import as_bytes, feedback, statement, workshop
from tests.integration.helpers import catch_up, publish, read_topic, running
from tests.leaks import find_leaks, store_text_columns

pytestmark = pytest.mark.broker

# Distinctive, so that a hit can be nothing else. The henkilötunnus is valid (checksum 5).
CLIENT_ID = "asiakas-maisa-poistuva-8842"
CONTACT = "maisa.poistuva.8842@example.fi"
HETU = "240377-9425"
RETENTION_S = 3.0
# retention + segment.ms (= retention here) + the local broker's check interval (5 s), and the
# broker's first check 30 s after it started (log.initial.task.delay.ms): generous.
WINDOW_S = 120.0


def _prefix_topics(s: Settings) -> list[str]:
    assert s.kafka_bootstrap_servers
    client = kv_kafka.admin(s, s.kafka_bootstrap_servers)
    try:
        return sorted(t for t in client.list_topics() if t.startswith(s.topic_prefix))
    finally:
        client.close()


def _intake_left(s: Settings) -> int:
    """Records still on the intake topic: its end minus its beginning, over its partitions."""
    assert s.kafka_bootstrap_servers
    reader = kv_kafka.offsets_reader(s, s.kafka_bootstrap_servers)
    try:
        tps = [TopicPartition(s.topics.intake, p)
               for p in reader.partitions_for_topic(s.topics.intake) or ()]
        begins, ends = reader.beginning_offsets(tps), reader.end_offsets(tps)
        return sum(ends[tp] - begins[tp] for tp in tps)
    finally:
        reader.close()


def _store_files(s: Settings) -> list[tuple[str, bytes]]:
    """The bytes of every file beside the store: the store, its WAL, the published snapshot."""
    files = sorted(p for p in s.store.parent.rglob("*") if p.is_file())
    assert files
    return [(str(p), p.read_bytes()) for p in files]


def test_after_forget_and_the_window_no_topic_or_store_file_holds_the_person(
    settings_factory: SettingsFactory,
) -> None:
    s = settings_factory(KOKEMUSVIRTA_INTAKE_RETENTION_HOURS=RETENTION_S / 3600)
    privacy = privacy_from_settings(s)
    raw = feedback(county="pirkanmaa", unit="hervannan-terveysasema", client_id=CLIENT_ID,
                   contact=CONTACT, reply_requested=True,
                   text=f"Odotin kolme tuntia. Hetuni on {HETU}, vastatkaa pian.")
    person = (CLIENT_ID, CONTACT, HETU)

    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(raw), as_bytes(feedback())])  # raw: no gateway sealed it
        catch_up(s, children)
        # The raw record is on intake (so the search below can find it), and only there.
        intake = b"\n".join(v for _, v, _ in read_topic(s, s.topics.intake))
        assert all(x.encode() in intake for x in person)
        kept = [(t, b"\n".join(v for _, v, _ in read_topic(s, t)))
                for t in _prefix_topics(s) if t != s.topics.intake]
        assert s.topics.sources in dict(kept)
        assert find_leaks(person, kept) == []
        forget(privacy, "pirkanmaa", privacy.client_pseudonym("pirkanmaa", CLIENT_ID),
               _kafka_publisher(s))
        catch_up(s, children)

    deadline = time.monotonic() + WINDOW_S
    while _intake_left(s) and time.monotonic() < deadline:
        time.sleep(1)
    blobs: list[tuple[str, str | bytes]] = [
        (t, b"\n".join(v for _, v, _ in read_topic(s, t))) for t in _prefix_topics(s)]
    blobs += _store_files(s)
    blobs += store_text_columns(s.store)
    leaks = find_leaks(person, blobs)
    assert leaks == [], "\n".join(f"{x.identifier!r} in {x.where}" for x in leaks)
    # The person's feedback is still there, redacted, on the sources topic and in the store.
    sources = b"\n".join(v for _, v, _ in read_topic(s, s.topics.sources))
    assert b"[HETU]" in sources and b"contact_sealed" in sources
    with duckdb.connect(str(s.store), read_only=True) as con:
        assert con.execute("select count(*) from knowledge_items where text like '%[HETU]%' "
                           "and erased_at is not null").fetchone() == (1,)


def _figures(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The store's tables that the flow fills, without the sink's own bookkeeping columns
    (`item_seq` numbers items in the order the sink first stored them, which the live sink's
    and replay's interleaving of partitions need not share)."""
    queries = {
        "events": "select * exclude (sunk_at) from events order by event_id",
        "knowledge_items": "select * exclude (item_seq) from knowledge_items order by item_id",
        "lifecycle": "select * from lifecycle order by event_id",
        "workshops": "select * from workshops order by event_id",
        "dead_letters": "select * exclude (sunk_at) from dead_letters order by event_id",
        # what the sink derives from the lifecycle batch by batch (incremental milestones)
        "item_steps": "select * exclude (item_seq) from item_steps order by item_id",
        "item_milestones_materialised":
            "select * exclude (item_seq) from item_milestones_materialised order by item_id",
        "open_obligations": "select * exclude (item_seq) from open_obligations order by all",
        "aggregate_members": "select * from aggregate_members order by all",
    }
    with duckdb.connect(str(path), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in queries.items()}


def test_the_sink_and_replay_rebuild_the_same_store_without_intake(
    settings_factory: SettingsFactory, tmp_path: Path,
) -> None:
    s = settings_factory()
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(e) for e in (feedback(), workshop(), statement())] + [b"garbage"])
        catch_up(s, children)
    live = _figures(s.store)
    assert len(live["events"]) > 3 and live["workshops"] and live["dead_letters"]
    source_rows = [r for r in live["events"] if r[1] in
                   ("feedback.submitted", "workshop.output_recorded", "expert_statement.issued")]
    assert len(source_rows) == 3 and all(r[9] == s.topics.intake for r in source_rows)

    assert s.kafka_bootstrap_servers
    client = kv_kafka.admin(s, s.kafka_bootstrap_servers)
    try:
        client.delete_topics([s.topics.intake])
    finally:
        client.close()
    deadline = time.monotonic() + 60
    while s.topics.intake in _prefix_topics(s):
        assert time.monotonic() < deadline, "the intake topic was not deleted"
        time.sleep(0.5)

    # A new sink on a new store, from the beginning of every topic it reads.
    rebuilt = settings_factory(KOKEMUSVIRTA_TOPIC_PREFIX=s.topic_prefix,
                               KOKEMUSVIRTA_STORE=tmp_path / "rebuilt" / "store.duckdb",
                               KOKEMUSVIRTA_SINK_GROUP=f"{s.sink_group}-again")
    sink = composition.sink(rebuilt)
    sink.run(max_idle_s=5)
    sink.store.close()
    assert _figures(rebuilt.store) == live

    replayed = tmp_path / "replayed.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "kokemusvirta", "replay", "--until",
         datetime.now(UTC).isoformat(), "--store", str(replayed)],
        env={**_env(s)}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _figures(replayed) == live
    assert s.topics.intake not in _prefix_topics(s)  # nothing recreated it


def _env(s: Settings) -> dict[str, str]:
    """A command's environment: these settings, acting as their (the admin's) principal."""
    from kokemusvirta.processes import child_env

    assert s.kafka_bootstrap_servers
    return child_env(s, s.kafka_bootstrap_servers)


def test_an_existing_intake_topic_gets_the_configured_retention(
    settings_factory: SettingsFactory,
) -> None:
    """An intake made before the setting (kept for ever) is corrected, and sources is not."""
    s = settings_factory()
    assert s.kafka_bootstrap_servers
    client = kv_kafka.admin(s, s.kafka_bootstrap_servers)
    try:
        kv_kafka.ensure_topics(s, s.kafka_bootstrap_servers)
        kv_kafka.correct_topic_config(client, s.topics.intake, {"retention.ms": "-1"})
        shorter = settings_factory(KOKEMUSVIRTA_TOPIC_PREFIX=s.topic_prefix,
                                   KOKEMUSVIRTA_INTAKE_RETENTION_HOURS=0.5)
        deadline = time.monotonic() + 30
        while kv_kafka.topic_config(client, s.topics.intake, ["retention.ms"]) != \
                {"retention.ms": "-1"}:
            assert time.monotonic() < deadline
            time.sleep(0.5)
        assert kv_kafka.ensure_topics(shorter, s.kafka_bootstrap_servers) == []
        wanted = {"retention.ms": "1800000", "segment.ms": "1800000",
                  "message.timestamp.type": "LogAppendTime"}
        while kv_kafka.topic_config(client, s.topics.intake, list(wanted)) != wanted:
            assert time.monotonic() < deadline, "intake's retention was not corrected"
            time.sleep(0.5)
        assert kv_kafka.topic_config(client, s.topics.sources, ["retention.ms"]) == \
            {"retention.ms": "-1"}
    finally:
        client.close()


def test_on_the_topics_outsiders_write_the_broker_stamps_the_receipt(
    settings_factory: SettingsFactory,
) -> None:
    """A sender cannot back-date a record: on intake and on a request topic the record's
    timestamp (the worker's receipt time) is the broker's, whatever the producer gave."""
    from kafka import KafkaConsumer, TopicPartition

    from schemas.access import Requester

    s = settings_factory()
    bootstrap = s.kafka_bootstrap_servers
    assert bootstrap
    kv_kafka.ensure_topics(s, bootstrap)
    request_topic = kv_kafka.ensure_request_topic(
        s, bootstrap, Requester.parse("unit", "lappi.rovaniemen-terveysasema"))
    claimed_ms = 946_684_800_000  # 2000-01-01
    producer = kv_kafka.producer(s, bootstrap)
    for topic in (s.topics.intake, request_topic):
        producer.send(topic, value=b"{}", partition=0, timestamp_ms=claimed_ms)
    producer.flush()
    producer.close()
    consumer = KafkaConsumer(enable_auto_commit=False, **s.kafka_python_config(bootstrap))
    try:
        for topic in (s.topics.intake, request_topic):
            tp = TopicPartition(topic, 0)
            consumer.assign([tp])
            consumer.seek_to_beginning(tp)
            records = []
            deadline = time.monotonic() + 30
            while not records and time.monotonic() < deadline:
                records = consumer.poll(timeout_ms=1000).get(tp, [])
            assert records, topic
            assert records[0].timestamp_type == 1, topic  # LogAppendTime
            assert records[0].timestamp > claimed_ms + 10 * 365 * 86_400_000, topic
    finally:
        consumer.close()

"""The worker's seals at start-up: its keys published, its checkpoint book restored.

Before the worker starts (kokemusvirta/bootstrap.py): the keys and checkpoints topics exist
(compacted), every public key of the key store is on the keys topic, and the checkpoint book
holds, per lifecycle and dead-letter partition, the last checkpoint it published (if its
signature holds) plus what the worker wrote after it, read back from the partition itself and
counted only if signed by one of its keys. So a crash between a write and its checkpoint loses
nothing, and a redelivered event (same id) is not counted twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from kafka import KafkaConsumer, TopicPartition

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.settings import Settings
from kokemusvirta.signing_keys import SigningKeys, WorkerKey
from schemas.dead_letter import DeadLetterRecorded
from schemas.lifecycle import LifecycleEvent
from schemas.registry import InvalidEvent, parse
from schemas.seals import Checkpoint, Seal, check_event_seal, event_hash
from streams.checkpoints import CheckpointBook

log = logging.getLogger("kokemusvirta.worker")

COMPACTED = {"cleanup.policy": "compact", "retention.ms": "-1"}


def ensure_seal_topics(settings: Settings, bootstrap: str) -> None:
    """The keys and checkpoints topics are made with the others, as set-up (the admin on the
    local broker): the worker itself may write them, never create them."""
    kv_kafka.ensure_topics(settings, bootstrap)


def publish_keys(settings: Settings, bootstrap: str, keys: list[WorkerKey]) -> None:
    producer = kv_kafka.producer(settings, bootstrap)
    try:
        for key in keys:
            producer.send(settings.topics.keys, key=key.key_id.encode(),
                          value=key.published().model_dump_json().encode())
        producer.flush()
    finally:
        producer.close()


def worker_seals(settings: Settings, bootstrap: str, every_s: float = 5.0) -> CheckpointBook:
    """The active key as the signer; every key published; the book restored."""
    ensure_seal_topics(settings, bootstrap)
    store = SigningKeys(settings.key_store)
    signer = store.active()
    keys = store.all()
    publish_keys(settings, bootstrap, keys)
    book = CheckpointBook(signer, settings.topics, every_s)
    reader = KafkaConsumer(enable_auto_commit=False, **settings.kafka_python_config(bootstrap))
    try:
        restore(book, reader, {k.key_id: k.private.public_key() for k in keys})
    finally:
        reader.close()
    return book


def _read(reader: KafkaConsumer, topic: str) -> Iterator[Any]:
    """Every record of `topic`, from its beginning to where it ends now."""
    partitions = [TopicPartition(topic, p)
                  for p in sorted(reader.partitions_for_topic(topic) or ())]
    if not partitions:
        return
    reader.assign(partitions)
    reader.seek_to_beginning(*partitions)
    ends = reader.end_offsets(partitions)
    remaining = {tp for tp in partitions if ends[tp] > reader.position(tp)}
    while remaining:
        for tp, records in reader.poll(timeout_ms=1000, max_records=5000).items():
            for r in records:
                if r.offset < ends[tp]:
                    yield r
            if reader.position(tp) >= ends[tp]:
                remaining.discard(tp)


def restore(book: CheckpointBook, reader: KafkaConsumer,
            keys: dict[str, Ed25519PublicKey]) -> None:
    started = time.monotonic()
    last: dict[tuple[str, int], Checkpoint] = {}
    for r in _read(reader, book.topics.checkpoints):
        try:
            checkpoint = Checkpoint.model_validate_json(r.value or b"")
        except ValueError:
            log.warning("unreadable checkpoint at %s[%d]@%d", r.topic, r.partition, r.offset)
            continue
        if checkpoint.seal(keys) is not Seal.VALID:
            log.warning("checkpoint at %s[%d]@%d is not signed by this worker's keys: ignored",
                        r.topic, r.partition, r.offset)
            continue
        last[(checkpoint.topic, checkpoint.partition)] = checkpoint
    for checkpoint in last.values():
        book.restore(checkpoint)
    counted = 0
    for topic in (book.topics.lifecycle, book.topics.dead_letters):
        partitions = [TopicPartition(topic, p)
                      for p in sorted(reader.partitions_for_topic(topic) or ())]
        for tp, end in reader.end_offsets(partitions).items():
            if (topic, tp.partition) not in last:
                book.begin(topic, tp.partition, end)
        for r in _read(reader, topic):
            try:
                event = parse(r.value or b"")
            except InvalidEvent:
                continue
            if not isinstance(event, LifecycleEvent | DeadLetterRecorded):
                continue
            covered = last.get((topic, r.partition))
            if covered is not None and r.offset <= covered.last_offset:
                book.known(topic, r.partition, str(event.event_id))
                continue
            payload = event.model_dump(mode="json")
            if check_event_seal(payload, keys) is Seal.VALID:
                book.delivered(topic, r.partition, r.offset, str(event.event_id),
                               event_hash(payload))
                counted += 1
    log.info("checkpoints restored: %d partition(s) from their checkpoints, %d signed event(s) "
             "after them, in %.1f s", len(last), counted, time.monotonic() - started)

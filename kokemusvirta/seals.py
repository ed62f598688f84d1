"""The worker's seals at start-up: its keys published, its checkpoint book made.

Before the worker starts (kokemusvirta/bootstrap.py): the keys and checkpoints topics exist
(compacted) and every public key of the key store is on the keys topic. The checkpoint book
starts empty: with N workers, the worker assigned partition p of the lifecycle (and of the dead
letters) counts what p holds, read back from offset 0 whoever wrote it, and alone publishes p's
checkpoints (streams/guard_agent.py, streams/checkpoints.py). So a crash between a write and
its checkpoint loses nothing, and a redelivered event (same id) is not counted twice.

N workers may share one key store (one key) or each have its own: every key is published, and
a checkpoint counts an event by its chain hash, which does not depend on the key.
"""

from __future__ import annotations

import logging

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.settings import Settings
from kokemusvirta.signing_keys import SigningKeys, WorkerKey
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


def worker_seals(settings: Settings, bootstrap: str,
                 every_s: float | None = None) -> CheckpointBook:
    """The active key as the signer; every key published; the book empty: each worker counts
    the partitions it is assigned, read back from offset 0 (streams/guard_agent.py)."""
    ensure_seal_topics(settings, bootstrap)
    store = SigningKeys(settings.key_store)
    signer = store.active()
    keys = store.all()
    publish_keys(settings, bootstrap, keys)
    return CheckpointBook(signer, settings.topics,
                          settings.checkpoint_every_s if every_s is None else every_s)

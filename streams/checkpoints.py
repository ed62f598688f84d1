"""The worker's seals on what it emits: signing its outputs, and the checkpoint book.

Pure, no I/O. The agents hand each output through `sign_outputs` before sending it; a timer
publishes `due()` every few seconds. With N workers, every worker writes to every lifecycle and
dead-letter partition, so no writer knows a partition's whole count: the worker assigned
partition p (streams/guard_agent.py) counts what is there instead, read back from offset 0
(`read_back`: every signed event, whoever wrote it), and is the only one that publishes p's
checkpoints; it drops the tally when p goes to another worker (`drop`). A redelivered event
(at least once: the same id again, at a new offset, maybe signed by another worker's key) counts
once, with the digest of its first copy, which is the copy the store keeps.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from schemas.chain import model_hash
from schemas.dead_letter import DeadLetterRecorded
from schemas.lifecycle import LifecycleEvent
from schemas.seals import (
    DIGEST_MODULUS,
    Checkpoint,
    Signer,
    checkpoint_now,
    event_digest,
    sign_event,
)
from schemas.topics import TopicNames
from streams.counted_ids import CountedIds
from streams.processing import Outgoing


def sign_outputs(outs: Iterable[Outgoing], signer: Signer | None,
                 topics: TopicNames) -> list[Outgoing]:
    """Each lifecycle event and dead letter signed; the rest (routed copies) as they are."""
    if signer is None:
        return list(outs)
    signed = []
    sealed_topics = (topics.lifecycle, topics.dead_letters)  # properties: made once here
    for out in outs:
        event = out.event
        if out.topic in sealed_topics and isinstance(event, _SIGNED):
            event = sign_event(event, signer)
            body = None
            if out.body is not None:  # the sealed JSON, with the two fields the seal filled in
                body = dict(out.body)
                body["seal_key_id"], body["seal_signature"] = \
                    event.seal_key_id, event.seal_signature
            out = Outgoing(out.topic, event, body)
        signed.append(out)
    return signed


_SIGNED = (LifecycleEvent, DeadLetterRecorded)


def covered_hash(event: LifecycleEvent | DeadLetterRecorded) -> str:
    """The hash a checkpoint counts an event by: what its signature covers."""
    if isinstance(event, LifecycleEvent) and event.chain_hash is not None:
        return event.chain_hash
    return model_hash(event)


@dataclass
class Tally:
    """One partition: what the worker wrote to it from offset 0 to `last_offset`."""

    last_offset: int = -1
    count: int = 0
    total: int = 0
    ids: CountedIds = field(default_factory=CountedIds)  # about 18 bytes an event id
    published_offset: int = -2  # the last_offset of the last checkpoint published
    signed_from: int | None = None  # where signing began here (None: not known yet)

    def began(self, offset: int) -> None:
        """Signing began at `offset` or earlier."""
        self.signed_from = offset if self.signed_from is None else min(self.signed_from, offset)

    def add(self, offset: int, event_id: str, digest: str, key: bytes | None = None) -> None:
        """`key`: the id's 16 bytes when the caller has them (an event's UUID), else parsed."""
        self.last_offset = max(self.last_offset, offset)
        self.began(offset)
        if key is None:
            key = uuid.UUID(event_id).bytes
        if not self.ids.add(key):
            return  # a redelivered copy
        self.count += 1
        self.total += event_digest(event_id, digest)


@dataclass
class CheckpointBook:
    signer: Signer
    topics: TopicNames
    every_s: float = 5.0  # how often the worker publishes the partitions that changed
    tallies: dict[tuple[str, int], Tally] = field(default_factory=dict)

    def covers(self, topic: str) -> bool:
        return topic in (self.topics.lifecycle, self.topics.dead_letters)

    def _tally(self, topic: str, partition: int) -> Tally:
        return self.tallies.setdefault((topic, partition), Tally())

    def restore(self, checkpoint: Checkpoint) -> None:
        """Start a partition from its last published (and verified) checkpoint."""
        tally = self._tally(checkpoint.topic, checkpoint.partition)
        tally.last_offset = checkpoint.last_offset
        tally.count = checkpoint.event_count
        tally.total = int(checkpoint.digest, 16) % DIGEST_MODULUS
        tally.published_offset = checkpoint.last_offset
        tally.began(checkpoint.signed_from)

    def begin(self, topic: str, partition: int, end_offset: int) -> None:
        """A partition without a checkpoint yet: what it holds before `end_offset` (where it
        ends as the worker starts) was written before signing, unless signed."""
        self._tally(topic, partition).began(end_offset)

    def known(self, topic: str, partition: int, event_id: str) -> None:
        """An event id already counted in the restored checkpoint (read back from the log)."""
        self._tally(topic, partition).ids.add(uuid.UUID(event_id).bytes)

    def delivered(self, topic: str, partition: int, offset: int, event_id: str,
                  digest: str) -> None:
        self._tally(topic, partition).add(offset, event_id, digest)

    def read_back(self, topic: str, partition: int, offset: int, event: object) -> None:
        """One record read back from a partition this worker holds (streams/guard_agent.py):
        a signed event is counted, whichever worker wrote it; an unsigned one is not (the
        store's verification names it forged, or from before signing)."""
        if isinstance(event, _SIGNED) and event.seal_signature is not None:
            self._tally(topic, partition).add(offset, str(event.event_id), covered_hash(event),
                                              event.event_id.bytes)

    def drop(self, topic: str, partition: int) -> None:
        """A partition now another worker's: it publishes the checkpoints there."""
        self.tallies.pop((topic, partition), None)

    def due(self, now: datetime, partitions: Iterable[int] | None = None) -> list[Checkpoint]:
        """Signed checkpoints of the partitions that changed since the last ones published;
        with `partitions`, of those lifecycle and dead-letter partitions only (a worker giving
        them up in a rebalance covers what it counted there before it goes). Call `published`
        once they are delivered."""
        only = None if partitions is None else set(partitions)
        return [checkpoint_now(topic, partition, t.last_offset, t.count, t.total, now,
                               t.signed_from if t.signed_from is not None
                               else t.last_offset + 1).signed(self.signer)
                for (topic, partition), t in sorted(self.tallies.items())
                if t.last_offset != t.published_offset
                and (only is None or partition in only)]

    def published(self, checkpoint: Checkpoint) -> None:
        tally = self._tally(checkpoint.topic, checkpoint.partition)
        tally.published_offset = max(tally.published_offset, checkpoint.last_offset)

"""Stores with sealed histories, built through the real path: the worker's Processor, the
lifecycle events a manager's steps add, schemas.chain.seal, sinks.projection.project and
sinks.store.Store.write. No broker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from schemas.chain import seal
from schemas.dead_letter import DeadLetterRecorded, Origin
from schemas.envelope import Envelope, derived_uuid
from schemas.knowledge import Classification
from schemas.lifecycle import (
    ActorRole,
    ItemAcknowledged,
    ItemClosed,
    ItemDecided,
    ItemEscalated,
    ItemPresented,
    ItemReturned,
    LifecycleEvent,
    Outcome,
    ReturnedTo,
)
from schemas.seals import PublishedKey, Signer, sign_event
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from sinks.projection import ConsumedRecord, project
from sinks.store import Store
from streams.checkpoints import CheckpointBook, covered_hash
from streams.processing import Processor

T = TopicNames("kv.")
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def classify(text: str, language: str | None) -> Classification:
    return Classification(themes=(Theme.ACCESS, Theme.COMMUNICATION), stance=Stance.COMPLAINT,
                          severity=Severity.HIGH, rules=("theme.access.fi:jono", "r2"),
                          classifier_version="rules-test")


@dataclass
class Log:
    """A fake Kafka log: records with offsets per (topic, partition), and each item's chain
    head, as the worker keeps it."""

    sealing: bool = True
    records: list[ConsumedRecord] = field(default_factory=list)
    heads: dict[str, str | None] = field(default_factory=dict)
    _next: dict[tuple[str, int], int] = field(default_factory=dict)
    processor: Processor = field(default_factory=lambda: Processor(T, classify=classify))
    # With a signer, the lifecycle events and dead letters are signed as the worker signs them,
    # and a checkpoint book counts where they land (streams/checkpoints.py).
    signer: Signer | None = None
    book: CheckpointBook | None = None

    def __post_init__(self) -> None:
        if self.signer is not None and self.book is None:
            self.book = CheckpointBook(self.signer, T)

    def append(self, topic: str, event: Envelope, partition: int = 0) -> int:
        """Returns the record's offset."""
        if isinstance(event, LifecycleEvent) and not self.sealing:  # as before sealing began
            event = event.model_copy(update={"chain_prev": None, "chain_hash": None})
        elif isinstance(event, LifecycleEvent) and event.chain_hash is None:
            event = seal(event, self.heads.get(str(event.item_id)))
        if isinstance(event, LifecycleEvent):
            self.heads[str(event.item_id)] = event.chain_hash
        signed = self.signer is not None and topic in (T.lifecycle, T.dead_letters) and \
            isinstance(event, LifecycleEvent | DeadLetterRecorded)
        if signed and isinstance(event, LifecycleEvent | DeadLetterRecorded):
            assert self.signer is not None
            event = sign_event(event, self.signer)
        offset = self.raw(topic, event.to_json_bytes(), partition,
                          int(event.recorded_at.timestamp() * 1000))
        if signed and self.book is not None and \
                isinstance(event, LifecycleEvent | DeadLetterRecorded):
            self.book.delivered(topic, partition, offset, str(event.event_id),
                                covered_hash(event))
        return offset

    def raw(self, topic: str, value: bytes, partition: int = 0,
            ts: int = 1_790_000_000_000, key: bytes | None = None) -> int:
        """Any record, as any producer could append it."""
        tp = (topic, partition)
        offset = self._next.get(tp, 0)
        self._next[tp] = offset + 1
        self.records.append(ConsumedRecord(topic, partition, offset, ts, value))
        return offset

    def publish_key(self, key: PublishedKey) -> None:
        self.raw(T.keys, key.model_dump_json().encode(), key=key.key_id.encode())

    def checkpoint(self) -> None:
        """The worker's timer: a signed checkpoint of each partition that changed."""
        assert self.book is not None
        for cp in self.book.due(NOW):
            self.raw(T.checkpoints, cp.model_dump_json().encode())
            self.book.published(cp)

    def intake(self, raw: bytes, now: datetime = NOW) -> list[str]:
        """Publish a source event and what the worker makes of it; returns the item ids."""
        offset = self._next.get((T.intake, 0), 0)
        self._next[(T.intake, 0)] = offset + 1  # the sink reads the worker's sources copy, not this
        items = []
        for o in self.processor.process(raw, Origin(topic=T.intake, partition=0, offset=offset),
                                        now):
            self.append(o.topic, o.event)
            if o.event.event_type == "item.received":
                items.append(str(o.event.item_id))
        return items

    def step(self, item_id: str, make: Callable[..., LifecycleEvent], at: datetime,
             **fields: Any) -> None:
        """A human step, accepted by the worker onto the lifecycle topic."""
        envelope = {"event_id": derived_uuid(item_id, make.__name__, at.isoformat()),
                    "occurred_at": at, "recorded_at": at + timedelta(seconds=2),
                    "county": "lappi", "unit": "rovaniemen-terveysasema", "item_id": item_id}
        self.append(T.lifecycle, make(**envelope, **fields))

    def whole_path(self, item_id: str, start: datetime = NOW) -> None:
        """Acknowledged, escalated, acknowledged by leadership, presented, decided, returned,
        closed."""
        d = timedelta(days=1)
        self.step(item_id, ItemAcknowledged, start + d, actor_role=ActorRole.UNIT_MANAGER)
        self.step(item_id, ItemEscalated, start + 2 * d, actor_role=ActorRole.UNIT_MANAGER,
                  reason="Toistuva jonotusongelma")
        self.step(item_id, ItemAcknowledged, start + 3 * d, actor_role=ActorRole.LEADERSHIP)
        self.step(item_id, ItemPresented, start + 4 * d, actor_role=ActorRole.LEADERSHIP,
                  body="aluehallitus", agenda_ref="AH 12.10.2026 § 7")
        self.step(item_id, ItemDecided, start + 10 * d, actor_role=ActorRole.DECISION_MAKER,
                  outcome=Outcome.ADOPTED, rationale="Takaisinsoitto otetaan käyttöön.",
                  decision_ref="AH/2026/77")
        self.step(item_id, ItemReturned, start + 12 * d,
                  actor_role=ActorRole.PARTICIPATION_COORDINATOR,
                  returned_to=ReturnedTo.CLIENT, channel="email")
        self.step(item_id, ItemClosed, start + 13 * d, actor_role=ActorRole.UNIT_MANAGER)

    def write(self, path: Path, batch: int = 5_000) -> Path:
        store = Store(path)
        try:
            for i in range(0, len(self.records), batch):
                store.write(project(self.records[i:i + batch], T, NOW))
        finally:
            store.close()
        return path

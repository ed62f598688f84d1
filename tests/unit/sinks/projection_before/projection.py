# sinks/projection.py as it was at 100b36b, before the sink parsed what the worker writes in one
# pass: the old side of tests/unit/sinks/test_projection_differential.py. Not to be changed.
"""Pure projection: consumed Kafka records -> rows for the store's tables. No I/O.

Only lifecycle events change knowledge_items; all events of one item share a key and so a
partition, so they arrive in order.

No record can stop the sink: whatever one record raises while it is parsed or projected (an
invalid event, a RecursionError from a deeply nested document, a bug) makes it a rejection, a
row of `sink_rejections` with its coordinates, a reason code and the exception's type, never its
payload. Otherwise the sink would die on it, and again on the same record after every restart.

Source events come from the sources topic, as the worker's redacted `source.recorded` copies
(schemas/sources.py): the sink and `replay` never read raw intake, which is kept only for a short
retention. A raw intake record given here anyway is read as it always was, without its payload.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.lifecycle import (
    ActorRole,
    ItemClassified,
    ItemReceived,
    ItemRelabelled,
    ItemReplyDelivery,
    ItemRouted,
    ItemSeverityConfirmed,
    ItemStaffNotified,
    LifecycleEvent,
)
from schemas.privacy import PersonForgotten
from schemas.registry import InvalidEvent, parse, parse_source
from schemas.seals import Checkpoint, PublishedKey
from schemas.sources import SourceRecorded
from schemas.topics import TopicNames
from schemas.workshop import ParticipantRole, WorkshopOutputRecorded
from sinks.access_log import access_rows
from sinks.labels import label_row
from sinks.notifications import delivery_row, notice_row

log = logging.getLogger("kokemusvirta.sink")

# step -> the knowledge_items column it fills (first time wins)
MILESTONE_COLUMNS = {
    "received": "received_at",
    "classified": "classified_at",
    "routed": "routed_at",
    "acknowledged": "acknowledged_at",
    "escalated": "escalated_at",
    "presented": "reached_decision_makers_at",
    "decided": "decided_at",
    "returned": "returned_at",
    "closed": "closed_at",
}
LEADERSHIP_ROLES = {ActorRole.LEADERSHIP, ActorRole.DECISION_MAKER}


@dataclass(frozen=True)
class ConsumedRecord:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None
    value: bytes | None


@dataclass
class Batch:
    events: list[dict[str, Any]] = field(default_factory=list)
    lifecycle: list[dict[str, Any]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    classified: list[dict[str, Any]] = field(default_factory=list)
    routed: list[dict[str, Any]] = field(default_factory=list)
    milestones: list[dict[str, Any]] = field(default_factory=list)
    aggregate_members: list[dict[str, Any]] = field(default_factory=list)
    forgotten: list[dict[str, Any]] = field(default_factory=list)
    workshops: list[dict[str, Any]] = field(default_factory=list)
    labels_human: list[dict[str, Any]] = field(default_factory=list)
    reply_deliveries: list[dict[str, Any]] = field(default_factory=list)
    staff_notifications: list[dict[str, Any]] = field(default_factory=list)
    dead_letters: list[dict[str, Any]] = field(default_factory=list)
    worker_keys: list[dict[str, Any]] = field(default_factory=list)
    worker_checkpoints: list[dict[str, Any]] = field(default_factory=list)
    access_log: list[dict[str, Any]] = field(default_factory=list)
    access_log_keys: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[dict[str, Any]] = field(default_factory=list)
    offsets: dict[tuple[str, int], int] = field(default_factory=dict)
    counters: Counter[str] = field(default_factory=Counter)


def project(records: list[ConsumedRecord], topics: TopicNames, sunk_at: datetime) -> Batch:
    batch = Batch()
    seen: set[str] = set()
    for r in records:
        tp = (r.topic, r.partition)
        batch.offsets[tp] = max(batch.offsets.get(tp, -1), r.offset)
        batch.counters["consumed"] += 1
        if r.topic in (topics.keys, topics.checkpoints):
            batch.counters["worker_seals"] += 1
            try:
                add_seal_record(batch, r, topics, sunk_at)
            except Exception as exc:  # noqa: BLE001 - one record must not stop the sink
                _reject(batch, r, sunk_at, "unreadable", RejectionReason.SCHEMA_VIOLATION.value,
                        exc, "parse")
            continue
        if r.topic == topics.access_log:  # who viewed which item: its own tables, no event
            try:
                table, row = access_rows(r.value or b"", r.topic, r.partition, r.offset, sunk_at)
                getattr(batch, table).append(row)
                batch.counters["access_log"] += 1
            except Exception as exc:  # noqa: BLE001 - one record must not stop the sink
                _reject(batch, r, sunk_at, "unreadable", RejectionReason.SCHEMA_VIOLATION.value,
                        exc, "parse")
            continue
        try:
            event = parse_source(r.value or b"") if r.topic == topics.intake \
                else parse(r.value or b"")
        except InvalidEvent as rejected:
            # Invalid intake is the worker's to dead-letter; anything else is logged by coordinates.
            name = "intake_rejected" if r.topic == topics.intake else "unreadable"
            if name == "unreadable":
                log.warning("unreadable record %s[%d]@%d: %s", r.topic, r.partition, r.offset,
                            rejected.reason.value)
            _reject(batch, r, sunk_at, name, rejected.reason.value, rejected, "parse")
            continue
        except Exception as exc:  # noqa: BLE001 - one record must not stop the sink
            _reject(batch, r, sunk_at, "unprojectable", RejectionReason.PROCESSING_ERROR.value,
                    exc, "parse")
            continue
        try:
            where = r
            if isinstance(event, SourceRecorded):
                where = _arrival(event.origin, event.received_at)
                event = event.source
            key = str(event.event_id)
            if key in seen:
                batch.counters["duplicates_in_batch"] += 1
                continue
            with _all_or_nothing(batch):
                add_event(batch, event, where, sunk_at,
                          keep_payload=r.topic not in (topics.intake, topics.sources))
            seen.add(key)
        except Exception as exc:  # noqa: BLE001 - one record must not stop the sink
            _reject(batch, r, sunk_at, "unprojectable", RejectionReason.PROCESSING_ERROR.value,
                    exc, "project")
    return batch


def _arrival(origin: Origin, at: datetime | None) -> ConsumedRecord:
    """A source event's row says where it arrived, on intake, and when (as before the sink read
    the sources topic): its `source.recorded` copy carries both. The copy's own coordinates
    are in the sink's offsets."""
    return ConsumedRecord(origin.topic, origin.partition, origin.offset,
                          None if at is None else round(at.timestamp() * 1000), None)


def _reject(batch: Batch, r: ConsumedRecord, sunk_at: datetime, counter: str, reason: str,
            exc: BaseException, stage: str) -> None:
    """Count the record under `counter` and keep a row of where it is and why, never its value
    (it may hold personal data; the exception's message may quote it, so only its type)."""
    batch.counters[counter] += 1
    batch.rejections.append({
        "topic": r.topic, "partition": r.partition, "offset": r.offset, "reason": reason,
        "exception_type": type(exc).__name__, "stage": stage,
        "kafka_timestamp": _ms_to_dt(r.timestamp_ms), "sunk_at": sunk_at,
    })
    if counter == "unprojectable":
        log.warning("rejected record %s[%d]@%d: %s while it was %s", r.topic, r.partition,
                    r.offset, type(exc).__name__, "parsed" if stage == "parse" else "projected")


_ROW_LISTS = ("events", "lifecycle", "received", "classified", "routed", "milestones",
              "aggregate_members", "forgotten", "workshops", "labels_human", "dead_letters",
              "worker_keys", "worker_checkpoints", "reply_deliveries", "staff_notifications")


@contextmanager
def _all_or_nothing(batch: Batch) -> Iterator[None]:
    """A record that fails half-way through add_event leaves none of its rows in the batch."""
    lengths = {name: len(getattr(batch, name)) for name in _ROW_LISTS}
    try:
        yield
    except BaseException:
        for name, n in lengths.items():
            del getattr(batch, name)[n:]
        raise


def add_event(batch: Batch, event: Any, r: ConsumedRecord, sunk_at: datetime,
              keep_payload: bool) -> None:
    """One parsed event into the batch's rows (r gives its Kafka coordinates; its value is
    not read). Source events keep no payload (keep_payload=False): a raw one may hold personal
    data, and a redacted one's words are the items' own."""
    if isinstance(event, DeadLetterRecorded):
        batch.dead_letters.append(_dead_letter_row(event, r, sunk_at))
        return
    batch.events.append(_event_row(event, r, sunk_at, keep_payload=keep_payload))
    if isinstance(event, PersonForgotten):
        batch.forgotten.append({
            "county": event.county, "client_pseudonym": event.client_pseudonym,
            "forgotten_at": event.occurred_at, "key_erased": event.key_erased,
            "event_id": event.event_id,
        })
    if isinstance(event, WorkshopOutputRecorded):
        batch.workshops.append(_workshop_row(event))
    if isinstance(event, LifecycleEvent):
        _project_lifecycle(batch, event, r)


def _workshop_row(event: WorkshopOutputRecorded) -> dict[str, Any]:
    """Who took part, in numbers by role (never names), and how many output items it gave."""
    counts = {f"participants_{role.value}": event.participants.get(role, 0)
              for role in ParticipantRole}
    return {
        "event_id": event.event_id, "workshop_id": event.workshop_id,
        "group_id": event.group_id, "meeting_number": event.meeting_number,
        "forum_type": event.forum_type.value, "held_on": event.held_on,
        "county": event.county, "service_area": event.service_area, "unit": event.unit,
        "facilitator_count": event.facilitator_count, **counts,
        "participants_total": sum(counts.values()), "output_items": len(event.items),
        "occurred_at": event.occurred_at, "recorded_at": event.recorded_at,
    }


def _event_row(
    event: Any, r: ConsumedRecord, sunk_at: datetime, keep_payload: bool
) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "schema_version": event.schema_version,
        "occurred_at": event.occurred_at,
        "recorded_at": event.recorded_at,
        "county": event.county,
        "unit": event.unit,
        "item_id": event.item_id,
        "caused_by": event.caused_by,
        "topic": r.topic,
        "partition": r.partition,
        "offset": r.offset,
        "kafka_timestamp": _ms_to_dt(r.timestamp_ms),
        "sunk_at": sunk_at,
        "payload": event.model_dump_json() if keep_payload else None,
    }


# What a lifecycle row has columns for; the rest of the event is its `details`. (chain_prev and
# chain_hash are LifecycleEvent fields, so they have columns of their own.)
_ENVELOPE_FIELDS = set(LifecycleEvent.model_fields) | {"event_type", "schema_version"}


def _project_lifecycle(batch: Batch, event: LifecycleEvent, r: ConsumedRecord) -> None:
    step = event.event_type.removeprefix("item.")
    details = event.model_dump(mode="json", exclude=_ENVELOPE_FIELDS)
    batch.lifecycle.append({
        "event_id": event.event_id,
        "item_id": event.item_id,
        "step": step,
        "actor_role": event.actor_role.value,
        "occurred_at": event.occurred_at,
        "recorded_at": event.recorded_at,
        "county": event.county,
        "unit": event.unit,
        "details": json.dumps(details, ensure_ascii=False) if details else None,
        "topic": r.topic,
        "partition": r.partition,
        "offset": r.offset,
        "chain_prev": event.chain_prev,
        "chain_hash": event.chain_hash,
        "actor_pseudonym": event.actor_pseudonym,
    })
    if isinstance(event, ItemReceived):
        i = event.item
        batch.received.append({
            "item_id": i.item_id, "source_family": i.source_family.value,
            "source_event_id": i.source_event_id, "county": i.county,
            "service_area": i.service_area, "unit": i.unit,
            "language": i.language.value if i.language else None,
            "channel": i.channel.value if i.channel else None, "rating": i.rating,
            "reply_requested": i.reply_requested, "contact_given": i.contact_given,
            "workshop_id": i.workshop_id, "target": i.target.value if i.target else None,
            "decision_ref": i.decision_ref, "text": i.text, "received_at": event.occurred_at,
            "client_pseudonym": i.client_pseudonym,
            "author_role": i.author_role.value if i.author_role else None,
        })
        batch.aggregate_members.extend(
            {"aggregate_item_id": i.item_id, "member_item_id": m} for m in i.members)
        return
    if isinstance(event, ItemClassified):
        c = event.classification
        batch.classified.append({
            "item_id": event.item_id, "themes": [t.value for t in c.themes],
            "stance": c.stance.value, "severity": c.severity.value,
            "classifier_version": c.classifier_version, "classifier_rules": list(c.rules),
            "text_language": c.language, "classifier_explanation": c.explanation,
            "critical_triggers": list(c.critical_triggers),
            "critical_suspected": c.critical_suspected,
        })
    elif isinstance(event, ItemRouted):
        batch.routed.append({
            "item_id": event.item_id, "routed_topics": [x.topic for x in event.routes],
            "immediate_attention": any(x.immediate_attention for x in event.routes),
        })
    elif isinstance(event, ItemRelabelled | ItemSeverityConfirmed):
        batch.labels_human.append(label_row(event, r.topic, r.partition, r.offset))
        return  # a person's word on the labels: no milestone (sinks/labels.sql)
    elif isinstance(event, ItemReplyDelivery):
        batch.reply_deliveries.append(delivery_row(event, r.topic, r.partition, r.offset))
        return  # the notifier's side steps: no milestone (sinks/notifications.sql)
    elif isinstance(event, ItemStaffNotified):
        batch.staff_notifications.append(notice_row(event, r.topic, r.partition, r.offset))
        return
    column = MILESTONE_COLUMNS[step]
    batch.milestones.append({"event_id": event.event_id, "item_id": event.item_id,
                             "milestone": column, "at": event.occurred_at})
    # Reached leadership: the first step taken by leadership or a decision-maker (acknowledged,
    # presented, decided, ...), or the presentation to decision-makers by anyone (a level above
    # counts, as in sinks/views.sql). For an aggregate's members write_batch.sql adds the
    # aggregate's.
    if event.actor_role in LEADERSHIP_ROLES or step == "presented":
        batch.milestones.append({"event_id": event.event_id, "item_id": event.item_id,
                                 "milestone": "reached_leadership_at", "at": event.occurred_at})


def _dead_letter_row(
    dl: DeadLetterRecorded, r: ConsumedRecord, sunk_at: datetime
) -> dict[str, Any]:
    return {
        "event_id": dl.event_id, "reason": dl.reason.value, "detail": dl.detail,
        "problems": json.dumps([p.model_dump() for p in dl.problems]),
        "county": dl.county, "original_event_type": dl.original_event_type,
        "original_event_id": dl.original_event_id, "origin_topic": dl.origin.topic,
        "origin_partition": dl.origin.partition, "origin_offset": dl.origin.offset,
        "recorded_at": dl.recorded_at, "topic": r.topic, "partition": r.partition,
        "offset": r.offset, "sunk_at": sunk_at, "payload": dl.model_dump_json(),
    }


def add_seal_record(batch: Batch, r: ConsumedRecord, topics: TopicNames,
                    sunk_at: datetime) -> None:
    """A public key or a checkpoint of the worker's (schemas/seals.py), as published; verify
    judges the checkpoints' signatures. A key whose id is not its own is refused here."""
    where = {"topic": r.topic, "partition": r.partition, "offset": r.offset, "sunk_at": sunk_at}
    if r.topic == topics.keys:
        key = PublishedKey.model_validate_json(r.value or b"")
        key.key()  # raises unless the id is the key's own and the key is a key
        batch.worker_keys.append({**key.model_dump(), **where})
        return
    cp = Checkpoint.model_validate_json(r.value or b"")
    batch.worker_checkpoints.append({
        "covered_topic": cp.topic, "covered_partition": cp.partition,
        "last_offset": cp.last_offset, "signed_from": cp.signed_from,
        "event_count": cp.event_count, "digest": cp.digest,
        "published_at": cp.published_at, "key_id": cp.key_id, "signature": cp.signature,
        **where})


def _ms_to_dt(ms: int | None) -> datetime | None:
    return None if ms is None or ms < 0 else datetime.fromtimestamp(ms / 1000, UTC)

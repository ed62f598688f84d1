"""The clean reference: what Kafka holds, projected in-process through the worker's and the sink's
own pure code (Processor, the guard, project, Store), with no Kafka consumer group, no process,
no fault. And the summary of a store that the oracle compares.

The reference reads back the input topics (intake, the request topics) rather than regenerating
them, so it sees exactly the bytes, partitions, offsets and timestamps the worker saw: a dead
letter's id and a system step's time are functions of those.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from kafka import KafkaConsumer, TopicPartition

from kokemusvirta.chaos.oracle import Summary
from schemas.dead_letter import Origin
from schemas.deadlines import Deadlines
from schemas.organisations import OrganisationRegistry
from schemas.topics import TopicNames
from sinks.projection import ConsumedRecord, project
from sinks.reader import open_sandboxed
from sinks.store import Store
from streams.errors import ErrorPolicy
from streams.guard import fold_system_steps
from streams.lifecycle import ItemState
from streams.privacy import Privacy
from streams.processing import Outgoing, Processor
from streams.timing import TimeWindow, record_time


@dataclass(frozen=True)
class InputRecord:
    """One record of an input topic, as the worker consumed it."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None
    key: bytes | None
    value: bytes | None


def read_topics(consumer: KafkaConsumer, topics: Iterable[str]) -> list[InputRecord]:
    """Every record of these topics, from the beginning to where they end now."""
    tps = [TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t)
                                                                 or ())]
    if not tps:
        return []
    consumer.assign(tps)
    ends = consumer.end_offsets(tps)
    consumer.seek_to_beginning(*tps)
    out: list[InputRecord] = []
    remaining = {tp for tp in tps if ends[tp] > 0}
    while remaining:
        for tp, records in consumer.poll(timeout_ms=1000, max_records=5000).items():
            for r in records:
                if r.offset < ends[tp]:
                    out.append(InputRecord(r.topic, r.partition, r.offset, r.timestamp, r.key,
                                           r.value))
            if consumer.position(tp) >= ends[tp]:
                remaining.discard(tp)
    return sorted(out, key=lambda r: (r.topic, r.partition, r.offset))


def worker_outputs(records: list[InputRecord], topics: TopicNames, privacy: Privacy | None,
                   window: TimeWindow,
                   organisations: OrganisationRegistry | None = None) -> list[Outgoing]:
    """What a worker that never crashed emits: intake first, then the requests in the order
    they were sent (the run publishes requests only once their items are processed, and an
    item's next step only once the one before was judged, so their timestamps order them).
    `organisations`: the worker's registry (None routes any code)."""
    processor = Processor(topics, privacy=privacy, window=window, organisations=organisations)
    errors = ErrorPolicy(topics, window)
    states: dict[str, ItemState] = {}
    out: list[Outgoing] = []
    for r in (r for r in records if r.topic == topics.intake):
        outs = errors.process(processor, r.value, _origin(r), _received(r))  # type: ignore[arg-type]
        fold_system_steps(states, outs)
        out.extend(outs)
    requests = sorted((r for r in records if topics.requester_of(r.topic) is not None),
                      key=lambda r: (r.timestamp_ms or 0, r.topic, r.partition, r.offset))
    for r in requests:
        item_id = r.key.decode(errors="replace") if r.key else None
        judgement = errors.judge(states.get(item_id) if item_id else None, r.value,  # type: ignore[arg-type]
                                 _origin(r), _received(r))
        if judgement.state is not None and judgement.item_id is not None:
            states[judgement.item_id] = judgement.state
        out.extend(judgement.outgoing)
    return out


def _origin(r: InputRecord) -> Origin:
    return Origin(topic=r.topic, partition=r.partition, offset=r.offset)


def _received(r: InputRecord) -> datetime | None:
    return record_time(r.timestamp_ms / 1000 if r.timestamp_ms is not None else None)


def sink_records(outputs: list[Outgoing],
                 topics: TopicNames) -> Iterator[ConsumedRecord]:
    """The sink's view: every output (offsets made up per topic). Never the raw intake: the
    sink reads the worker's redacted copies on the sources topic instead."""
    offsets: Counter[str] = Counter()
    for o in outputs:
        yield ConsumedRecord(o.topic, 0, offsets[o.topic], None, o.value)
        offsets[o.topic] += 1


def build_reference(path: Path, inputs: list[InputRecord], topics: TopicNames,
                    privacy: Privacy | None, window: TimeWindow,
                    deadlines: Deadlines | None = None,
                    organisations: OrganisationRegistry | None = None) -> None:
    """A store built as a faultless run would have built it."""
    outputs = worker_outputs(inputs, topics, privacy, window, organisations)
    store = Store(path, deadlines=deadlines)
    try:
        store.write(project(list(sink_records(outputs, topics)), topics,
                            datetime.now(UTC)))
    finally:
        store.close()


# What the oracle compares. Kafka coordinates and sunk_at differ between runs by design.
ITEMS_SQL = """
    select item_id, source_family, source_event_id, county, service_area, unit, language,
           channel, rating, reply_requested, contact_given, text, list_sort(themes), stance,
           severity, classifier_version, list_sort(classifier_rules), list_sort(routed_topics),
           immediate_attention, status, received_at, classified_at, routed_at, acknowledged_at,
           escalated_at, reached_leadership_at, reached_decision_makers_at, decided_at,
           returned_at, closed_at
    from knowledge_items"""
LIFECYCLE_SQL = """
    select event_id::varchar, item_id, step, actor_role, occurred_at, recorded_at, county, unit,
           chain_prev, chain_hash
    from lifecycle"""
DEAD_LETTERS_SQL = """
    select origin_topic || '[' || origin_partition || ']@' || origin_offset, reason,
           event_id::varchar, original_event_id
    from dead_letters"""
EVENTS_SQL = "select event_id::varchar, event_type, occurred_at, recorded_at, item_id from events"
MILESTONES_SQL = "select * from item_milestones"


def _frozen(value: Any) -> Any:
    """Lists (themes, routes) and maps as tuples, so that a row can be counted."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def summarise(con: duckdb.DuckDBPyConnection) -> Summary:
    def rows(sql: str) -> list[tuple[str, tuple[Any, ...]]]:
        return [(str(r[0]), _frozen(r[1:])) for r in con.execute(sql).fetchall()]

    cursor = con.execute(MILESTONES_SQL)
    id_at = [d[0] for d in cursor.description].index("item_id")
    milestones = [(str(r[id_at]), _frozen(r)) for r in cursor.fetchall()]
    return Summary(items=rows(ITEMS_SQL), lifecycle=rows(LIFECYCLE_SQL),
                   dead_letters=rows(DEAD_LETTERS_SQL), events=rows(EVENTS_SQL),
                   milestones=milestones)


def summarise_path(path: Path) -> Summary:
    con = open_sandboxed(path)  # the readers' sandbox, UTC (sinks/reader.py)
    try:
        return summarise(con)
    finally:
        con.close()

"""The benchmark's store: N knowledge items written through the sink's own write path.

The records are what the demo makes: the scenario generator's intake events
(scenario), what the worker's Processor derives from each (received, classified,
routed, the forwarded copies, dead letters), the managers' steps from the demo's activity plan
(scenario/activity.py), then the weekly signals of every complete week and leadership's
steps on them. Each chunk becomes a sink Batch (sinks/projection.add_event, the function the
sink's `project` calls after parsing) and is written with Store.write_staged: the same SQL, the
same transaction, the same materialised milestones as the live sink.

Why not through Kafka: the broker path runs at about 430 events a second on this machine, so a
million items (some six million events) would take hours; what the dashboards read is what the
sink's write path makes, and that path is the same. Differences from a live run: lifecycle
steps are not hash-chained by the guard (no chain_prev/chain_hash), client ids are not
pseudonymised by the intake gateway (the worker drops them), and Kafka coordinates are
synthetic (partition 0, offsets unique per topic).

Two processes prepare the chunks (classifying is most of the work) while this one writes.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from managers import signals
from scenario import activity, generate
from schemas.dead_letter import Origin
from schemas.lifecycle import ItemClassified, ItemReceived, ItemRouted, LifecycleEvent
from schemas.registry import InvalidEvent, parse_source
from schemas.topics import TopicNames
from sinks.projection import Batch, ConsumedRecord, add_event
from sinks.store import Store, staged_tables
from streams.processing import Processor

Say = Callable[[str], None]
TOPICS = TopicNames("kv.")
SEED = 2026
START = date(2025, 10, 6)  # a Monday; the scenario spans WEEKS weeks from here
WEEKS = 56
PLAN_NOW = datetime(2026, 11, 16, 12, tzinfo=UTC)  # managers act up to this moment
CHUNK = 25_000  # intake records per batch
# Kafka offsets are synthetic: each intake record's derived events get offsets in its own
# block, so they are unique per topic and grow with the intake offset.
_BLOCK = 1_000


@dataclass(frozen=True)
class Prepared:
    """One chunk, ready for Store.write_staged, and how many items it made."""

    staged: dict[str, pa.Table]
    offsets: dict[tuple[str, int], int]
    counters: Counter[str]
    items: int


_processor: Processor | None = None


def _worker_processor() -> Processor:
    global _processor  # one per worker process: the classifier's rules load once
    if _processor is None:
        _processor = Processor(TOPICS)
    return _processor


def _planned(received: ItemReceived, routed: ItemRouted | None,
             stance: str | None, severity: str | None) -> activity.PlannedItem:
    item = received.item
    levels = frozenset(r.level.value for r in routed.routes) if routed else frozenset()
    return activity.PlannedItem(
        item_id=item.item_id, county=item.county, unit=item.unit,
        source_family=item.source_family.value, stance=stance, severity=severity,
        routed_levels=levels, reply_requested=item.reply_requested,
        contact_given=item.contact_given, received_at=received.occurred_at)


def prepare(first_offset: int, raws: list[bytes]) -> Prepared:
    """Intake records -> what the worker makes of them -> the managers' steps -> one Batch."""
    processor = _worker_processor()
    batch = Batch()
    sunk_at = datetime.now(UTC)
    items = 0
    for n, raw in enumerate(raws):
        offset = first_offset + n
        intake = ConsumedRecord(TOPICS.intake, 0, offset, None, None)
        batch.offsets[(TOPICS.intake, 0)] = offset
        batch.counters["consumed"] += 1
        try:
            source = parse_source(raw)
        except InvalidEvent:
            batch.counters["intake_rejected"] += 1
            source = None
        else:
            add_event(batch, source, intake, sunk_at, keep_payload=False)
        # The worker processes a record soon after it is recorded.
        now = source.recorded_at if source is not None else PLAN_NOW
        outs = processor.process(raw, Origin(topic=TOPICS.intake, partition=0, offset=offset),
                                 now)
        derived: list[Any] = list(outs)
        received: dict[str, ItemReceived] = {}
        routed: dict[str, ItemRouted] = {}
        labels: dict[str, tuple[str, str]] = {}
        for o in outs:
            event = o.event
            if isinstance(event, ItemReceived):
                received[event.item_id] = event
            elif isinstance(event, ItemRouted):
                routed[event.item_id] = event
            elif isinstance(event, ItemClassified):
                c = event.classification
                labels[event.item_id] = (c.stance.value, c.severity.value)
        for item_id, r in received.items():
            items += r.item.source_family.value != "aggregate"
            stance, severity = labels.get(item_id, (None, None))
            steps: list[LifecycleEvent] = activity.plan_item(
                _planned(r, routed.get(item_id), stance, severity), SEED, PLAN_NOW)
            derived.extend(_Steps(TOPICS.lifecycle, s) for s in steps)
        counts: Counter[str] = Counter()
        for o in derived:
            coords = ConsumedRecord(o.topic, 0, offset * _BLOCK + counts[o.topic], None, None)
            counts[o.topic] += 1
            batch.offsets[(o.topic, 0)] = coords.offset
            batch.counters["consumed"] += 1
            add_event(batch, o.event, coords, sunk_at, keep_payload=True)
    return Prepared(staged_tables(batch), batch.offsets, batch.counters, items)


@dataclass(frozen=True)
class _Steps:
    """A lifecycle step as if the guard had moved it to the lifecycle topic."""

    topic: str
    event: LifecycleEvent


def _prepare_chunk(args: tuple[int, list[bytes]]) -> Prepared:
    return prepare(*args)


def _chunks(raws: Iterator[bytes], first_offset: int = 0) -> Iterator[tuple[int, list[bytes]]]:
    chunk: list[bytes] = []
    offset = first_offset
    for raw in raws:
        chunk.append(raw)
        if len(chunk) == CHUNK:
            yield offset, chunk
            offset += len(chunk)
            chunk = []
    if chunk:
        yield offset, chunk


def _write(store: Store, prepared: Prepared) -> float:
    started = time.monotonic()
    store.write_staged(prepared.staged, prepared.offsets, prepared.counters)
    return time.monotonic() - started


def _write_all(store: Store, chunks: Iterator[tuple[int, list[bytes]]], workers: int,
               progress: Callable[[int, int, float], None]) -> int:
    """Prepare chunks in `workers` processes (at most two chunks ahead each) and write them
    in order; returns the intake records written."""
    written = items = 0
    if workers <= 1:
        for args in chunks:
            prepared = _prepare_chunk(args)
            seconds = _write(store, prepared)
            written, items = written + len(args[1]), items + prepared.items
            progress(written, items, seconds)
        return written
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        pending: list[tuple[int, Any]] = []
        source = iter(chunks)
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < 2 * workers:
                chunk = next(source, None)
                if chunk is None:
                    exhausted = True
                    break
                pending.append((len(chunk[1]), pool.apply_async(_prepare_chunk, (chunk,))))
            if not pending:
                break
            size, result = pending.pop(0)
            prepared = result.get()
            seconds = _write(store, prepared)
            written, items = written + size, items + prepared.items
            progress(written, items, seconds)
    return written


def _signals(path: Path) -> list[bytes]:
    """The weekly signals of every complete week, as `kokemusvirta demo` detects them."""
    out: list[bytes] = []
    week_start = datetime.combine(START, datetime.min.time(), tzinfo=UTC)
    while week_start < PLAN_NOW:
        week = signals.week_of(week_start)
        if signals.week_bounds(week)[1] <= PLAN_NOW:
            found = signals.detect(signals.rows_for_week(path, week), week,
                                   signals.DEFAULT_THRESHOLD, PLAN_NOW)
            out.extend(s.to_json_bytes() for s in found)
        week_start += timedelta(days=7)
    return out


def _open(path: Path) -> Store:
    """The sink's Store, checkpointing less often than the sink: a checkpoint rewrites the
    primary-key indexes of events and lifecycle whole, which at millions of rows takes longer
    than the batch itself (the live sink checkpoints at every 16 MB of log)."""
    store = Store(path)
    store.con.execute("SET checkpoint_threshold = '2GB'")
    store.con.execute("SET enable_progress_bar = false")
    return store


def build(path: Path, items: int, workers: int, say: Say) -> None:
    """Write a store of about `items` knowledge items at `path` (built beside it, then moved
    into place, so that an interrupted build leaves no half store behind)."""
    tmp = path.with_name(path.name + ".building")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    started = time.monotonic()
    expected = items

    def progress(records: int, made: int, write_s: float) -> None:
        elapsed = time.monotonic() - started
        rate = made / elapsed if elapsed else 0.0
        eta = (expected - made) / rate if rate else 0.0
        say(f"  {made:>9,} / ~{expected:,} items  ({records:,} intake records, "
            f"{rate:,.0f} items/s, last batch written in {write_s:.1f} s, {elapsed:,.0f} s, "
            f"~{max(eta, 0):,.0f} s to go)")

    say(f"building {path} with ~{items:,} items in {workers} processes (seed {SEED}, "
        f"{START} + {WEEKS} weeks, managers act until {PLAN_NOW:%Y-%m-%d})")
    store = _open(tmp)
    try:
        raws = (r.value for r in generate(SEED, events=items, start=START, weeks=WEEKS))
        written = _write_all(store, _chunks(raws), workers, progress)
    finally:
        store.close()
    say(f"  weekly signals of {WEEKS} weeks…")
    found = _signals(tmp)
    store = _open(tmp)
    try:
        _write_all(store, _chunks(iter(found), written), workers, lambda r, m, s: None)
        store.con.execute("CHECKPOINT")
    finally:
        store.close()
    say(f"  {len(found):,} signals; built in {time.monotonic() - started:,.0f} s, "
        f"{tmp.stat().st_size / 1e9:.1f} GB")
    os.replace(tmp, path)

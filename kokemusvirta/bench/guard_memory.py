"""`python -m kokemusvirta.bench.guard_memory [--items N ...]`: the guard's memory per item held,
and the checkpoint tally's.

In process, no broker: the lifecycle records of the scenario's items (received, classified,
routed, as the worker's processing writes them), copied under new item and event ids up to N
items, read back into one partition of the guard's state book (streams/guard_state.py) as the
worker reads its lifecycle partitions on assignment. Printed per N: the bytes each item's state
holds (tracemalloc: what is allocated and still held once all are read back), the CPU time of
the read-back per record (the parse included, as on assignment) and the load average. Each N
runs in a fresh book; tracemalloc slows the read-back, so the CPU is timed in a round without it.

Beside it, side by side in the same run, what the checkpoint tally of the same records' event
ids holds (streams/checkpoints.py `Tally`, as the worker counts its lifecycle partitions on
assignment): bytes an item with the plain set of 16-byte ids it used to keep and with
`CountedIds` (streams/counted_ids.py), and the CPU per event counted with each.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import time
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from scenario import generate
from schemas.dead_letter import Origin
from schemas.lifecycle import LifecycleEvent
from schemas.topics import TopicNames
from streams.checkpoints import Tally
from streams.counted_ids import CountedIds
from streams.guard_state import StateBook
from streams.processing import Processor

AT = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
T = TypeVar("T")
TOPICS = TopicNames("kv.")


def item_records(items: int, seed: int = 11, templates: int = 300) -> list[bytes]:
    """`items` items' lifecycle records: the scenario's, each item's under a new item id and its
    events under new event ids (the chain hashes are the originals': a read-back checks none)."""
    processor = Processor(TOPICS)
    by_item: dict[str, list[bytes]] = {}
    for n, record in enumerate(generate(seed, events=templates)):
        for out in processor.process(record.value, Origin(topic=TOPICS.intake, partition=0,
                                                          offset=n), AT):
            if isinstance(out.event, LifecycleEvent):
                by_item.setdefault(str(out.event.item_id), []).append(out.value)
    shapes = [(item_id.encode(), [(raw, json.loads(raw)["event_id"].encode()) for raw in raws])
              for item_id, raws in by_item.items()]
    records: list[bytes] = []
    for i in range(items):
        item_id, raws = shapes[i % len(shapes)]
        new_id = item_id[:3] + f"{i:016x}".encode()
        records.extend(raw.replace(item_id, new_id).replace(event_id, str(uuid.uuid4()).encode())
                   for raw, event_id in raws)
    return records


def read_back(records: list[bytes]) -> tuple[StateBook, float]:
    """The records folded into partition 0 of a fresh book; the CPU seconds it took."""
    book = StateBook(TOPICS.lifecycle)
    book.assign([0])
    started = time.thread_time()
    for offset, raw in enumerate(records):
        book.fold(0, offset, raw)
    return book, time.thread_time() - started


def measure(items: int, templates: int = 300,
            records: list[bytes] | None = None) -> tuple[int, float, float]:
    """Items held, bytes per item held, CPU µs per lifecycle record read back (`records`: the
    `item_records(items)` already made)."""
    if records is None:
        records = item_records(items, templates=templates)
    held, book, seconds = held_then_timed(lambda: read_back(records))
    return book.items(), held / book.items(), seconds / len(records) * 1e6


def held_then_timed(run: Callable[[], tuple[T, float]]) -> tuple[int, T, float]:
    """`run` once under tracemalloc (the bytes what it returns still holds), then once more
    without it for its CPU seconds (tracemalloc slows it): (bytes, the second result, seconds)."""
    gc.collect()
    tracemalloc.start()
    try:
        kept, _ = run()
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    gc.collect()
    result, seconds = run()
    return held, result, seconds


class PlainSet:
    """The tally's ids before CountedIds: a set of the ids' bytes."""

    def __init__(self) -> None:
        self.ids: set[bytes] = set()

    def add(self, key: bytes) -> bool:
        if key in self.ids:
            return False
        self.ids.add(key)
        return True


def tally_ids(records: list[bytes], make: type[CountedIds] | type[PlainSet]) -> tuple[float, float]:
    """Bytes an event id held in a tally of `records`, and CPU µs an event counted."""
    event_ids = [json.loads(raw)["event_id"] for raw in records]
    digest = "0" * 64

    def count() -> tuple[Tally, float]:
        tally = Tally(ids=make())  # type: ignore[arg-type]
        started = time.thread_time()
        for offset, event_id in enumerate(event_ids):
            tally.add(offset, event_id, digest)
        assert tally.count == len(set(event_ids))
        return tally, time.thread_time() - started

    held, _, seconds = held_then_timed(count)
    return held / len(event_ids), seconds / len(event_ids) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[50_000])
    args = parser.parse_args()
    print(f"{'items':>10} {'bytes/item':>10} {'read-back µs/record':>20}  "
          f"{'tally B/item: set -> CountedIds':>32} {'µs/event counted':>18}  load (1, 5, 15 min)")
    for n in args.items:
        records = item_records(n)
        items, per_item, per_record = measure(n, records=records)
        per_item_events = len(records) / items
        old_bytes, old_us = tally_ids(records, PlainSet)
        new_bytes, new_us = tally_ids(records, CountedIds)
        load = " ".join(f"{v:.2f}" for v in os.getloadavg())
        tally = f"{old_bytes * per_item_events:,.0f} -> {new_bytes * per_item_events:,.0f}"
        print(f"{items:>10,} {per_item:>10,.0f} {per_record:>20.1f}  {tally:>32} "
              f"{f'{old_us:.1f} -> {new_us:.1f}':>18}  {load}", flush=True)


if __name__ == "__main__":
    main()

"""`python -m kokemusvirta.bench.guard_memory`: its items are distinct items read back whole, and
its figure is what the book holds per item (packed: far below the 745 bytes of an ItemState)."""

from __future__ import annotations

import json

import pytest

from kokemusvirta.bench import guard_memory
from streams.lifecycle import Stage
from streams.packed_states import PackedStates


def test_the_bench_reads_back_distinct_items_and_measures_what_they_hold(
        monkeypatch: pytest.MonkeyPatch) -> None:
    records = guard_memory.item_records(400, templates=40)
    assert len({json.loads(r)["event_id"] for r in records}) == len(records)
    book, _ = guard_memory.read_back(records)
    assert book.items() == len({json.loads(r)["item_id"] for r in records}) == 400
    assert {book.state(0, json.loads(r)["item_id"]).stage for r in records} == {Stage.ROUTED}  # type: ignore[union-attr]
    monkeypatch.setattr(PackedStates, "RECENT", 10)
    # tracemalloc counts every thread's allocations: a Kafka client thread left by an earlier
    # test in the same process, logging a traceback, once added 130 KB (573 B an item). Such a
    # burst does not come back three times in a row; the smallest of three is the book's.
    figures = [guard_memory.measure(400, templates=40) for _ in range(3)]
    per_item = min(f[1] for f in figures)
    assert all(f[0] == 400 and f[2] > 0 for f in figures) and 100 < per_item < 400, figures


def test_the_tally_figures_count_every_event_once_with_either_kind_of_ids() -> None:
    """The same records through a tally with the plain set and with CountedIds: both count
    every id (the bench asserts it), and the packed ids hold less."""
    records = guard_memory.item_records(10_000, templates=40)  # 30,000 ids: buckets well used
    old_bytes, old_us = guard_memory.tally_ids(records, guard_memory.PlainSet)
    new_bytes, new_us = guard_memory.tally_ids(records, guard_memory.CountedIds)
    assert old_bytes > 80 and new_bytes < old_bytes / 2.5, (old_bytes, new_bytes)
    assert old_us > 0 and new_us > 0
    plain = guard_memory.PlainSet()
    assert plain.add(b"x" * 16) and not plain.add(b"x" * 16)

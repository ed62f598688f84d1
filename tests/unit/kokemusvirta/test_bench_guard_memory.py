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
    items, per_item, per_record = guard_memory.measure(400, templates=40)
    assert items == 400 and 100 < per_item < 400 and per_record > 0


def test_the_tally_figures_count_every_event_once_with_either_kind_of_ids() -> None:
    """The same records through a tally with the plain set and with CountedIds: both count
    every id (the bench asserts it), and the packed ids hold less."""
    records = guard_memory.item_records(2_000, templates=40)
    old_bytes, old_us = guard_memory.tally_ids(records, guard_memory.PlainSet)
    new_bytes, new_us = guard_memory.tally_ids(records, guard_memory.CountedIds)
    assert old_bytes > 80 and new_bytes < old_bytes / 2, (old_bytes, new_bytes)
    assert old_us > 0 and new_us > 0
    plain = guard_memory.PlainSet()
    assert plain.add(b"x" * 16) and not plain.add(b"x" * 16)

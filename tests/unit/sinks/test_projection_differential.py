"""The projection made cheaper (one pydantic-core pass for what the worker writes, its dump
reused as the payload) projects every record as the projection before it did: the same rows in
every list, the same counters, offsets and rejections. The code before is kept beside this test
(projection_before/, which parses with schemas.registry.parse)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

import pytest

from schemas.registry import CURRENT_VERSIONS, parse, parse_canonical
from schemas.upcasting import UPCASTERS
from sinks import projection as new
from sinks.projection import ConsumedRecord
from sinks.store import _table, staged_tables
from tests.unit.sinks.projection_before import projection as old
from tests.unit.sinks.projection_before import staging as old_staging
from tests.unit.sinks.sink_records import (
    TOPICS,
    human_records,
    poison_records,
    poison_values,
    worker_records,
)

SUNK_AT = datetime(2026, 10, 21, 8, 0, tzinfo=UTC)


@cache
def _records() -> tuple[ConsumedRecord, ...]:
    return (*worker_records(400), *human_records(12), *worker_records(60, seed=11))


def _batch(batch: Any) -> dict[str, Any]:
    return {name: getattr(batch, name) for name in batch.__dataclass_fields__}


def _same(records: list[ConsumedRecord], size: int = 500) -> None:
    for i in range(0, len(records), size):
        chunk = records[i:i + size]
        before_batch = old.project(cast(Any, chunk), TOPICS, SUNK_AT)
        after_batch = new.project(chunk, TOPICS, SUNK_AT)
        before, after = _batch(before_batch), _batch(after_batch)
        assert before.keys() == after.keys()
        for name in before:
            assert after[name] == before[name], name
        _same_tables(old_staging.staged_tables(cast(Any, before_batch)),
                     staged_tables(after_batch))


def _same_tables(before: dict[str, Any], after: dict[str, Any]) -> None:
    assert before.keys() == after.keys()
    for name in before:
        assert after[name].equals(before[name], check_metadata=True), name
        assert after[name].to_pylist() == before[name].to_pylist(), name


def test_the_workers_records_project_as_before() -> None:
    records = list(_records())
    assert len(records) > 2_000
    assert {r.topic for r in records} >= {TOPICS.sources, TOPICS.lifecycle, TOPICS.dead_letters,
                                          TOPICS.checkpoints, TOPICS.intake}
    _same(records)


def test_redelivered_records_in_one_batch_are_duplicates_as_before() -> None:
    records = list(_records())[:300]
    _same(records + records, size=10_000)


def test_poison_projects_as_before() -> None:
    limit = sys.getrecursionlimit()
    _same(poison_records() + list(_records())[:50], size=10_000)
    assert sys.getrecursionlimit() == limit


def test_the_fast_path_is_taken_for_what_the_worker_writes() -> None:
    """Otherwise the differential tests above would compare the old path with itself."""
    records = [r for r in _records() if r.topic not in (TOPICS.checkpoints, TOPICS.keys,
                                                        TOPICS.intake)]
    fast = sum(parse_canonical(r.value)[1] is not None for r in records)
    assert fast == len(records)


@pytest.mark.parametrize("value", poison_values())
def test_parse_canonical_is_parse_for_any_record(value: bytes | None) -> None:
    for sources_only in (False, True):
        try:
            expected: Any = parse(value, sources_only=sources_only)
        except Exception as exc:  # noqa: BLE001 - the same exception, reason and detail
            with pytest.raises(type(exc)) as raised:
                parse_canonical(value, sources_only=sources_only)
            assert str(raised.value) == str(exc)
            assert getattr(raised.value, "problems", None) == getattr(exc, "problems", None)
            assert vars(raised.value) == vars(exc)
            continue
        event, dumped = parse_canonical(value, sources_only=sources_only)
        assert event == expected
        assert dumped is None or dumped == expected.model_dump_json()


def test_no_upcaster_starts_from_a_current_version() -> None:
    """parse_canonical's one pass skips upcasting: right only while no upcaster applies to an
    event of the current version."""
    assert all(CURRENT_VERSIONS[kind] != version for kind, version in UPCASTERS)


def test_rows_without_some_columns_are_staged_as_before() -> None:
    """Whatever builds a row, a missing column is None, as when each column was gathered
    with dict.get; extra keys are left out."""
    full = dict(new.project(list(_records())[:40], TOPICS, SUNK_AT).events[0])
    partial = {k: v for k, v in full.items() if k not in ("payload", "caused_by")}
    rows = [full, {**full, "not_a_column": 1}, partial, full]
    assert _table("events", rows).equals(old_staging._table("events", rows))
    assert _table("events", []).equals(old_staging._table("events", []))
    assert _table("events", [partial]).equals(old_staging._table("events", [partial]))

"""No record stops the sink: whatever one record raises while it is parsed or projected becomes a
counted rejection with its coordinates, reason and exception type (never its payload), and the
records around it are projected as usual (issue 11, S1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import sinks.projection as projection
from sinks.projection import ConsumedRecord, project
from sinks.store import Store
from tests.chains import NOW, Log, T
from tests.factories import as_bytes, feedback

DEPTH = 10_000
SECRET = "Salainen-arvo-joka-ei-saa-tallentua"


def nested(depth: int = DEPTH) -> bytes:
    """A feedback record (~20 KB) with a field nested `depth` levels deep: json.loads raises
    RecursionError on it."""
    valid = as_bytes(feedback(text=f"Hyvä palvelu {SECRET}"))
    return valid[:-1] + b', "extra": ' + b"[" * depth + b"]" * depth + b"}"


def one(topic: str, offset: int, value: bytes | None, partition: int = 0) -> ConsumedRecord:
    return ConsumedRecord(topic, partition, offset, 1_790_000_000_000, value)


def rows(batch: projection.Batch) -> int:
    return len(batch.events) + len(batch.dead_letters)


def test_a_record_nested_ten_thousand_deep_is_a_rejection_not_a_crash() -> None:
    good = as_bytes(feedback())
    batch = project([one(T.intake, 0, nested()), one(T.intake, 1, good)], T, NOW)
    assert len(batch.events) == 1  # the valid record after the poison is projected
    [rejected] = batch.rejections
    assert (rejected["topic"], rejected["partition"], rejected["offset"]) == (T.intake, 0, 0)
    assert rejected["stage"] == "parse"
    assert rejected["reason"]  # a reason code; which one depends on the parser's bounds
    assert rejected["exception_type"] in {"RecursionError", "InvalidEvent"}
    assert batch.offsets[(T.intake, 0)] == 1  # the store moves past it: no crash loop
    assert SECRET not in repr(batch.rejections)  # never the payload


def test_deep_nesting_on_the_lifecycle_topic_is_counted_too() -> None:
    batch = project([one(T.lifecycle, 7, nested())], T, NOW)
    [rejected] = batch.rejections
    assert rejected["offset"] == 7 and rejected["topic"] == T.lifecycle
    assert batch.counters["consumed"] == 1
    assert batch.counters["unreadable"] + batch.counters["unprojectable"] == 1


@pytest.mark.parametrize("value", [None, b"", b"\xff\xfe\xfa{\"event_type\": 1}",
                                   b"\x00" * 10, b"[1, 2]", b"NaN"])
@pytest.mark.parametrize("topic", [T.intake, T.lifecycle])
def test_tombstones_and_bytes_that_are_not_events_are_rejections(
        value: bytes | None, topic: str) -> None:
    batch = project([one(topic, 3, value)], T, NOW)
    assert rows(batch) == 0
    [rejected] = batch.rejections
    assert rejected["offset"] == 3 and rejected["stage"] == "parse"
    not_stored = sum(batch.counters[n] for n in
                     ("intake_rejected", "unreadable", "unprojectable"))
    assert not_stored == batch.counters["consumed"] == 1


def test_a_lifecycle_record_whose_projection_raises_leaves_no_rows_and_a_rejection(
        monkeypatch: pytest.MonkeyPatch) -> None:
    log = Log()
    [item] = log.intake(as_bytes(feedback()))
    log.whole_path(item)
    records = log.records
    poisoned = next(r for r in records if r.topic == T.lifecycle and b"item.decided" in
                    (r.value or b""))
    real = projection._project_lifecycle

    def fails_on_decided(batch: projection.Batch, event: Any, r: ConsumedRecord) -> None:
        real(batch, event, r)  # rows appended first: the failure is half-way
        if r is poisoned:
            raise KeyError("bug in the projection")

    monkeypatch.setattr(projection, "_project_lifecycle", fails_on_decided)
    batch = project(records, T, NOW)
    [rejected] = batch.rejections
    assert (rejected["topic"], rejected["offset"]) == (poisoned.topic, poisoned.offset)
    assert rejected["stage"] == "project"
    assert rejected["reason"] == "processing_error"
    assert rejected["exception_type"] == "KeyError"
    assert "decided" not in {x["step"] for x in batch.lifecycle}  # none of its rows
    assert not any(m["milestone"] == "decided_at" for m in batch.milestones)
    assert len(batch.events) == len(records) - 1
    assert batch.counters["unprojectable"] == 1


def test_rejections_are_stored_once_per_record_and_the_counters_balance(tmp_path: Path) -> None:
    records = [one(T.intake, 0, nested()), one(T.intake, 1, None),
               one(T.intake, 2, as_bytes(feedback()))]
    store = Store(tmp_path / "s.duckdb")
    try:
        store.write(project(records, T, NOW))
        store.write(project(records[:2], T, NOW))  # the same records again: no second row
        got = store.con.execute(
            'SELECT topic, "partition", "offset", stage FROM sink_rejections '
            'ORDER BY "offset"').fetchall()
        counters = dict(store.con.execute("SELECT name, value FROM sink_counters").fetchall())
        (events,) = store.con.execute("SELECT count(*) FROM events").fetchone() or (0,)
    finally:
        store.close()
    assert got == [(T.intake, 0, 0, "parse"), (T.intake, 0, 1, "parse")]
    assert events == 1
    not_stored = sum(counters.get(n, 0) for n in ("intake_rejected", "unreadable",
                                                   "unprojectable"))
    assert counters["consumed"] == 5 == events + not_stored

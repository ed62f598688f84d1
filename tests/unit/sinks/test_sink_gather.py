"""A sink that is behind gathers several polls into one batch (sinks/runner.py, GATHER_S): a
store write costs about the same whatever its size, so fewer, bigger batches cost less CPU per
event. Nothing else changes: every record is written once, in order, poison still rejected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from kafka.errors import KafkaConnectionError

from sinks import runner
from sinks.runner import Sink
from tests.chains import T
from tests.factories import as_bytes, feedback
from tests.unit.sinks.test_sink_reconnect import FakeConsumer


def _run(tmp_path: Path, values: list[bytes], batch_max: int) -> list[int]:
    sink = Sink(tmp_path / "s.duckdb", T, lambda: FakeConsumer(values), batch_max, 0.01)
    batches: list[int] = []
    sink.on_batch = lambda seconds, records: batches.append(records)
    sink.run(max_idle_s=0.3)
    return batches


def test_polls_that_keep_giving_records_make_one_batch_up_to_batch_max(tmp_path: Path) -> None:
    values = [as_bytes(feedback()) for _ in range(5)]
    assert _run(tmp_path, values, batch_max=2) == [2, 2, 1]  # the fake gives one a poll
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone() == (5,)
        assert con.execute('SELECT max("offset") FROM sink_offsets').fetchone() == (4,)


def test_a_poison_record_in_a_gathered_batch_is_rejected_and_the_rest_stored(
    tmp_path: Path,
) -> None:
    values = [as_bytes(feedback()), b"{\"event_type\": 1", as_bytes(feedback())]
    assert _run(tmp_path, values, batch_max=10) == [3]
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone() == (2,)
        assert con.execute('SELECT "offset", reason FROM sink_rejections').fetchall() == [
            (1, "not_json")]


class _LostAfterFirstPoll(FakeConsumer):
    """Gives one record a poll; with `lost`, every poll after the first finds the broker gone."""

    def __init__(self, values: list[bytes], lost: bool) -> None:
        super().__init__(values)
        self.lost = lost
        self.polls = 0

    def poll(self, timeout_ms: int, max_records: int) -> Any:
        self.polls += 1
        if self.lost and self.polls >= 2:
            raise KafkaConnectionError("Connection reset by peer")
        return super().poll(timeout_ms, max_records)


def test_a_broker_lost_while_gathering_keeps_what_was_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(runner, "BACKOFF_FIRST_S", 0.01)
    values = [as_bytes(feedback()) for _ in range(3)]
    made: list[_LostAfterFirstPoll] = []

    def factory() -> _LostAfterFirstPoll:
        made.append(_LostAfterFirstPoll(values, lost=not made))
        return made[-1]

    sink = Sink(tmp_path / "s.duckdb", T, factory, 10, 0.01)
    batches: list[int] = []
    sink.on_batch = lambda seconds, records: batches.append(records)
    sink.run(max_idle_s=0.3)
    # the first consumer's first record is written before its loss; the next consumer goes on
    # from the store's offset, and every record is stored once
    assert batches[0] == 1 and sum(batches) == 3 and made[1].seeks == [1]
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone() == (3,)

"""The figures the sink keeps for its /metrics (sinks/runner.py; read by
kokemusvirta/operations/metrics.py): counters and rejections of every batch, the store's offsets,
the last commit, the last snapshot, each batch's time and size, and the loop's last turn."""

from __future__ import annotations

import time
from pathlib import Path

from sinks.runner import Sink
from tests.chains import T
from tests.factories import as_bytes, feedback
from tests.unit.sinks.test_sink_reconnect import FakeConsumer


def test_the_sink_keeps_what_its_metrics_read(tmp_path: Path) -> None:
    values = [as_bytes(feedback()), b"not json", as_bytes(feedback())]
    sink = Sink(tmp_path / "s.duckdb", T, lambda: FakeConsumer(values), 10, 0.01)
    batches: list[tuple[float, int]] = []
    sink.on_batch = lambda seconds, records: batches.append((seconds, records))
    assert sink.stored_offsets == {} and sink.last_commit_at is None
    before = time.time()
    sink.run(max_idle_s=0.3)
    assert sink.counters["consumed"] == 3
    assert dict(sink.rejections) == {"not_json": 1}
    assert sink.stored_offsets == {(T.sources, 0): 2}
    assert sink.last_commit_at is not None and sink.last_commit_at >= before
    assert sink.snapshot_at is not None and sink.snapshot_at >= before
    # the fake polls one at a time; polls that keep giving records make one batch (GATHER_S)
    assert [records for _, records in batches] == [3]
    assert all(seconds >= 0 for seconds, _ in batches)
    assert time.monotonic() - sink.loop_at < 5


def test_a_restarted_sink_knows_the_stores_offsets(tmp_path: Path) -> None:
    values = [as_bytes(feedback())]
    Sink(tmp_path / "s.duckdb", T, lambda: FakeConsumer(values), 10, 0.01).run(max_idle_s=0.2)
    again = Sink(tmp_path / "s.duckdb", T, lambda: FakeConsumer(values), 10, 0.01)
    assert again.stored_offsets == {(T.sources, 0): 0}
    again.store.close()

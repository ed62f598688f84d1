"""The metrics collectors read the counters the worker and the sink already keep: fake objects
with counters in, the Prometheus exposition text out (kokemusvirta/operations/metrics.py)."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest

from kokemusvirta.operations.metrics import (
    LagProbe,
    SinkCollector,
    Vitals,
    WorkerCollector,
    batch_observer,
    health,
    lag,
)
from streams.errors import ProcessingCounters


@dataclass
class FakeSink:
    batches: int = 7
    reconnects: int = 1
    counters: Counter[str] = field(default_factory=lambda: Counter(
        consumed=120, already_stored=3, unreadable=1))
    rejections: Counter[str] = field(default_factory=lambda: Counter(
        schema_violation=2, processing_error=1))
    last_commit_at: float | None = 1_700_000_000.0
    snapshot_at: float | None = field(default_factory=lambda: time.time() - 4)
    loop_at: float = field(default_factory=time.monotonic)
    lake: Any = None


@dataclass
class FakeLake:
    error: str | None = None

    def figures(self) -> dict[str, object]:
        return {"syncs": 5, "rows_synced": 240, "failures": 1, "last_sync_age_s": 2.5,
                "behind": False, "error": self.error}


def _probe(lags: dict[tuple[str, int], int]) -> LagProbe:
    probe = LagProbe(ends=lambda: {}, done=lambda: {})
    probe.lag, probe.measured_at = lags, time.time()
    return probe


def _text(collector: object) -> str:
    registry = CollectorRegistry()
    registry.register(collector)  # type: ignore[arg-type]
    return generate_latest(registry).decode()


def test_the_worker_collector_reads_the_error_policys_counters() -> None:
    counters = ProcessingCounters(processed=42, judged=5, unexpected_errors=1)
    counters.dead_letters_by_reason.update(schema_violation=3, empty_record=1)
    text = _text(WorkerCollector(counters, Vitals(), _probe({("kv.intake", 0): 0,
                                                             ("kv.intake", 1): 9})))
    assert "kokemusvirta_worker_intake_processed_total 42.0" in text
    assert "kokemusvirta_worker_requests_judged_total 5.0" in text
    assert 'kokemusvirta_worker_dead_letters_total{reason="schema_violation"} 3.0' in text
    assert 'kokemusvirta_worker_dead_letters_total{reason="empty_record"} 1.0' in text
    assert "kokemusvirta_worker_unexpected_errors_total 1.0" in text
    assert 'kokemusvirta_lag_records{partition="1",topic="kv.intake"} 9.0' in text
    assert "kokemusvirta_loop_age_seconds" in text
    # Read at scrape time: a later count shows without anything being told.
    counters.processed += 1
    assert "kokemusvirta_worker_intake_processed_total 43.0" in _text(
        WorkerCollector(counters, Vitals()))


def test_the_sink_collector_reads_the_sinks_attributes_and_observes_batches() -> None:
    registry = CollectorRegistry()
    registry.register(SinkCollector(FakeSink(), _probe({("kv.lifecycle", 0): 4})))
    observe = batch_observer(registry)
    observe(0.2, 300)
    text = generate_latest(registry).decode()
    assert "kokemusvirta_sink_records_consumed_total 120.0" in text
    assert 'kokemusvirta_sink_records_total{outcome="already_stored"} 3.0' in text
    assert 'kokemusvirta_sink_rejections_total{reason="schema_violation"} 2.0' in text
    assert "kokemusvirta_sink_batches_total 7.0" in text
    assert "kokemusvirta_sink_reconnects_total 1.0" in text
    assert "kokemusvirta_last_commit_timestamp_seconds 1.7e+09" in text
    snapshot_age = next(float(line.split()[1]) for line in text.splitlines()
                        if line.startswith("kokemusvirta_snapshot_age_seconds "))
    assert 3.5 < snapshot_age < 60
    assert 'kokemusvirta_lag_records{partition="0",topic="kv.lifecycle"} 4.0' in text
    assert 'kokemusvirta_sink_batch_duration_seconds_bucket{le="0.25"} 1.0' in text
    assert 'kokemusvirta_sink_batch_records_bucket{le="500.0"} 1.0' in text
    assert "kokemusvirta_sink_batch_records_sum 300.0" in text


def test_no_lag_is_shown_before_it_was_measured_and_none_before_a_snapshot() -> None:
    text = _text(SinkCollector(FakeSink(snapshot_at=None, last_commit_at=None),
                               LagProbe(ends=lambda: {}, done=lambda: {})))
    assert "kokemusvirta_lag_records" not in text
    assert "kokemusvirta_snapshot_age_seconds" not in text
    assert "kokemusvirta_last_commit_timestamp_seconds" not in text


def test_lag_is_the_end_minus_the_next_offset_to_do() -> None:
    ends = {("t", 0): 10, ("t", 1): 5, ("t", 2): 0}
    assert lag(ends, {("t", 0): 10, ("t", 1): 2}) == {("t", 0): 0, ("t", 1): 3, ("t", 2): 0}


def test_a_lag_probe_keeps_its_last_figures_when_the_broker_is_away() -> None:
    answers: list[object] = [{("t", 0): 4}, ConnectionError("broker gone"), {("t", 0): 6}]

    def done() -> dict[tuple[str, int], int]:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[return-value]

    probe = LagProbe(ends=lambda: {("t", 0): 6}, done=done)
    probe.measure()
    assert probe.lag == {("t", 0): 2} and probe.advanced_at is None  # nothing to compare yet
    measured = probe.measured_at
    probe.measure()
    assert probe.lag == {("t", 0): 2} and probe.measured_at == measured
    assert probe.error is not None and "broker gone" in probe.error
    probe.measure()
    assert probe.lag == {("t", 0): 0} and probe.error is None
    assert probe.advanced_at is not None  # the committed offset moved: a commit was seen


def test_health_is_ok_while_the_loop_turns_and_503_when_it_stalls() -> None:
    status, body = health("sink", loop_at=100.0, stall_s=5, now=103.0, details={"batches": 2})
    assert status == 200 and body["status"] == "ok" and body["batches"] == 2
    status, body = health("sink", loop_at=100.0, stall_s=5, now=106.0)
    assert status == 503 and body["status"] == "stalled" and body["loop_age_s"] == 6.0


def test_state_files_of_dead_processes_are_skipped_and_cleared(tmp_path: Path) -> None:
    from kokemusvirta.operations.server import read_states, state_path, write_state

    dead = state_path(tmp_path, "sink", 2**22 + 12345)  # above Linux's pid_max: never alive
    dead.parent.mkdir(parents=True)
    dead.write_text(json.dumps({"role": "sink", "pid": 2**22 + 12345, "url": "http://x:1"}))
    assert read_states(tmp_path, "sink") == []
    write_state(tmp_path, "sink", "127.0.0.1", 9466)
    assert [s["url"] for s in read_states(tmp_path, "sink")] == ["http://127.0.0.1:9466"]
    assert not dead.exists()


def test_the_history_lake_is_measured_when_the_sink_keeps_one() -> None:
    assert "kokemusvirta_lake" not in _text(SinkCollector(FakeSink()))
    text = _text(SinkCollector(FakeSink(lake=FakeLake())))
    assert "kokemusvirta_lake_syncs_total 5.0" in text
    assert "kokemusvirta_lake_rows_synced_total 240.0" in text
    assert "kokemusvirta_lake_failures_total 1.0" in text
    assert "kokemusvirta_lake_failing 0.0" in text
    assert "kokemusvirta_lake_sync_age_seconds 2.5" in text
    assert "kokemusvirta_lake_failing 1.0" in _text(
        SinkCollector(FakeSink(lake=FakeLake(error="IOException: disk full"))))

"""What the worker and the sink expose on /metrics (Prometheus) and /healthz.

Nothing here counts anything itself: the collectors READ, at scrape time, the plain attributes
the processing objects already keep (streams/errors.py ProcessingCounters, sinks/runner.py
Sink), so the processing loops take no lock and do no extra work for a scrape. The one thing
that needs the network, consumer lag, is measured by a LagProbe in its own thread every few
seconds; a scrape reads its last result and never waits for Kafka.

streams/ and sinks/ know nothing of this module (the layers); it knows their attributes only
through the Protocols below.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger("kokemusvirta.operations")

Partition = tuple[str, int]


# --- lag -----------------------------------------------------------------------------------

def lag(ends: Mapping[Partition, int], next_offsets: Mapping[Partition, int]) -> dict[
        Partition, int]:
    """Records not yet done per partition: where it ends minus the next offset to do (a
    partition never done lags by all it holds; the topics keep every record)."""
    return {tp: max(0, end - next_offsets.get(tp, 0)) for tp, end in ends.items()}


@dataclass
class LagProbe:
    """Measures lag every `interval_s` in a daemon thread. `ends` and `done` may raise (the
    broker is away): the last good figures stay, and `measured_at` tells how old they are.
    `advanced_at` is when a done offset was last seen to move (within one interval)."""

    ends: Callable[[], Mapping[Partition, int]]
    done: Callable[[], Mapping[Partition, int]]  # the next offset to do, per partition
    interval_s: float = 5.0
    lag: dict[Partition, int] = field(default_factory=dict)
    measured_at: float | None = None  # wall time of the last good measurement
    advanced_at: float | None = None
    error: str | None = None
    _last_done: dict[Partition, int] = field(default_factory=dict)

    def measure(self) -> None:
        try:
            ends, done = dict(self.ends()), dict(self.done())
        except Exception as exc:  # noqa: BLE001 - a lag probe never stops the process
            self.error = f"{type(exc).__name__}: {str(exc)[:200]}"
            log.debug("lag not measured: %s", self.error)
            return
        now = time.time()
        if any(o > self._last_done.get(tp, -1) for tp, o in done.items()) and self._last_done:
            self.advanced_at = now
        self._last_done = done
        self.lag, self.measured_at, self.error = lag(ends, done), now, None

    def start(self) -> threading.Thread:
        def loop() -> None:
            while True:
                self.measure()
                time.sleep(self.interval_s)

        thread = threading.Thread(target=loop, name="kokemusvirta-lag", daemon=True)
        thread.start()
        return thread


# --- health --------------------------------------------------------------------------------

def health(role: str, loop_at: float, stall_s: float, now: float,
           details: Mapping[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    """200 and status ok when the process's loop turned within `stall_s`, else 503 stalled.
    `loop_at` and `now` are monotonic times."""
    age = max(0.0, now - loop_at)
    ok = age <= stall_s
    body = {"status": "ok" if ok else "stalled", "role": role,
            "loop_age_s": round(age, 3), "stall_after_s": stall_s, **(details or {})}
    return (200 if ok else 503), body


# --- what the collectors read ----------------------------------------------------------------

# Read-only properties: the collectors only read, so any mapping (a Counter) will do.
class WorkerCounters(Protocol):
    @property
    def processed(self) -> int: ...
    @property
    def judged(self) -> int: ...
    @property
    def unexpected_errors(self) -> int: ...
    @property
    def dead_letters_by_reason(self) -> Mapping[str, int]: ...


class SinkFigures(Protocol):
    @property
    def batches(self) -> int: ...
    @property
    def reconnects(self) -> int: ...
    @property
    def counters(self) -> Mapping[str, int]: ...
    @property
    def rejections(self) -> Mapping[str, int]: ...
    @property
    def last_commit_at(self) -> float | None: ...
    @property
    def snapshot_at(self) -> float | None: ...
    @property
    def loop_at(self) -> float: ...


@dataclass
class Vitals:
    """The worker's loop's last turn and last offset commit (set by a callback on its event
    loop and a Faust sensor, see wiring.py)."""

    loop_at: float = field(default_factory=time.monotonic)
    last_commit_at: float | None = None  # wall time


def _copy(mapping: Mapping[Any, int]) -> dict[Any, int]:
    """A copy of a dict the processing thread may be adding to (dict() of a dict is atomic
    under the GIL; retried if a subclass ever makes it not)."""
    for _ in range(5):
        try:
            return dict(mapping)
        except RuntimeError:
            continue
    return {}


def _lag_metrics(probe: LagProbe | None, now: float) -> Iterator[Metric]:
    if probe is None or probe.measured_at is None:
        return
    g = GaugeMetricFamily("kokemusvirta_lag_records", "Records not yet done per topic "
                          "partition: end offset minus the next offset to do",
                          labels=["topic", "partition"])
    for (topic, partition), n in sorted(probe.lag.items()):
        g.add_metric([topic, str(partition)], n)
    yield g
    yield GaugeMetricFamily("kokemusvirta_lag_measured_age_seconds",
                            "Seconds since lag was last measured (the broker answered)",
                            value=max(0.0, now - probe.measured_at))


def _loop_age(loop_at: float) -> Metric:
    return GaugeMetricFamily("kokemusvirta_loop_age_seconds",
                             "Seconds since the processing loop last turned (/healthz)",
                             value=max(0.0, time.monotonic() - loop_at))


class WorkerCollector(Collector):
    def __init__(self, counters: WorkerCounters, vitals: Vitals,
                 probe: LagProbe | None = None) -> None:
        self.counters, self.vitals, self.probe = counters, vitals, probe

    def collect(self) -> Iterable[Metric]:
        c = self.counters
        yield CounterMetricFamily("kokemusvirta_worker_intake_processed",
                                  "Intake records processed by this worker process",
                                  value=c.processed)
        yield CounterMetricFamily("kokemusvirta_worker_requests_judged",
                                  "Lifecycle requests judged by the guard in this process",
                                  value=c.judged)
        dl = CounterMetricFamily("kokemusvirta_worker_dead_letters",
                                 "Records sent to dead letters by this process, by reason",
                                 labels=["reason"])
        for reason, n in sorted(_copy(c.dead_letters_by_reason).items()):
            dl.add_metric([reason], n)
        yield dl
        yield CounterMetricFamily("kokemusvirta_worker_unexpected_errors",
                                  "Records whose processing raised (dead-lettered as "
                                  "processing_error)", value=c.unexpected_errors)
        yield _loop_age(self.vitals.loop_at)
        now = time.time()
        yield from _lag_metrics(self.probe, now)
        if self.vitals.last_commit_at is not None:
            yield GaugeMetricFamily("kokemusvirta_last_commit_timestamp_seconds",
                                    "When the worker last committed an offset that moved "
                                    "(Unix time)", value=self.vitals.last_commit_at)


class SinkCollector(Collector):
    def __init__(self, sink: SinkFigures, probe: LagProbe | None = None) -> None:
        self.sink, self.probe = sink, probe

    def collect(self) -> Iterable[Metric]:
        s = self.sink
        counters = _copy(s.counters)
        yield CounterMetricFamily("kokemusvirta_sink_records_consumed",
                                  "Records the sink consumed and wrote in this process",
                                  value=counters.get("consumed", 0))
        outcome = CounterMetricFamily("kokemusvirta_sink_records",
                                      "What became of consumed records that made no new row "
                                      "(the store's sink_counters), this process",
                                      labels=["outcome"])
        for name, n in sorted(counters.items()):
            if name != "consumed":
                outcome.add_metric([name], n)
        yield outcome
        rejected = CounterMetricFamily("kokemusvirta_sink_rejections",
                                       "Records the sink could not project, by reason",
                                       labels=["reason"])
        for reason, n in sorted(_copy(s.rejections).items()):
            rejected.add_metric([reason], n)
        yield rejected
        yield CounterMetricFamily("kokemusvirta_sink_batches", "Micro-batches written",
                                  value=s.batches)
        yield CounterMetricFamily("kokemusvirta_sink_reconnects",
                                  "Times the broker connection was lost and retried",
                                  value=s.reconnects)
        yield _loop_age(s.loop_at)
        now = time.time()
        if s.snapshot_at is not None:
            yield GaugeMetricFamily("kokemusvirta_snapshot_age_seconds",
                                    "Seconds since the sink last published the reader snapshot",
                                    value=max(0.0, now - s.snapshot_at))
        if s.last_commit_at is not None:
            yield GaugeMetricFamily("kokemusvirta_last_commit_timestamp_seconds",
                                    "When the sink last committed a batch to the store "
                                    "(Unix time)", value=s.last_commit_at)
        yield from _lag_metrics(self.probe, now)
        lake = getattr(s, "lake", None)
        if lake is not None:
            yield from _lake_metrics(lake.figures())


def _lake_metrics(figures: Mapping[str, Any]) -> Iterator[Metric]:
    """The history lake's (sinks/lake.py LakeWriter.figures), when the sink keeps one."""
    yield CounterMetricFamily("kokemusvirta_lake_syncs",
                              "DuckLake snapshots the sink made of the history, this process",
                              value=figures["syncs"])
    yield CounterMetricFamily("kokemusvirta_lake_rows_synced",
                              "History rows the sink took into the lake, this process",
                              value=figures["rows_synced"])
    yield CounterMetricFamily("kokemusvirta_lake_failures",
                              "Failed tries to update the lake (the store went on)",
                              value=figures["failures"])
    yield GaugeMetricFamily("kokemusvirta_lake_failing",
                            "1 while the lake's last try failed", value=int(
                                figures["error"] is not None))
    if figures["last_sync_age_s"] is not None:
        yield GaugeMetricFamily("kokemusvirta_lake_sync_age_seconds",
                                "Seconds since the sink last synced the lake",
                                value=figures["last_sync_age_s"])


def batch_observer(registry: CollectorRegistry) -> Callable[[float, int], None]:
    """Histograms of each batch's duration and size, for Sink.on_batch (a histogram needs every
    observation, which no attribute keeps)."""
    seconds = Histogram("kokemusvirta_sink_batch_duration_seconds",
                        "Time to project and write one micro-batch (store transaction)",
                        registry=registry,
                        buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
    rows = Histogram("kokemusvirta_sink_batch_records", "Records per micro-batch",
                     registry=registry, buckets=(1, 10, 50, 100, 500, 1000, 2500, 5000, 10000))

    def observe(duration_s: float, records: int) -> None:
        seconds.observe(duration_s)
        rows.observe(records)

    return observe

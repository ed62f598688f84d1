"""`kokemusvirta bench`: end-to-end throughput, latency and memory on real parts.

Throughput: N source events from the first publish to the last sink commit. Latency: for each
source event, from its publish (the intake record's timestamp) to the sink's commit of the last
event it caused. Peak memory: VmHWM of the worker and the sink processes.

By default everything is published at once, which measures the most the flow can take; the
latency then includes the time an event waits in the backlog. With `rate`, events are published
at a steady pace, which measures latency under that load.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.bench.cpu import CpuMeter
from kokemusvirta.demo import publish_scenario, show_progress
from kokemusvirta.processes import start_child, wait_until_caught_up
from kokemusvirta.settings import Settings
from sinks import reader as query

Say = Callable[[str], None]


@dataclass
class BenchResult:
    events: int
    rate: float | None
    publish_seconds: float
    end_to_end_seconds: float
    throughput: float
    latency_p50_ms: float
    latency_p99_ms: float
    worker_peak_mb: float | None
    sink_peak_mb: float | None
    store_rows: int
    #: CPU seconds (user+sys) per source event of each process, over the publish-to-caught-up
    #: window (kokemusvirta/bench/cpu.py); a process not measurable is left out
    cpu_per_event_s: dict[str, float] = field(default_factory=dict)
    load_average: tuple[float, float, float] | None = None

    def report(self) -> str:
        def mb(v: float | None) -> str:
            return "n/a" if v is None else f"{v:.0f} MB"
        pace = "as fast as possible" if self.rate is None else f"at {self.rate:.0f} events/s"
        return "\n".join([
            f"events published:        {self.events} in {self.publish_seconds:.1f} s ({pace})",
            f"end to end:              {self.end_to_end_seconds:.1f} s "
            f"(first publish -> last sink commit)",
            f"throughput:              {self.throughput:.0f} events/s",
            f"latency publish->sink:   p50 {self.latency_p50_ms:.0f} ms, "
            f"p99 {self.latency_p99_ms:.0f} ms",
            f"peak memory (VmHWM):     worker {mb(self.worker_peak_mb)}, "
            f"sink {mb(self.sink_peak_mb)}",
            f"rows in store (events):  {self.store_rows}",
            f"CPU per source event:    {CpuMeter.describe(self.cpu_per_event_s)}",
            *([f"load average (1/5/15):   {' '.join(f'{x:.2f}' for x in self.load_average)}"]
              if self.load_average else []),
        ])


def bench_settings(settings: Settings, run_id: str) -> Settings:
    """One run's own topics, store and groups ($KOKEMUSVIRTA_HOME/bench/<run_id>)."""
    return settings.model_copy(update={
        "topic_prefix": f"bench{run_id}.",
        "store_path": settings.home / "bench" / run_id / "bench.duckdb",
        "worker_group": f"bench{run_id}-worker",
        "sink_group": f"bench{run_id}-sink",
    })


def run_bench(
    settings: Settings, n: int, seed: int, say: Say, rate: float | None = None,
    run_id: str | None = None,
) -> BenchResult:
    """`run_id` names the run's topics (bench_settings); default: the time now."""
    run_id = run_id or datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    bench_dir = settings.home / "bench" / run_id
    s = bench_settings(settings, run_id)
    bootstrap = kv_kafka.bootstrap_servers(s, start_local=True, on_progress=lambda m: say(m))
    kv_kafka.ensure_topics(s, bootstrap)
    children = [start_child("worker", s, bootstrap, bench_dir),
                start_child("sink", s, bootstrap, bench_dir)]
    try:
        say("warming up: one event through the whole flow")
        publish_scenario(s, bootstrap, seed + 1, 1, say, gateway=False)
        wait_until_caught_up(s, bootstrap, children, 180, lambda p: None)
        say(f"publishing {n} events")
        meter = CpuMeter.of(s, children)
        t0 = datetime.now(UTC)
        started = time.monotonic()
        publish_scenario(s, bootstrap, seed, n, say, rate, gateway=False)
        publish_seconds = time.monotonic() - started
        wait_until_caught_up(s, bootstrap, children, 3600, show_progress(say))
        cpu = meter.per_event(n)
        load = os.getloadavg()
        worker_mb, sink_mb = (c.peak_memory_mb() for c in children)
    finally:
        for c in children:
            c.stop()
    intake = ("'feedback.submitted', 'workshop.output_recorded', 'expert_statement.issued'")
    _, rows = query.run(s.store, f"""
        with src as (
            select event_id, kafka_timestamp from events
            where event_type in ({intake}) and kafka_timestamp >= '{t0.isoformat()}'
        ), done as (
            select caused_by, max(sunk_at) as done_at from events
            where caused_by is not null group by caused_by
        ), dl as (
            select max(sunk_at) as done_at from dead_letters where recorded_at >= '{t0.isoformat()}'
        )
        select
            quantile_cont(epoch_ms(done.done_at) - epoch_ms(src.kafka_timestamp), 0.5),
            quantile_cont(epoch_ms(done.done_at) - epoch_ms(src.kafka_timestamp), 0.99),
            greatest(max(done.done_at), (select done_at from dl)),
            (select count(*) from events)
        from src join done on done.caused_by = src.event_id
    """)
    p50, p99, last_commit, store_rows = rows[0]
    seconds = (last_commit - t0).total_seconds()
    return BenchResult(n, rate, publish_seconds, seconds, n / seconds, p50, p99, worker_mb, sink_mb,
                       store_rows, cpu, load)

"""Attaching the operations endpoint to a worker or a sink (called from kokemusvirta/bootstrap.py):
a registry with the role's collector, a lag probe with its own Kafka clients, the HTTP thread
and the state file. Nothing here runs on the processing loop except the worker's one-line
heartbeat callback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, ProcessCollector

from kokemusvirta.operations.metrics import (
    LagProbe,
    Partition,
    SinkCollector,
    Vitals,
    WorkerCollector,
    WorkerCounters,
    batch_observer,
)
from kokemusvirta.operations.server import monotonic_health, serve, write_state
from kokemusvirta.settings import Settings

if TYPE_CHECKING:
    import faust

    from sinks.runner import Sink

HOST = "127.0.0.1"  # loopback only: the figures are for this host's operators and scrapers
HEARTBEAT_S = 1.0
LAG_INTERVAL_S = 5.0


def serve_worker(settings: Settings, bootstrap: str, counters: WorkerCounters,
                 app: faust.App, loop: asyncio.AbstractEventLoop) -> tuple[str, int] | None:
    """The worker's endpoint. Its liveness is a callback the event loop runs every second: a
    loop blocked by an agent (or a stuck client) stops it, and /healthz turns 503."""
    vitals = Vitals()
    app.sensors.add(_commit_sensor(vitals))

    def beat() -> None:
        vitals.loop_at = time.monotonic()
        loop.call_later(HEARTBEAT_S, beat)

    loop.call_soon(beat)
    t = settings.topics
    inputs = t.worker_inputs_pattern
    probe = LagProbe(*_kafka_offsets(settings, bootstrap, inputs, settings.worker_group),
                     interval_s=LAG_INTERVAL_S)
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    registry.register(WorkerCollector(counters, vitals, probe))

    def details() -> dict[str, Any]:
        return {"processed": counters.processed, "judged": counters.judged,
                "dead_letters": sum(dict(counters.dead_letters_by_reason).values()),
                "last_commit_at": vitals.last_commit_at, **_lag_details(probe)}

    health = monotonic_health("worker", lambda: vitals.loop_at, settings.health_stall_s, details)
    return _serve(settings, "worker", settings.worker_metrics_port, registry, health, probe)


def serve_sink(settings: Settings, bootstrap: str, sink: Sink) -> tuple[str, int] | None:
    """The sink's endpoint; its lag is the store's offsets (kept on the Sink) against where the
    topics end."""
    probe = LagProbe(*_kafka_offsets(settings, bootstrap, settings.topics.sink_pattern, None,
                                     sink_offsets=lambda: dict(sink.stored_offsets)),
                     interval_s=LAG_INTERVAL_S)
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    registry.register(SinkCollector(sink, probe))
    sink.on_batch = batch_observer(registry)

    def details() -> dict[str, Any]:
        snapshot_at = sink.snapshot_at
        return {"batches": sink.batches, "last_commit_at": sink.last_commit_at,
                "snapshot_age_s": None if snapshot_at is None
                else round(max(0.0, time.time() - snapshot_at), 3),
                "rejections": sum(dict(sink.rejections).values()),
                "lake": None if sink.lake is None else sink.lake.figures(),
                **_lag_details(probe)}

    health = monotonic_health("sink", lambda: sink.loop_at, settings.health_stall_s, details)
    return _serve(settings, "sink", settings.sink_metrics_port, registry, health, probe)


def _commit_sensor(vitals: Vitals) -> Any:
    """A Faust sensor that notes when a commit moved an offset (Faust tries to commit every
    second, mostly with nothing new). It reads the consumer's committed offsets, which Faust
    keeps in `_committed_offset`; should a release rename it, no commit time is shown."""
    import faust

    def committed(consumer: Any) -> dict[Any, Any]:
        return dict(getattr(consumer, "_committed_offset", None) or {})

    class CommitSeen(faust.Sensor):
        def on_commit_initiated(self, consumer: Any) -> Any:
            return committed(consumer)

        def on_commit_completed(self, consumer: Any, state: Any) -> None:
            if committed(consumer) != state:
                vitals.last_commit_at = time.time()

    return CommitSeen()


def _serve(settings: Settings, role: str, port: int, registry: CollectorRegistry,
           health: Any, probe: LagProbe) -> tuple[str, int] | None:
    log = logging.getLogger(f"kokemusvirta.{role}")
    try:
        host, bound = serve(registry, health, HOST, port)
        write_state(settings.home, role, host, bound)
    except OSError as exc:  # no endpoint is no reason to stop processing
        log.warning("no health and metrics endpoint: %s", exc)
        return None
    probe.start()
    log.info("health and metrics on http://%s:%d/healthz and /metrics", host, bound)
    return host, bound


def _lag_details(probe: LagProbe) -> dict[str, Any]:
    return {"lag": sum(probe.lag.values()) if probe.measured_at is not None else None,
            "lag_measured_at": probe.measured_at}


def _kafka_offsets(
    settings: Settings, bootstrap: str, pattern: str, group: str | None,
    sink_offsets: Callable[[], Mapping[Partition, int]] | None = None,
) -> tuple[Callable[[], Mapping[Partition, int]], Callable[[], Mapping[Partition, int]]]:
    """(ends, done) for a LagProbe, on Kafka clients of the probe's own, made on first use
    (in the probe's thread) and made again after an error."""
    from kokemusvirta import kafka as kv_kafka

    clients: dict[str, Any] = {}

    def client(name: str, make: Callable[[], Any]) -> Any:
        if name not in clients:
            clients[name] = make()
        return clients[name]

    def dropping_on_error(read: Callable[[], Mapping[Partition, int]]) -> Callable[
            [], Mapping[Partition, int]]:
        def guarded() -> Mapping[Partition, int]:
            try:
                return read()
            except Exception:
                for c in clients.values():
                    with contextlib.suppress(Exception):  # closing a broken client
                        c.close()
                clients.clear()
                raise
        return guarded

    def ends() -> Mapping[Partition, int]:
        reader = client("reader", lambda: kv_kafka.offsets_reader(settings, bootstrap))
        return kv_kafka.end_offsets(reader, pattern)

    def done() -> Mapping[Partition, int]:
        if sink_offsets is not None:  # the last offset stored: the next to do is one after
            return {tp: o + 1 for tp, o in sink_offsets().items()}
        assert group is not None
        admin = client("admin", lambda: kv_kafka.admin(settings, bootstrap))
        return kv_kafka.group_offsets(admin, group)

    return dropping_on_error(ends), dropping_on_error(done)

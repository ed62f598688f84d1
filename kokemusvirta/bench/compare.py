"""`kokemusvirta bench --compare`: the project beside its floor and its peer, in one run.

On one broker and one generated intake topic (the end-to-end bench's, `bench<run>.intake`):
(d) the project end to end (kokemusvirta/bench/pipeline.py: worker + sink, first publish to the
last sink commit), then, reading the very same topic from its beginning, (a) the bare consumer
floor (aiokafka `getmany` + `json.loads`, nothing else), (c) the Quix Streams peer
(kokemusvirta/bench/quix_peer.py: classify + Arrow batches into DuckDB, a process of its own)
and (b) the project's pure logic in process (kokemusvirta/bench/logic.py, the same generated
records, one core). Each row: events/s, its ratio to the project's, and the load average taken
just before it, since the machine is shared and the figures move with it.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.bench import logic
from kokemusvirta.bench.pipeline import bench_settings, run_bench
from kokemusvirta.settings import Settings

Say = Callable[[str], None]
Load = tuple[float, float, float]

FLOOR = "(a) bare consumer floor: aiokafka getmany + json.loads"
LOGIC = "(b) pure logic in process, one core, no Kafka"
PEER = "(c) Quix Streams peer: classify + Arrow batches into DuckDB"
PROJECT = "(d) project end to end: worker + sink, publish to queryable"
ORDER = (FLOOR, LOGIC, PEER, PROJECT)
#: How many records the pure-logic row takes at most: enough for a steady figure, quick.
LOGIC_EVENTS = 4_000
PEER_TIMEOUT_S = 1_800


class CompareRefused(Exception):
    """A reason the comparison cannot run, one line for the user."""


@dataclass(frozen=True)
class Row:
    name: str
    rate: float  # source events (intake records) per second
    load: Load  # just before the row was measured
    load_after: Load  # and just after
    note: str = ""


@dataclass(frozen=True)
class CompareResult:
    events: int
    topic: str
    rows: tuple[Row, ...]

    def rate(self, name: str) -> float:
        return next(r.rate for r in self.rows if r.name == name)

    def report(self) -> str:
        project = self.rate(PROJECT)
        lines = [f"bench --compare: {self.events} generated source events on {self.topic} "
                 f"({os.cpu_count()} cores)",
                 f"{'':62} {'events/s':>10} {'× project':>10}   load 1/5/15 min: "
                 f"before -> after"]
        for r in sorted(self.rows, key=lambda r: ORDER.index(r.name)):
            load = " ".join(f"{v:.2f}" for v in r.load) + " -> " + " ".join(
                f"{v:.2f}" for v in r.load_after)
            lines.append(f"{r.name:<62} {r.rate:>10,.0f} {r.rate / project:>10.2f}   {load}"
                         + (f"   {r.note}" if r.note else ""))
        return "\n".join(lines)


def _connection(settings: Settings) -> Settings:
    """The admin's identity on the local broker, or the settings' own (KAFKA_SASL_*)."""
    return settings.model_copy(update={"principal": "admin"}).connection()


def _aiokafka_config(conn: Settings, bootstrap: str) -> dict[str, object]:
    conf: dict[str, object] = {"bootstrap_servers": bootstrap,
                               "security_protocol": conn.kafka_security_protocol}
    if conn.kafka_sasl_mechanism:
        conf["sasl_mechanism"] = conn.kafka_sasl_mechanism
        conf["sasl_plain_username"] = conn.kafka_sasl_username
        conf["sasl_plain_password"] = (conn.kafka_sasl_password.get_secret_value()
                                       if conn.kafka_sasl_password else None)
    if conn.kafka_ssl_cafile:
        from aiokafka.helpers import create_ssl_context

        conf["ssl_context"] = create_ssl_context(cafile=str(conn.kafka_ssl_cafile))
    return conf


def _ends(conn: Settings, bootstrap: str, topic: str) -> dict[int, int]:
    """Where each partition of `topic` ends now."""
    reader = kv_kafka.offsets_reader(conn, bootstrap)
    try:
        ends = kv_kafka.end_offsets(reader, f"^{re.escape(topic)}$")
    finally:
        reader.close()
    return {partition: end for (_, partition), end in ends.items()}


async def _floor(conf: dict[str, object], topic: str, ends: dict[int, int]) -> tuple[int, float]:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest", **conf)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in sorted(ends)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        total = sum(ends.values())
        count = 0
        started = time.monotonic()
        while count < total:
            batches = await consumer.getmany(timeout_ms=1_000, max_records=10_000)
            for records in batches.values():
                for record in records:
                    try:  # noqa: SIM105 - a with-block per record would slow the floor
                        json.loads(record.value)
                    except ValueError:
                        pass  # the scenario's malformed records: read all the same
                count += len(records)
        return count, time.monotonic() - started
    finally:
        await consumer.stop()


def floor_rate(conn: Settings, bootstrap: str, topic: str, ends: dict[int, int]) -> float:
    count, seconds = asyncio.run(_floor(_aiokafka_config(conn, bootstrap), topic, ends))
    return count / seconds


def peer_rate(conn: Settings, bootstrap: str, topic: str, group: str, records: int,
              path: str) -> tuple[float, dict[str, float]]:
    env = dict(os.environ)
    for name in ("KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD",
                 "KAFKA_SSL_CAFILE"):
        env.pop(name, None)
    env["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap
    env["KAFKA_SECURITY_PROTOCOL"] = conn.kafka_security_protocol
    if conn.kafka_sasl_mechanism:
        env["KAFKA_SASL_MECHANISM"] = conn.kafka_sasl_mechanism
        env["KAFKA_SASL_USERNAME"] = conn.kafka_sasl_username or ""
        env["KAFKA_SASL_PASSWORD"] = (conn.kafka_sasl_password.get_secret_value()
                                      if conn.kafka_sasl_password else "")
    if conn.kafka_ssl_cafile:
        env["KAFKA_SSL_CAFILE"] = str(conn.kafka_ssl_cafile)
    done = subprocess.run(
        [sys.executable, "-m", "kokemusvirta.bench.quix_peer", "--topic", topic, "--group",
         group, "--records", str(records), "--duckdb", path],
        env=env, capture_output=True, text=True, timeout=PEER_TIMEOUT_S)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise CompareRefused(f"the Quix Streams peer failed: {last}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["records"] / figures["seconds"], figures


def run_compare(settings: Settings, n: int, seed: int, say: Say) -> CompareResult:
    if importlib.util.find_spec("quixstreams") is None:  # the peer imports it, in its process
        raise CompareRefused("--compare needs quixstreams (the dev extra: "
                             "pip install -e '.[dev]')")
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    s = bench_settings(settings, run_id)
    topic = s.topics.intake
    rows: list[Row] = []

    load = os.getloadavg()
    say(f"(d) the project end to end: {n} events")
    project = run_bench(settings, n, seed, say, None, run_id)
    rows.append(Row(PROJECT, project.throughput, load, os.getloadavg(),
                    f"p50 {project.latency_p50_ms / 1000:.1f} s"))

    bootstrap = kv_kafka.bootstrap_servers(s, start_local=True, on_progress=say)
    conn = _connection(s)
    ends = _ends(conn, bootstrap, topic)  # the n events and the end-to-end bench's warm-up
    records = sum(ends.values())
    load = os.getloadavg()
    say(f"(a) the bare consumer floor over {topic}")
    rows.append(Row(FLOOR, floor_rate(conn, bootstrap, topic, ends), load, os.getloadavg()))

    load = os.getloadavg()
    say(f"(c) the Quix Streams peer over {topic}")
    peer_path = settings.home / "bench" / run_id / "quix-peer.duckdb"
    rate, figures = peer_rate(conn, bootstrap, topic, f"bench{run_id}-quix", records,
                              str(peer_path))
    rows.append(Row(PEER, rate, load, os.getloadavg(), f"{figures['rows']:.0f} rows stored"))

    load = os.getloadavg()
    events = min(n, LOGIC_EVENTS)
    say(f"(b) the pure logic in process: {events} events")
    pure = logic.measure(events, rounds=2, seed=seed)
    rows.append(Row(LOGIC, pure.rate, load, os.getloadavg(),
                    f"{pure.per_event_s * 1e6:.0f} µs per event"))
    return CompareResult(n, topic, tuple(rows))

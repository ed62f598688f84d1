"""`kokemusvirta bench --intake`: the intake API's throughput and latency, end to end over HTTP.

The service runs as it does in production, `kokemusvirta intake serve` in a process of its own
(uvicorn, the gateway principal, acks=all on the real broker), on a run's own topics. The
client is a minimal asyncio HTTP/1.1 client with C keep-alive connections (a general HTTP
client would cost more CPU than the service it measures on a small machine), firing N feedback
POSTs, one event each; one in ten leaves a contact and a client id, so the seal and the key
store are in the figures. Printed: requests/s, p50/p95/p99 latency, the errors, the records
the intake topic gained (every 202 must be one), the service's CPU seconds, the load average.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.bench.pipeline import bench_settings
from kokemusvirta.processes import child_env
from kokemusvirta.serving import free_port
from kokemusvirta.settings import Settings

Say = Callable[[str], None]
WARM_UP = 200


@dataclass
class IntakeBenchResult:
    requests: int
    concurrency: int
    seconds: float
    latencies_ms: list[float]
    errors: dict[int, int] = field(default_factory=dict)  # status (0: no answer) -> count
    published: int = 0
    service_cpu_s: float | None = None
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def report(self) -> str:
        ok = self.requests - sum(self.errors.values())
        errors = ", ".join(f"{n}× {s or 'no answer'}" for s, n in sorted(self.errors.items()))
        cpu = (f"; service CPU {self.service_cpu_s:.1f} s "
               f"({self.service_cpu_s / self.seconds * 100:.0f}% of one core)"
               if self.service_cpu_s is not None and self.seconds else "")
        return (
            f"intake API: {self.requests} POST /v1/feedback over {self.concurrency} "
            f"connections in {self.seconds:.1f} s = {self.per_second:.0f} requests/s\n"
            f"  latency p50 {percentile(self.latencies_ms, 50):.1f} ms, "
            f"p95 {percentile(self.latencies_ms, 95):.1f} ms, "
            f"p99 {percentile(self.latencies_ms, 99):.1f} ms, "
            f"max {max(self.latencies_ms, default=0):.1f} ms\n"
            f"  accepted (202) {ok}, errors {sum(self.errors.values())}"
            f"{' (' + errors + ')' if errors else ''}; the intake topic gained "
            f"{self.published} records{cpu}\n"
            f"  load average {self.load[0]:.2f} {self.load[1]:.2f} {self.load[2]:.2f} "
            f"(1, 5, 15 min; {os.cpu_count()} cores)")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def feedback_bodies(n: int) -> Iterator[bytes]:
    now = datetime.now(UTC).isoformat()
    for i in range(n):
        event: dict[str, object] = {
            "event_id": str(uuid.uuid4()), "occurred_at": now, "recorded_at": now,
            "county": "lappi", "unit": "rovaniemen-terveysasema",
            "service_area": "perusterveydenhuolto", "channel": "electronic", "language": "fi",
            "rating": 1 + i % 5, "text": "Jonotin puhelimessa tunnin, eikä kukaan vastannut.",
        }
        if i % 10 == 0:
            event.update(reply_requested=True, contact=f"asiakas{i}@example.fi",
                         client_id=f"bench-{uuid.uuid4().hex[:12]}")
        yield json.dumps(event).encode()


async def _connection(host: str, port: int, bodies: Iterator[bytes], result: IntakeBenchResult,
                      record: bool) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for body in bodies:  # shared by every connection: each takes the next
            head = (f"POST /v1/feedback HTTP/1.1\r\nHost: {host}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
            started = time.perf_counter()
            writer.write(head.encode() + body)
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            if record:
                result.latencies_ms.append((time.perf_counter() - started) * 1000)
                if status != 202:
                    result.errors[status] = result.errors.get(status, 0) + 1
    finally:
        writer.close()


async def _fire(host: str, port: int, n: int, concurrency: int, result: IntakeBenchResult,
                record: bool) -> float:
    bodies = feedback_bodies(n)
    started = time.perf_counter()
    outcomes = await asyncio.gather(
        *(_connection(host, port, bodies, result, record) for _ in range(concurrency)),
        return_exceptions=True)
    lost = sum(1 for o in outcomes if isinstance(o, BaseException))
    if record and lost:
        result.errors[0] = result.errors.get(0, 0) + lost
    return time.perf_counter() - started


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_intake(settings: Settings, bootstrap: str, log: Path, port: int,
                 **extra_env: str) -> subprocess.Popen[bytes]:
    """`kokemusvirta intake serve --port PORT` as a process of its own, connecting with the
    settings' identity (the gateway's: `as_principal(settings, SystemRole.GATEWAY)`)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "kokemusvirta", "intake", "serve", "--port", str(port)],
            env=child_env(settings, bootstrap, **extra_env), stdout=handle,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def wait_healthy(port: int, service: subprocess.Popen[bytes], log: Path, *,
                 connected: bool = True, timeout: float = 60) -> None:
    """Until /v1/health answers (and, with `connected`, the producer is connected: a request
    is what connects it when the broker was not there at start-up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.poll() is not None:
            raise RuntimeError(f"the intake service stopped (log: {log})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=2) as r:
                if not connected or json.loads(r.read()).get("broker"):
                    return
            urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{port}/v1/feedback", data=b"{}", method="POST",
                headers={"Content-Type": "application/json"}), timeout=10)
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the intake service did not become healthy in {timeout:.0f} s "
                       f"(log: {log})")


def _intake_records(settings: Settings, bootstrap: str) -> int:
    reader = kv_kafka.offsets_reader(settings, bootstrap)
    try:
        ends = kv_kafka.end_offsets(reader, f"^{re.escape(settings.topics.intake)}$")
    finally:
        reader.close()
    return sum(ends.values())


def run_intake_bench(settings: Settings, n: int, concurrency: int, say: Say) -> IntakeBenchResult:
    from kokemusvirta.access.local import as_admin, as_principal
    from schemas.access import SystemRole

    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    s = bench_settings(settings, f"intake{run_id}")
    bench_dir = s.home / "bench" / f"intake{run_id}"
    bench_dir.mkdir(parents=True, exist_ok=True)
    bootstrap = kv_kafka.bootstrap_servers(s, start_local=True, on_progress=say)
    admin = as_admin(s)
    kv_kafka.ensure_topics(admin, bootstrap)
    port = free_port()
    log = bench_dir / "intake.log"
    # The bench is one client: the per-client rate limit would measure itself.
    service = start_intake(as_principal(s, SystemRole.GATEWAY), bootstrap, log, port,
                           KOKEMUSVIRTA_INTAKE_RATE_PER_S="1000000",
                           KOKEMUSVIRTA_INTAKE_RATE_BURST="1000000")
    try:
        say(f"intake service on port {port} (log {log}); warming up with {WARM_UP} requests")
        wait_healthy(port, service, log)
        result = IntakeBenchResult(n, concurrency, 0.0, [])
        asyncio.run(_fire("127.0.0.1", port, WARM_UP, concurrency, result, record=False))
        before = _intake_records(admin, bootstrap)
        cpu_before = _cpu_seconds(service.pid)
        say(f"firing {n} requests over {concurrency} connections")
        result.seconds = asyncio.run(_fire("127.0.0.1", port, n, concurrency, result,
                                           record=True))
        cpu_after = _cpu_seconds(service.pid)
        result.load = os.getloadavg()
        if cpu_before is not None and cpu_after is not None:
            result.service_cpu_s = cpu_after - cpu_before
        result.published = _intake_records(admin, bootstrap) - before
    finally:
        service.send_signal(signal.SIGTERM)
        try:
            service.wait(30)
        except subprocess.TimeoutExpired:
            service.kill()
            service.wait(10)
    return result

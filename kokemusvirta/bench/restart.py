"""`python -m kokemusvirta.bench.restart`: how long a worker or sink killed with SIGKILL takes,
once restarted, to process a record again (issue 11: within 10 s).

Measured the way an operator sees it, on real processes and the real broker: the worker and the
sink run as `kokemusvirta worker` / `kokemusvirta sink` on a topic prefix and store of their own
while a publisher keeps feeding the intake at a steady pace. Each round kills one of them with
SIGKILL at a random moment mid-stream, starts it again at once (as a supervisor would) and times
from the restart to the first sign of new work:

- worker: the end offsets of the topics only the worker writes (lifecycle, dead letters) grow;
- sink: the sink's committed offsets grow (it commits to Kafka, for lag monitoring, right after
  writing a batch to the store; a commit of a record the store did not have before the kill).

The time includes the Python start-up, so it is what a user waits. The load average is printed
with each figure: on a busy machine the start-up alone takes seconds.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.processes import Child, start_child
from kokemusvirta.settings import Settings
from scenario import generate

Say = Callable[[str], None]


@dataclass(frozen=True)
class RestartTiming:
    process: str  # "worker" or "sink"
    round: int
    resume_s: float | None  # None: no new work within the timeout
    load_1min: float

    def line(self) -> str:
        took = "did not resume" if self.resume_s is None else f"{self.resume_s:5.1f} s"
        return (f"{self.process:<6} round {self.round:>2}: restart -> first new record {took}"
                f"   (load {self.load_1min:.2f})")


def summary(timings: list[RestartTiming], timeout: float) -> list[str]:
    lines = []
    for name in ("worker", "sink"):
        mine = [t for t in timings if t.process == name]
        if not mine:
            continue
        done = [t.resume_s for t in mine if t.resume_s is not None]
        missed = len(mine) - len(done)
        figures = (f"median {statistics.median(done):.1f} s, max {max(done):.1f} s"
                   if done else "no figures")
        lines.append(f"{name}: {len(mine)} restarts, {figures}"
                     + (f", {missed} not resumed within {timeout:.0f} s" if missed else ""))
    load = os.getloadavg()
    lines.append(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
                 f"on {os.cpu_count()} cores")
    return lines


class Publisher(threading.Thread):
    """Scenario records on the intake at `rate` a second until stopped: the stream that the
    killed process is in the middle of."""

    def __init__(self, settings: Settings, bootstrap: str, rate: float, seed: int) -> None:
        super().__init__(daemon=True, name="restart-bench-publisher")
        self.settings, self.bootstrap, self.rate, self.seed = settings, bootstrap, rate, seed
        self.halt = threading.Event()
        self.published = 0

    def run(self) -> None:
        producer = kv_kafka.producer(self.settings, self.bootstrap)
        started = time.monotonic()
        try:
            for record in generate(self.seed, events=1_000_000):
                if self.halt.is_set():
                    break
                producer.send(self.settings.topics.intake, key=record.key, value=record.value)
                self.published += 1
                ahead = self.published / self.rate - (time.monotonic() - started)
                if ahead > 0:
                    producer.flush()
                    self.halt.wait(ahead)
        finally:
            producer.close()


class Watcher:
    """Sums of offsets that grow only when the worker / the sink has done new work."""

    def __init__(self, settings: Settings, bootstrap: str) -> None:
        t = settings.topics
        self.settings = settings
        self.worker_outputs = f"^({re.escape(t.lifecycle)}|{re.escape(t.dead_letters)})$"
        self.reader = kv_kafka.offsets_reader(settings, bootstrap)
        self.admin = kv_kafka.admin(settings, bootstrap)

    def worker_done(self) -> int:
        return sum(kv_kafka.end_offsets(self.reader, self.worker_outputs).values())

    def sink_done(self) -> int:
        return sum(kv_kafka.group_offsets(self.admin, self.settings.sink_group).values())

    def close(self) -> None:
        self.reader.close()
        self.admin.close()


def _wait_for_growth(measure: Callable[[], int], since: int, child: Child,
                     timeout: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not child.alive():
            raise RuntimeError(f"the restarted {child.name} exited; its log ends:\n"
                               f"{child.log_tail()}")
        if measure() > since:
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def run(settings: Settings, rounds: int, rate: float, timeout: float, seed: int,
        say: Say) -> list[RestartTiming]:
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    bench_dir = settings.home / "bench" / f"restart-{run_id}"
    s = settings.model_copy(update={
        "topic_prefix": f"restart{run_id}.",
        "store_path": bench_dir / "restart.duckdb",
        "worker_group": f"restart{run_id}-worker",
        "sink_group": f"restart{run_id}-sink",
    })
    bootstrap = kv_kafka.bootstrap_servers(s, start_local=True, on_progress=say)
    kv_kafka.ensure_topics(s, bootstrap)
    children = {name: start_child(name, s, bootstrap, bench_dir) for name in ("worker", "sink")}
    publisher = Publisher(s, bootstrap, rate, seed)
    watcher = Watcher(s, bootstrap)
    measures = {"worker": watcher.worker_done, "sink": watcher.sink_done}
    rng = random.Random(seed)
    timings: list[RestartTiming] = []
    try:
        publisher.start()
        say(f"warming up: both processes running, {rate:.0f} records/s on the intake "
            f"(logs: {bench_dir})")
        for name in ("worker", "sink"):
            if _wait_for_growth(measures[name], 0, children[name], 180) is None:
                raise RuntimeError(f"the {name} did no work within 180 s at start")
        for r in range(1, rounds + 1):
            for name in ("worker", "sink"):
                time.sleep(rng.uniform(1.0, 3.0))  # a random moment mid-stream
                old = children[name]
                old.process.send_signal(signal.SIGKILL)
                old.process.wait(10)
                before = measures[name]()
                children[name] = start_child(name, s, bootstrap, bench_dir)
                took = _wait_for_growth(measures[name], before, children[name], timeout)
                timing = RestartTiming(name, r, took, os.getloadavg()[0])
                timings.append(timing)
                say(timing.line())
                if took is None:  # let it come back before the next kill
                    _wait_for_growth(measures[name], before, children[name], 180)
    finally:
        publisher.halt.set()
        publisher.join(10)
        watcher.close()
        for child in children.values():
            child.stop()
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kokemusvirta.bench.restart",
        description="SIGKILL the worker and the sink mid-stream, restart them, and time the "
                    "restart to the first newly processed record.")
    parser.add_argument("--rounds", type=int, default=3, help="kills of each process (3)")
    parser.add_argument("--rate", type=float, default=20.0,
                        help="intake records a second while measuring (20)")
    parser.add_argument("--timeout", type=float, default=90.0,
                        help="seconds to wait for a restarted process to resume (90)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    timings = run(Settings(), args.rounds, args.rate, args.timeout, args.seed,
                  lambda m: print(m, flush=True))
    for line in summary(timings, args.timeout):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The bench's CPU per source event (kokemusvirta/bench/cpu.py): user + system seconds of a
process from /proc/PID/stat, as the kernel counts them for the process itself."""

from __future__ import annotations

import os
import time

from kokemusvirta.bench.cpu import CpuMeter, cpu_seconds


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_process_cpu_is_what_it_used() -> None:
    before = cpu_seconds(os.getpid())
    _burn(0.3)
    after = cpu_seconds(os.getpid())
    assert before is not None and after is not None
    assert 0.2 <= after - before <= 1.0  # clock ticks of 10 ms; other threads may add a little
    t = os.times()
    assert abs(after - (t.user + t.system)) < 0.1


def test_per_event_divides_by_the_events_and_leaves_out_what_cannot_be_read() -> None:
    meter = CpuMeter({"bench": os.getpid(), "gone": 2**22 + 1}, {})
    meter.start = {"bench": cpu_seconds(os.getpid()) or 0.0, "gone": 0.0}
    _burn(0.2)
    per = meter.per_event(1000)
    assert set(per) == {"bench"} and 100e-6 <= per["bench"] <= 1e-3
    assert CpuMeter.describe({"worker": 0.0013, "sink": 0.0014}) == (
        "worker 1300 µs, sink 1400 µs (total 2700 µs, user+sys)")
    assert CpuMeter.describe({}) == "n/a"

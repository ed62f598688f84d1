"""CPU seconds per source event of each process the bench runs: the worker, the sink, and the
local broker (java), so that a figure says where the time goes, not only how long it took.
Wall time alone is misleading on a shared 2-core machine; CPU time is what each process used.

Read from /proc/PID/stat (utime + stime, children not included), before publishing and after
the flow has caught up. The broker's figure includes serving the bench's publisher and its
progress watcher; the bench process itself (publishing) is shown as `bench`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kokemusvirta.processes import Child
from kokemusvirta.settings import Settings


def cpu_seconds(pid: int) -> float | None:
    """user + system CPU seconds the process has used so far; None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # after the command's name in parentheses (which may hold spaces): state is field 3,
    # utime field 14 and stime field 15 (proc(5))
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def broker_pid(settings: Settings) -> int | None:
    """The local broker's process, when the bench runs on it (not on KAFKA_BOOTSTRAP_SERVERS)."""
    if settings.kafka_bootstrap_servers:
        return None
    from kokemusvirta.kafka import local_broker

    pid = local_broker(settings).status().get("pid")
    return pid if isinstance(pid, int) else None


@dataclass
class CpuMeter:
    pids: dict[str, int]
    start: dict[str, float]

    @classmethod
    def of(cls, settings: Settings, children: Sequence[Child]) -> CpuMeter:
        pids = {c.name: c.process.pid for c in children}
        broker = broker_pid(settings)
        if broker is not None:
            pids["broker"] = broker
        pids["bench"] = os.getpid()
        start = {name: t for name, pid in pids.items() if (t := cpu_seconds(pid)) is not None}
        return cls(pids, start)

    def per_event(self, events: int) -> dict[str, float]:
        """CPU seconds per source event since `of`, by process (one that ended is left out)."""
        out = {}
        for name, before in self.start.items():
            after = cpu_seconds(self.pids[name])
            if after is not None and events > 0:
                out[name] = (after - before) / events
        return out

    @staticmethod
    def describe(per_event: dict[str, float]) -> str:
        if not per_event:
            return "n/a"
        parts = [f"{name} {s * 1e6:.0f} µs" for name, s in per_event.items()]
        return ", ".join(parts) + f" (total {sum(per_event.values()) * 1e6:.0f} µs, user+sys)"

"""The faults: SIGKILL and restart of the worker, the sink and the broker; SIGSTOP of the sink.

Each round's plan is drawn from a seeded random generator, so a failing run can be repeated with
the same `--seed` (the moments are seconds after the round's publishing starts; how far the
processes have got at a moment still depends on the machine).
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kokemusvirta.broker.local import LocalBroker
from kokemusvirta.processes import Child, start_child
from kokemusvirta.settings import Settings

KILL_WORKER = "kill -9 worker"
KILL_SINK = "kill -9 sink"
PAUSE_SINK = "SIGSTOP sink"
KILL_BROKER = "kill -9 broker"


@dataclass(frozen=True)
class Fault:
    at: float        # seconds after the round's publishing starts
    action: str
    hold: float = 0  # SIGSTOP: how long the sink stays stopped; kills: how long it stays dead


def plan_round(rng: random.Random, window: float, broker: bool) -> list[Fault]:
    """Two worker kills, two sink kills, one sink pause; the broker kill if this round has it."""
    faults = [Fault(rng.uniform(0.5, window), KILL_WORKER, rng.uniform(0, 2)) for _ in range(2)]
    faults += [Fault(rng.uniform(0.5, window), KILL_SINK, rng.uniform(0, 2)) for _ in range(2)]
    faults.append(Fault(rng.uniform(0.5, window), PAUSE_SINK, rng.uniform(2, 5)))
    if broker:
        faults.append(Fault(rng.uniform(1, window), KILL_BROKER, rng.uniform(1, 3)))
    return sorted(faults, key=lambda f: f.at)


def why_stopped(child: Child) -> str:
    """The line of a dead child's log that says why: the command's one-line error, or our own
    last CRITICAL line (not Faust's "We experienced a crash!"), else its last line."""
    # asyncio's goodbye ("Task was destroyed but it is pending!", "task: <Task pending …>") is
    # what a crashed process prints last, never why it crashed.
    lines = [line.strip() for line in child.log_tail(5000).splitlines()
             if line.strip() and not line.strip().startswith(("task: <Task", "Task was destroyed"))]
    for wanted in (lambda x: x.startswith("kokemusvirta:"),
                   lambda x: "[CRITICAL]" in x and "[^" not in x):
        for line in reversed(lines):
            if wanted(line):
                return line
    return lines[-1] if lines else "(empty log)"


class Flow:
    """The worker and the sink of one chaos run, and the broker when the run owns it."""

    def __init__(self, settings: Settings, bootstrap: str, logs: Path,
                 broker: LocalBroker | None, say: Callable[[str], None]) -> None:
        self.settings = settings
        self.bootstrap = bootstrap
        self.logs = logs
        self.broker = broker
        self.say = say
        self.children: dict[str, Child] = {}
        self.restarts: dict[str, int] = {"worker": 0, "sink": 0, "broker": 0}
        self.exits: list[str] = []  # processes that stopped by themselves, with their log's end

    def start(self, name: str) -> None:
        self.children[name] = start_child(name, self.settings, self.bootstrap, self.logs)

    def start_all(self) -> None:
        for name in ("worker", "sink"):
            self.start(name)

    def stop_all(self) -> None:
        for child in self.children.values():
            if child.alive():
                child.process.send_signal(signal.SIGCONT)  # a paused sink cannot stop
            child.stop()

    def running(self) -> list[Child]:
        return list(self.children.values())

    def dead(self) -> list[str]:
        return [f"{c.name} (exit {c.process.returncode})" for c in self.children.values()
                if not c.alive()]

    def revive(self) -> list[str]:
        """Restart a process that stopped without being killed; each one is a finding."""
        notes = []
        for name, child in list(self.children.items()):
            if not child.alive():
                last = why_stopped(child)
                self.exits.append(f"{name} exit {child.process.returncode}: {last[:300]}")
                notes.append(f"the {name} stopped by itself (exit {child.process.returncode}); "
                             f"restarting it. Its log ends: {last[:300]}")
                self.start(name)
        return notes

    def inflict(self, fault: Fault) -> str:
        """Do one fault and undo it; what happened, in words."""
        if fault.action == KILL_BROKER:
            return self._kill_broker(fault.hold)
        name = "sink" if fault.action in (KILL_SINK, PAUSE_SINK) else "worker"
        child = self.children[name]
        if not child.alive():
            return "; ".join(self.revive()) + f" ({fault.action} not done)"
        if fault.action == PAUSE_SINK:
            child.process.send_signal(signal.SIGSTOP)
            time.sleep(fault.hold)
            child.process.send_signal(signal.SIGCONT)
            return f"{fault.action} for {fault.hold:.1f} s, then SIGCONT"
        child.process.kill()
        child.process.wait(10)
        time.sleep(fault.hold)
        self.start(name)
        self.restarts[name] += 1
        return f"{fault.action} (pid {child.process.pid}), restarted after {fault.hold:.1f} s"

    def _kill_broker(self, hold: float) -> str:
        if self.broker is None:
            return f"{KILL_BROKER}: skipped, the broker is external (KAFKA_BOOTSTRAP_SERVERS)"
        pid = self.broker.status().get("pid")
        if not isinstance(pid, int):
            return f"{KILL_BROKER}: no broker process found"
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while self.broker.status()["running"] and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(hold)
        address = self.broker.start(timeout=120)
        self.restarts["broker"] += 1
        if address != self.bootstrap:  # the old port was taken: the children must follow
            self.bootstrap = address
            self.stop_all()
            self.start_all()
            return f"{KILL_BROKER} (pid {pid}), restarted at a new address {address}"
        return f"{KILL_BROKER} (pid {pid}), restarted after {hold:.1f} s"

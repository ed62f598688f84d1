"""The project's pure logic per source event, in process, no Kafka:
`python -m kokemusvirta.bench.logic [--events N] [--rounds R]`, and `bench --compare`'s row (b).

The same generated intake as `kokemusvirta bench` publishes (scenario.generate, the gateway's
sealing off), through what the worker does with each record (streams/app.py's intake agent):
the error policy around streams.processing.Processor with privacy (a real key store under a
temporary home) and the worker's real Ed25519 key, signing the outputs, the checkpoint book's
count of each signed event, each output's key and value bytes, and the guard's fold of the
system steps. Only the send is missing.

Two kinds of round, alternated so that a busy machine slows both alike: plain (the total, as the
worker runs it) and instrumented (each stage's own time, through wrappers that cost a little:
the stages' sum is therefore slightly above the plain total). The best round of each counts.
Times are this thread's CPU time (time.thread_time), not the wall clock's: on a shared machine
the wall clock also counts the time other processes had the core, and the figure would follow
their load more than the logic's cost.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scenario import generate
from schemas.dead_letter import Origin
from schemas.topics import TopicNames
from streams import items as items_module
from streams import processing
from streams.checkpoints import CheckpointBook, sign_outputs
from streams.config import WorkerConfig
from streams.errors import ErrorPolicy
from streams.guard_agent import note_written
from streams.guard_state import StateBook
from streams.privacy import Privacy
from streams.processing import Processor, rule_based_classify

AT = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
#: The stages, in the order of the issue's breakdown; "other" is the rest of the plain total.
#: Records per batch, as the worker takes them at most (its new keys made durable once a batch).
BATCH = WorkerConfig.intake_batch_max
STAGES = ("classification", "seals", "redaction", "serialisation", "validation", "privacy",
          "items and routing", "lifecycle state")


@dataclass(frozen=True)
class LogicResult:
    events: int
    rounds: int
    per_event_s: float  # the plain total, best round
    stages_s: dict[str, float]  # per source event, best instrumented round, stage by stage
    load: tuple[float, float, float]

    @property
    def rate(self) -> float:
        return 1.0 / self.per_event_s

    def report(self) -> str:
        lines = [f"pure logic, CPU time per source event (best of {self.rounds} rounds of "
                 f"{self.events}, "
                 f"load {' '.join(f'{v:.2f}' for v in self.load)}):",
                 f"  total {self.per_event_s * 1e6:8.1f} µs  ({self.rate:,.0f} events/s on one "
                 f"core)"]
        for stage in STAGES:
            lines.append(f"  {stage:<18} {self.stages_s.get(stage, 0.0) * 1e6:8.1f} µs")
        return "\n".join(lines)


class _Clock:
    """Own time per stage: wrappers add each call's time to its stage."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)

    def timed(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        spent = self.spent

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[stage] += time.thread_time() - started
        return wrapper


@contextmanager
def _instrumented(clock: _Clock) -> Iterator[None]:
    """The stages' functions wrapped where the processing looks them up; put back after."""
    patches = [(owner, name, stage) for owner, name, stage in (
        (processing, "parse_source", "validation"), (processing, "sealed_json", "seals"),
        (processing, "seal", "seals"),  # before sealed_json: to measure an older tree alike
        (items_module, "redact", "redaction"), (Privacy, "protect", "privacy"))
        if hasattr(owner, name)]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    try:
        for owner, name, stage in patches:
            setattr(owner, name, clock.timed(stage, getattr(owner, name)))
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def _worker_parts(home: Path) -> tuple[Privacy, Any]:
    """Privacy and the signer as the composition root makes them (kokemusvirta/keystore.py
    `privacy_from_settings`, kokemusvirta/seals.py), with their key stores under `home`."""
    from kokemusvirta.keystore import FileKeyStore
    from kokemusvirta.signing_keys import SigningKeys

    keys = home / "keys"
    return (Privacy(b"bench-" + b"0" * 58, FileKeyStore(keys, durable_per_batch=True)),
            SigningKeys(keys).active())


def _round(records: list[bytes], topics: TopicNames, processor: Processor, signer: Any,
           clock: _Clock | None) -> float:
    errors = ErrorPolicy(topics)
    checkpoints = CheckpointBook(signer, topics)
    guard = StateBook(topics.lifecycle)
    guard.assign([0])
    read_back = [0]  # the lifecycle partition's next offset, as the guard reads it back
    now = time.thread_time

    def stage(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        return fn if clock is None else clock.timed(name, fn)

    sign = stage("seals", sign_outputs)

    def guard_reads_back(outs: list[processing.Outgoing]) -> None:
        # As the worker does (streams/guard_agent.py): the intake notes its system steps, the
        # partition's holder folds them when read back and counts them for the checkpoints.
        note_written(guard, outs, topics, 1)
        for out in outs:
            if out.topic == topics.lifecycle:
                event = guard.fold(0, read_back[0], out.value)
                checkpoints.read_back(out.topic, 0, read_back[0], event)
                read_back[0] += 1
    fold = stage("lifecycle state", guard_reads_back)

    def serialise(outs: list[processing.Outgoing]) -> int:
        return sum(len(o.key) + len(o.value) for o in outs)
    serialise = stage("serialisation", serialise)
    privacy = processor.privacy
    keys_durable = stage("privacy", privacy.make_keys_durable if privacy else lambda: None)
    started = now()
    for offset, raw in enumerate(records):
        origin = Origin(topic=topics.intake, partition=0, offset=offset)
        outs = sign(errors.process(processor, raw, origin, AT), signer, topics)
        serialise(outs)
        fold(outs)
        if offset % BATCH == BATCH - 1 or offset == len(records) - 1:
            keys_durable()  # as the intake agent does before it hands a batch over
    return now() - started


def measure(events: int = 3_000, rounds: int = 3, seed: int = 7) -> LogicResult:
    topics = TopicNames("kv.")
    # Every run gets records of its own (the scenario with another seed): the classifier keeps
    # the results of the last texts it saw, so records run again would measure its cache.
    def records_for(run: int) -> list[bytes]:
        return [r.value for r in generate(seed + run, events=events)]
    with tempfile.TemporaryDirectory(prefix="kv-logic-") as home:
        privacy, signer = _worker_parts(Path(home))
        plain: list[float] = []
        best_stages: dict[str, float] | None = None
        best_instrumented = float("inf")
        for i in range(rounds + 1):  # the first round warms caches (and the key store)
            plain_processor = Processor(topics, privacy=privacy)
            seconds = _round(records_for(2 * i), topics, plain_processor, signer, None)
            if i:
                plain.append(seconds)
            clock = _Clock()
            processor = Processor(topics, privacy=privacy,
                                  classify=clock.timed("classification", rule_based_classify))
            with _instrumented(clock):
                total = _round(records_for(2 * i + 1), topics, processor, signer, clock)
            if i and total < best_instrumented:
                best_instrumented = total
                best_stages = dict(clock.spent)
                best_stages["items and routing"] = total - sum(clock.spent.values())
    n = events
    stages = {k: v / n for k, v in (best_stages or {}).items()}
    return LogicResult(n, rounds, min(plain) / n, stages, os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(measure(args.events, args.rounds, args.seed).report())


if __name__ == "__main__":
    main()

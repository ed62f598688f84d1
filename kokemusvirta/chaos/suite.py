"""The whole suite: rounds of faults, then the poison set; the tables and the final line."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from kafka.errors import KafkaError

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.broker.local import BrokerError, LocalBroker
from kokemusvirta.chaos import dose, oracle
from kokemusvirta.chaos.run import ChaosRun, open_run, run_rounds
from kokemusvirta.settings import Settings

Say = Callable[[str], None]
log = logging.getLogger("kokemusvirta.chaos")


class CannotStart(RuntimeError):
    """No broker to run on: nothing was run."""


@dataclass(frozen=True)
class Plan:
    rounds: int = 1
    seed: int = 2026
    events: int = 500      # scenario records per round (plus ten malformed)
    window: float = 20.0   # seconds over which a round's records are published and faults strike
    poison: bool = True


@dataclass
class Outcome:
    rounds: list[oracle.RoundResult] = field(default_factory=list)
    poison: list[oracle.PoisonOutcome] = field(default_factory=list)
    stopped: str | None = None  # why the run could not finish (no quiet)
    exits: list[str] = field(default_factory=list)  # processes that stopped by themselves

    @property
    def final_line(self) -> str:
        return oracle.final_line(self.rounds)

    @property
    def failed(self) -> bool:
        return (self.stopped is not None or bool(self.exits)
                or not oracle.all_zero(self.final_line)
                or any(not p.ok for p in self.poison))

    def report(self) -> str:
        parts = []
        if self.rounds:
            parts += ["Kierrokset (rounds):", oracle.round_table(self.rounds), ""]
        if self.poison:
            bad = sum(not p.ok for p in self.poison)
            parts += ["Myrkyt (poison):", oracle.poison_table(self.poison),
                      f"poison kinds={len(self.poison)} failed={bad}", ""]
        if self.exits:
            parts += ["Itsestään pysähtyneet (stopped by themselves, restarted):",
                      *(f"  {e}" for e in self.exits), ""]
        if self.stopped:
            parts += [f"KESKEYTYI (stopped): {self.stopped}", ""]
        parts.append(self.final_line)
        return "\n".join(parts)


def owned_broker(settings: Settings) -> LocalBroker | None:
    """The local broker the run may kill, or None when KAFKA_BOOTSTRAP_SERVERS names another."""
    return None if settings.kafka_bootstrap_servers else kv_kafka.local_broker(settings)


def run_suite(settings: Settings, plan: Plan, say: Say, broker: LocalBroker | None = None,
              run_id: str | None = None) -> Outcome:
    """`broker`: the LocalBroker the run owns and kills once (None: the settings' cluster, or the
    project's local broker when no KAFKA_BOOTSTRAP_SERVERS is set)."""
    if broker is None:
        broker = owned_broker(settings)
    outcome = Outcome()
    # The run's own clients meet the broker's outage on purpose: their connection errors are
    # expected, and the children's logs keep theirs.
    kafka_log = logging.getLogger("kafka")
    kafka_level = kafka_log.level
    kafka_log.setLevel(logging.CRITICAL)
    try:
        return _run(settings, plan, say, broker, run_id, outcome)
    finally:
        kafka_log.setLevel(kafka_level)


def _run(settings: Settings, plan: Plan, say: Say, broker: LocalBroker | None,
         run_id: str | None, outcome: Outcome) -> Outcome:
    # A broker this run starts is stopped at its end; one that was running is left running.
    leave_running = broker is None or broker.status()["running"]
    try:
        run: ChaosRun = open_run(settings, broker, say, run_id)
    except (KafkaError, BrokerError, kv_kafka.NoBroker) as exc:
        raise CannotStart(f"{type(exc).__name__}: {exc}") from exc
    try:
        if plan.rounds:
            run_rounds(run, plan.rounds, plan.seed, plan.events, plan.window)
        outcome.rounds = run.results
        if plan.poison:
            outcome.poison = dose.run_poison(run)
    except (RuntimeError, TimeoutError) as exc:  # a process died or the flow never came to rest
        outcome.rounds = run.results
        outcome.stopped = str(exc).splitlines()[0]
        say(str(exc))
    finally:
        dead = run.flow.dead()
        outcome.exits = run.flow.exits
        run.flow.stop_all()
        restarts = ", ".join(f"{k} {v}" for k, v in run.flow.restarts.items())
        say(f"restarts: {restarts}; logs in {run.flow.logs}; store {run.settings.store}")
        if dead and outcome.stopped is None:
            outcome.stopped = "stopped by themselves: " + ", ".join(dead)
        if broker is not None and not leave_running:
            broker.stop()
    return outcome

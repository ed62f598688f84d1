"""Operators' command: chaos (the fault suite, kokemusvirta/chaos/).

Exit status: 0 nothing lost, duplicated or differing, verify passed and every poison record had
its outcome; 1 otherwise (or a process stopped, or the flow never came to rest); 2 the command
could not be run as given.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kokemusvirta.settings import Settings


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_chaos(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.chaos.suite import CannotStart, Plan, run_suite

    if args.rounds < 0 or args.events < 1 or args.window <= 0:
        _say("kokemusvirta: --rounds ≥ 0, --events ≥ 1 ja --window > 0 "
             "(rounds, events and window must be positive)")
        return 2
    plan = Plan(rounds=0 if args.poison else args.rounds, seed=args.seed, events=args.events,
                window=args.window, poison=args.poison or not args.no_poison)
    if plan.rounds == 0 and not plan.poison:
        _say("kokemusvirta: ei mitään ajettavaa (nothing to run): --rounds 0 and --no-poison")
        return 2
    try:
        outcome = run_suite(settings, plan, _say)
    except CannotStart as exc:
        _say(f"kokemusvirta: Kafka-välittäjään ei saada yhteyttä (cannot reach the broker): {exc}")
        return 2
    print(outcome.report(), flush=True)
    return 1 if outcome.failed else 0


def register(sub: Any, fmt: type[argparse.HelpFormatter]) -> None:
    c = sub.add_parser(
        "chaos", help="the fault suite: kill the worker, sink and broker while data flows, "
        "publish poison, check nothing was lost, doubled or changed",
        description="Runs the flow on its own topic prefix, groups and store (under "
        "$KOKEMUSVIRTA_HOME/chaos/<run>/). Each round publishes a slice of the scenario (with "
        "malformed records) while the worker and the sink are killed with SIGKILL at seeded "
        "random moments and restarted, the sink is paused with SIGSTOP, and once per run the "
        "local broker is killed and restarted (skipped when KAFKA_BOOTSTRAP_SERVERS names "
        "another cluster); then waits until the flow is at rest and compares the store with "
        "a clean in-process projection of what Kafka holds (items, classification, routes, "
        "steps, milestones, dead letters) and runs verify. Then the poison set: over 40 kinds "
        "of bad records on the intake and a request topic, each with its expected "
        "dead-letter reason or item. Progress on stderr; tables and the last line "
        "'rounds=N lost=L duplicated=D differing=X verify_failures=V' on stdout. Exit status "
        "0 all zero and every poison as expected, 1 otherwise, 2 bad arguments.",
        formatter_class=fmt)
    c.add_argument("--rounds", type=int, default=1, metavar="N", help="rounds (default 1)")
    c.add_argument("--seed", type=int, default=2026, metavar="S",
                   help="the scenario's and the faults' seed (default 2026)")
    c.add_argument("--events", type=int, default=500, metavar="E",
                   help="scenario records per round (default 500, plus ten malformed)")
    c.add_argument("--window", type=float, default=20.0, metavar="SECONDS",
                   help="seconds over which a round is published and its faults strike "
                   "(default 20)")
    what = c.add_mutually_exclusive_group()
    what.add_argument("--poison", action="store_true", help="only the poison set")
    what.add_argument("--no-poison", action="store_true", help="only the rounds")
    c.set_defaults(func=cmd_chaos)

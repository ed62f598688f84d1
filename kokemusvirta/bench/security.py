"""`kokemusvirta bench --compare-security`: what SASL/SCRAM and the ACLs cost, measured in one run.

The secured side is the broker the settings reach (the project's local broker, or a cluster
reached with SASL). The baseline is a second local broker without authentication or authorizer,
in $KOKEMUSVIRTA_HOME/bench/plain-broker on ports of its own: started only here, for comparison
only, on loopback, and stopped (its data removed) when the comparison ends. The runs alternate,
secured first, so a change in the shared machine's load falls on both sides; the load average is
recorded before and after each run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kokemusvirta.bench.comparison import BASELINE, Comparison, Measured, order
from kokemusvirta.bench.pipeline import Say, run_bench
from kokemusvirta.broker.local import LocalBroker
from kokemusvirta.settings import Settings


class BenchRefused(ValueError):
    """The comparison cannot be made as asked (said in one line)."""


def baseline_home(settings: Settings) -> Path:
    return settings.home / "bench" / "plain-broker"


def baseline_broker(settings: Settings) -> LocalBroker:
    """The measurement baseline: no authentication, no authorizer (LocalBroker security=False);
    it shares the project broker's jars."""
    return LocalBroker(baseline_home(settings), lib_dir=settings.broker_home / "lib",
                       num_partitions=settings.partitions, security=False)


def baseline_settings(settings: Settings, bootstrap: str) -> Settings:
    """``settings`` pointed at the baseline broker with PLAINTEXT and no identity; the worker and
    the sink started from them are given exactly this (processes.child_env)."""
    return settings.model_copy(update={
        "kafka_bootstrap_servers": bootstrap,
        "kafka_security_protocol": "PLAINTEXT",
        "kafka_sasl_mechanism": None,
        "kafka_sasl_username": None,
        "kafka_sasl_password": None,
        "kafka_ssl_cafile": None,
        "client_config": None,
    })


def check_secured(settings: Settings) -> None:
    """The secured side must be secured: the local broker (always SASL + ACLs) or SASL."""
    local = settings.kafka_bootstrap_servers is None and settings.client_config is None
    if not (local or settings.client_config is not None
            or settings.kafka_security_protocol.startswith("SASL")):
        raise BenchRefused(
            "--compare-security vertaa suojattua välittäjää (compares a secured broker): "
            f"KAFKA_SECURITY_PROTOCOL is {settings.kafka_security_protocol}, not SASL_*")


def compare_security(settings: Settings, n: int, seed: int, say: Say,
                     rate: float | None = None, repeat: int = 2) -> Comparison:
    check_secured(settings)
    try:
        sides = order(repeat)
    except ValueError as exc:
        raise BenchRefused(str(exc)) from None
    broker = baseline_broker(settings)
    say(f"starting the baseline broker without authentication, for comparison only "
        f"({broker.home})")
    runs: list[Measured] = []
    try:
        plain = baseline_settings(settings, broker.start(timeout=180, on_progress=say))
        for number, side in enumerate(sides, 1):
            say(f"--- run {number}/{len(sides)}: {side}")
            before = os.getloadavg()
            result = run_bench(plain if side == BASELINE else settings, n, seed, say, rate)
            measured = Measured(side, result.throughput, result.latency_p50_ms,
                                result.latency_p99_ms, before, os.getloadavg())
            runs.append(measured)
            say(measured.line(number))
    finally:
        broker.stop()
        shutil.rmtree(broker.data_dir, ignore_errors=True)
    return Comparison(tuple(runs))

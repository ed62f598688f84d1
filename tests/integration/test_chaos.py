"""The fault suite as CI runs it: one round of faults on a broker the test owns (it is killed
and restarted), and the poison set on the session broker. Both must end with zeros: nothing
lost, duplicated or differing from a clean projection, verify passing, every poison record with
its expected outcome and no process stopped by itself."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kokemusvirta.broker.local import LocalBroker
from kokemusvirta.chaos.suite import Plan, run_suite
from tests.conftest import SettingsFactory, admin_values, shared_lib_dir

pytestmark = pytest.mark.timeout(900)
# Known defects, reported (issue 11, fault 4): a worker started during the broker's outage gives
# up after 30 s (the admin client of bootstrap.worker_app), and a running worker whose send meets
# the outage stops (streams/app.py _deliver_or_crash). The suite restarts it, as a supervisor
# would, and the store is still right; once they are fixed this test passes outright.
@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[LocalBroker]:
    """A broker the round may SIGKILL: not the session's, which other tests share."""
    broker = LocalBroker(tmp_path / "chaos-broker", lib_dir=shared_lib_dir(), num_partitions=2)
    broker.ensure_jars()
    broker.start(timeout=120)
    try:
        yield broker
    finally:
        broker.stop()


def say(message: str) -> None:
    print(message, flush=True)


def test_one_round_of_faults_loses_duplicates_and_changes_nothing(
    settings_factory: SettingsFactory, own_broker: LocalBroker,
) -> None:
    settings = settings_factory(**admin_values(own_broker))
    outcome = run_suite(settings, Plan(rounds=1, seed=11, events=300, window=15, poison=False),
                        say, broker=own_broker, run_id=f"ci{uuid.uuid4().hex[:8]}")
    report = outcome.report()
    assert outcome.final_line == ("rounds=1 lost=0 duplicated=0 differing=0 "
                                  "verify_failures=0"), report
    assert report.splitlines()[-1] == outcome.final_line
    assert outcome.rounds[0].faults.count("kill -9 broker") == 1
    assert outcome.stopped is None, report
    # The worker used to exit on the broker's outage (at start: "Unable to bootstrap"; on a send:
    # "cannot deliver the outputs"); it waits for the broker now, and no process may stop.
    assert not outcome.exits, report


def test_every_poison_record_gets_its_outcome_and_no_process_stops(
    settings_factory: SettingsFactory,
) -> None:
    outcome = run_suite(settings_factory(), Plan(rounds=0, poison=True), say,
                        run_id=f"poison{uuid.uuid4().hex[:8]}")
    report = outcome.report()
    assert len(outcome.poison) >= 30 + 3  # the kinds, both processes running, verify
    assert [p.kind for p in outcome.poison if not p.ok] == [], report
    assert not outcome.failed, report


def test_chaos_says_in_one_line_what_is_wrong(tmp_path: Path) -> None:
    env = {**os.environ, "KOKEMUSVIRTA_HOME": str(tmp_path),
           "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}"}
    run = [sys.executable, "-m", "kokemusvirta", "chaos"]
    assert subprocess.run([*run, "--help"], capture_output=True, timeout=60).returncode == 0
    bad = subprocess.run([*run, "--rounds", "-1"], env=env, capture_output=True, timeout=60)
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1
    nobody = subprocess.run([*run, "--poison"], env=env, capture_output=True, timeout=120)
    assert nobody.returncode == 2, nobody.stderr
    assert b"cannot reach the broker" in nobody.stderr.splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])

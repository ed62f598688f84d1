"""`kokemusvirta bench --compare-security`: both sides measured in one run, the baseline broker
only the bench's, and the secured broker refusing what the baseline would take."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from kafka import KafkaAdminClient
from kafka.errors import KafkaError

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.bench.security import baseline_broker, baseline_home
from kokemusvirta.broker.local import LocalBroker
from kokemusvirta.processes import child_env
from kokemusvirta.settings import Settings
from tests.conftest import SettingsFactory, shared_lib_dir

pytestmark = pytest.mark.broker


def bench(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = child_env(settings, settings.kafka_bootstrap_servers or "")
    return subprocess.run([sys.executable, "-m", "kokemusvirta", "bench", *args], env=env,
                          capture_output=True, text=True, timeout=600)


def test_compare_security_measures_the_secured_and_the_baseline_broker_in_one_run(
    settings_factory: SettingsFactory,
) -> None:
    s = settings_factory()  # the session broker, secured, as its admin
    (s.broker_home).mkdir(parents=True)
    (s.broker_home / "lib").symlink_to(shared_lib_dir())  # the baseline shares the jars
    done = bench(s, "--events", "50", "--compare-security", "--repeat", "1")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    secured = re.search(r"^run 1  secured \(SASL/SCRAM-SHA-512 \+ ACLs\)\s+(\d+) events/s", out,
                        re.M)
    baseline = re.search(r"^run 2  baseline \(no authentication, for comparison only\)\s+"
                         r"(\d+) events/s", out, re.M)
    assert secured and baseline, out
    assert int(secured.group(1)) > 0 and int(baseline.group(1)) > 0
    assert re.search(r"throughput\s+\d+\s+\d+\s+events/s", out)
    assert re.search(r"secured / baseline throughput: \d+\.\d\d", out)
    assert out.count("load ") >= 2
    # Both runs stored every event they caused, each in its own store.
    stores = sorted((s.home / "bench").glob("*/bench.duckdb"))
    assert len(stores) == 2
    # The baseline broker is stopped at the end and its data gone.
    baseline_broker_ = baseline_broker(s)
    assert baseline_broker_.home == baseline_home(s) == s.home / "bench" / "plain-broker"
    assert not baseline_broker_.status()["running"]
    assert not baseline_broker_.data_dir.exists()


def test_the_secured_broker_refuses_a_plaintext_client(settings_factory: SettingsFactory) -> None:
    plain = settings_factory(KAFKA_SECURITY_PROTOCOL="PLAINTEXT", KAFKA_SASL_MECHANISM=None)
    with pytest.raises(KafkaError):
        client = KafkaAdminClient(request_timeout_ms=3000, bootstrap_timeout_ms=3000,
                                  **plain.kafka_python_config(plain.kafka_bootstrap_servers or ""))
        client.list_topics()


def test_compare_security_refuses_an_unsecured_broker_as_the_secured_side(
    settings_factory: SettingsFactory,
) -> None:
    s = settings_factory(KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1", KAFKA_SECURITY_PROTOCOL="PLAINTEXT",
                         KAFKA_SASL_MECHANISM=None)
    done = bench(s, "--events", "5", "--compare-security")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "PLAINTEXT, not SASL_*" in done.stderr
    assert not baseline_home(s).exists()  # refused before any broker was started


def test_no_setting_gives_the_local_broker_without_security(tmp_path: Path) -> None:
    """Even a PLAINTEXT protocol in the settings leaves the project's local broker secured; the
    baseline is a switch of LocalBroker's own, on loopback only."""
    s = Settings(KOKEMUSVIRTA_HOME=tmp_path, KAFKA_SECURITY_PROTOCOL="PLAINTEXT")  # type: ignore[call-arg]
    assert kv_kafka.local_broker(s).security
    with pytest.raises(ValueError, match="loopback"):
        LocalBroker(tmp_path / "b", security=False, listen="0.0.0.0")

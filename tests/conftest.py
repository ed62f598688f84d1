"""Fixtures shared by every tier. Factories, so each test gets its own topics and store.

The real broker is started once per session (the project's own LocalBroker in a temporary home,
jars shared with the project), or KAFKA_BOOTSTRAP_SERVERS is used when set. If it cannot start,
the tests that need it fail with the reason: they never skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kokemusvirta.broker.local import LocalBroker
from kokemusvirta.settings import PROJECT_ROOT, Settings
from tests.serial import is_serial

# The session's PostgreSQL server, `postgres_server` (DuckLake's PostgreSQL catalog).
pytest_plugins = ("tests.integration.postgres_fixture",)

# Data the tests read is in the repository (tests/data); nothing outside it is required.
TEST_DATA = Path(__file__).resolve().parent / "data"


def shared_lib_dir() -> Path:
    env = os.environ.get("KOKEMUSVIRTA_BROKER_LIB")
    return Path(env) if env else PROJECT_ROOT / ".kokemusvirta" / "broker" / "lib"


def admin_values(broker: LocalBroker) -> dict[str, object]:
    """Settings values acting as a running local broker's admin (the broker runs with SASL and
    ACLs like every deployment: there is no insecure path, not even in tests)."""
    admin = broker.admin_config()
    return {"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers,
            "KAFKA_SECURITY_PROTOCOL": admin.security_protocol,
            "KAFKA_SASL_MECHANISM": admin.mechanism, "KAFKA_SASL_USERNAME": admin.username,
            "KAFKA_SASL_PASSWORD": admin.password}


@pytest.fixture(scope="session")
def kafka_admin_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The session broker's address and admin credentials as KAFKA_* variables (for child
    processes: `dict(os.environ, **kafka_admin_env)`). KAFKA_BOOTSTRAP_SERVERS set: that
    cluster, with the KAFKA_SECURITY_PROTOCOL/KAFKA_SASL_* of the environment."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield {k: v for k, v in os.environ.items() if k.startswith("KAFKA_")}
        return
    broker = LocalBroker(tmp_path_factory.mktemp("session-broker") / "broker",
                         lib_dir=shared_lib_dir())
    broker.ensure_jars()
    try:
        broker.start(timeout=120)
        yield {k: str(v) for k, v in admin_values(broker).items()}
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def bootstrap(kafka_admin_env: dict[str, str]) -> str:
    return kafka_admin_env["KAFKA_BOOTSTRAP_SERVERS"]


SettingsFactory = Callable[..., Settings]


@pytest.fixture
def settings_factory(tmp_path: Path, kafka_admin_env: dict[str, str]) -> SettingsFactory:
    """Settings with a unique topic prefix, consumer groups and store for this test, acting as
    the broker's admin (override KAFKA_* to be someone else, or use `requester_settings`)."""

    def make(**overrides: object) -> Settings:
        run = uuid.uuid4().hex[:10]
        values: dict[str, object] = {
            **kafka_admin_env,
            "KOKEMUSVIRTA_HOME": tmp_path / "home",
            "KOKEMUSVIRTA_STORE": tmp_path / "store" / "kokemusvirta.duckdb",
            "KOKEMUSVIRTA_TOPIC_PREFIX": f"t{run}.",
            "KOKEMUSVIRTA_WORKER_GROUP": f"t{run}-worker",
            "KOKEMUSVIRTA_SINK_GROUP": f"t{run}-sink",
            "KOKEMUSVIRTA_PARTITIONS": 2,
            "KOKEMUSVIRTA_SNAPSHOT_INTERVAL_S": 0.5,
            # The history lake costs each sink a second or so; its tests turn it on (""
            # is the default lake under the home).
            "KOKEMUSVIRTA_LAKE": "off",
        }
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    return make


RequesterSettings = Callable[[Settings, str, str], Settings]


@pytest.fixture
def requester_settings() -> RequesterSettings:
    """`requester_settings(settings, role, scope)`: grants the requester (e.g. "unit",
    "lappi.rovaniemen-terveysasema") on the test's topic prefix as the admin `settings`, with
    its request topic, and returns the same settings acting as it."""
    from kokemusvirta.access.local import acting_as, grant_requester
    from schemas.access import Requester

    def make(settings: Settings, role: str, scope: str) -> Settings:
        config = grant_requester(settings, Requester.parse(role, scope))
        return acting_as(settings, config, keep_bootstrap=False)

    return make


SystemSettings = Callable[[Settings, str], Settings]


@pytest.fixture
def system_settings() -> SystemSettings:
    """`system_settings(settings, role)`: the admin `settings` acting as the worker, sink,
    gateway or auditor of the test's topic prefix (its user and ACLs made on the way)."""
    from kokemusvirta.access.local import provision
    from schemas.access import SystemRole

    def make(settings: Settings, role: str) -> Settings:
        return provision(settings, SystemRole(role))

    return make


# --- Tiers: the first folder under tests/ is the test's tier and its marker, so a tier runs alone
# by path (`pytest tests/unit`) or by marker (`pytest -m "unit or agents"`).

TIERS = {
    "unit": "pure logic, no process, broker or big store (tests/unit, checked by its guard test)",
    "agents": "the Faust agents in Faust's test context, no broker (tests/agents)",
    "integration": "starts a process, the broker or builds a store (tests/integration)",
    "e2e": "runs the whole demo (tests/e2e)",
    "browser": "drives headless Chromium (tests/browser)",
}
PURE_TIERS = {"unit", "agents"}
TESTS_DIR = Path(__file__).resolve().parent
_tiers_collected: set[str] = set()


def pytest_configure(config: pytest.Config) -> None:
    for tier, what in TIERS.items():
        config.addinivalue_line("markers", f"{tier}: {what}")
    # Registered here, not in pyproject.toml: a change there makes ./run reinstall the venv.
    config.addinivalue_line("markers", "serial: timing-sensitive, runs alone after the parallel "
                            "phase of ./run tests (tests/serial.py lists the files and why)")


def tier_of(path: Path) -> str | None:
    try:
        first = path.resolve().relative_to(TESTS_DIR).parts[0]
    except (ValueError, IndexError):
        return None
    return first if first in TIERS else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        tier = tier_of(item.path)
        _tiers_collected.add(tier or "other")
        if tier:
            item.add_marker(tier)
        if is_serial(item.nodeid.split("::", 1)[0]):  # tests/serial.py says why each
            item.add_marker("serial")


# --- CI guard: under CI=true a broker test that skipped, or no broker test at all, fails the run.
# A run of the pure tiers alone (`pytest tests/unit tests/agents`) has no broker test to run.

_broker_outcomes: dict[str, list[str]] = {"passed": [], "skipped": [], "failed": []}


# Under pytest-xdist (`./run tests` runs two processes) each worker sees only its own files and
# the controller collects nothing: so the controller judges, from every worker's reports, and
# takes each test's tier from its node id rather than from collection.


def tier_of_nodeid(nodeid: str) -> str | None:
    return tier_of(TESTS_DIR.parent / nodeid.split("::", 1)[0])


def judges_the_run(config: pytest.Config) -> bool:
    """False on an xdist worker: its controller sees all workers' reports and judges once."""
    return not hasattr(config, "workerinput")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "setup":
        _tiers_collected.add(tier_of_nodeid(report.nodeid) or "other")
    if "broker" not in report.keywords:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _broker_outcomes[report.outcome].append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI", "").lower() not in {"1", "true", "yes"}:
        return
    if not judges_the_run(session.config):
        return
    ran = len(_broker_outcomes["passed"]) + len(_broker_outcomes["failed"])
    problems = []
    if _broker_outcomes["skipped"]:
        problems.append(f"{len(_broker_outcomes['skipped'])} broker test(s) skipped: "
                        + ", ".join(_broker_outcomes["skipped"][:5]))
    if ran == 0 and session.testscollected and not _tiers_collected <= PURE_TIERS:
        problems.append("no broker test ran")
    if problems:
        session.exitstatus = 1
        print("\nCI: " + "; ".join(problems))
    else:
        print(f"\nCI: {ran} broker test(s) ran against the real Kafka broker")


@pytest.fixture
def settings_factory_offline(tmp_path: Path) -> SettingsFactory:
    """Settings for tests that need no broker (agent tests in Faust's test context)."""

    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9",
            "KOKEMUSVIRTA_HOME": tmp_path / "home",
            "KOKEMUSVIRTA_TOPIC_PREFIX": f"t{uuid.uuid4().hex[:8]}.",
        }
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    return make

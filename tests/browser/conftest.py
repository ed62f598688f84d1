"""Fixtures for the dashboards in a real headless Chromium.

The store is made by the real parts: `kokemusvirta demo` on the session's broker (worker, sink,
managers' steps, weekly signals), in a home of its own. The demo leaves its dashboard server
running, as it does for a user; the tests read that server and stop it at the end.
Under CI=true a missing Chromium, chromedriver or axe-core fails the tests instead of skipping.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kokemusvirta.settings import PROJECT_ROOT
from tests.browser.chromium import chromium, missing


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    why = missing()
    if why:
        if in_ci():
            pytest.fail(f"the browser tests must run in CI: {why}")
        pytest.skip(why)
    with chromium() as driver:
        yield driver


@pytest.fixture(scope="session")
def artifacts() -> Path:
    base = os.environ.get("KOKEMUSVIRTA_ARTIFACTS")
    path = (Path(base) if base else PROJECT_ROOT / "tests" / "artifacts") / "dashboards"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Demo:
    home: Path
    store: Path
    url: str
    output: str
    env: dict[str, str]


@pytest.fixture(scope="session")
def demo(kafka_admin_env: dict[str, str],
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    home = tmp_path_factory.mktemp("dashboard-demo")
    tag = home.name[-8:].replace("_", "-")
    env = dict(os.environ, **kafka_admin_env, KOKEMUSVIRTA_HOME=str(home),
               KOKEMUSVIRTA_TOPIC_PREFIX=f"dash{tag}.", KOKEMUSVIRTA_WORKER_GROUP=f"dash{tag}-w",
               KOKEMUSVIRTA_SINK_GROUP=f"dash{tag}-s")
    env.pop("KOKEMUSVIRTA_STORE", None)
    # In the home: the worker keeps its Faust data directory in the working directory.
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", "demo"], env=env, cwd=home,
                          capture_output=True, text=True, timeout=900)
    try:
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        last = done.stdout.strip().splitlines()[-1]
        assert last.startswith("Kojelauta (dashboard): http://"), last
        yield Demo(home, home / "store" / "kokemusvirta.duckdb", last.split()[-1],
                   done.stdout, env)
    finally:
        # The demo leaves both servers running for its user; a test must leave neither.
        for server in ("dashboard", "workplace"):
            subprocess.run([sys.executable, "-m", "kokemusvirta", server, "stop"], env=env,
                           capture_output=True, text=True, timeout=60)

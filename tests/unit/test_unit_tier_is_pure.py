"""The unit tier stays pure: no process, no broker, no store builder, so `pytest tests/unit` stays
fast and runs anywhere. A test that needs any of those belongs in tests/integration/.

Read from each file's source (ast), not by running it: a test that starts a broker would
otherwise have to start one to be caught.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kokemusvirta.settings import PROJECT_ROOT

UNIT = Path(__file__).resolve().parent

# Modules whose import means the test starts a process, reaches a broker or builds a big store.
FORBIDDEN_MODULES = {
    "subprocess": "starts a process",
    "multiprocessing": "starts a process",
    "kokemusvirta.broker": "starts the local Kafka broker",
    "kokemusvirta.postgres.server": "starts the local PostgreSQL server",
    "kokemusvirta.processes": "starts the worker and the sink",
    "kokemusvirta.kafka": "talks to the broker",
    "scenario.bench_store": "builds a benchmark-sized store",
    "tests.integration": "integration helpers run the real processes",
    "tests.e2e": "end-to-end helpers run the demo",
    "tests.browser": "browser helpers start Chromium",
}
# Calls that start a process without importing subprocess.
FORBIDDEN_CALLS = {"os.system", "os.popen", "os.fork", "os.execv", "os.execvp", "os.spawnv",
                   "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell"}
# The session's real broker, and settings pointing at it (tests/conftest.py).
BROKER_FIXTURES = {"bootstrap", "settings_factory", "postgres_server"}
OTHER_TIERS = {"broker", "integration", "e2e", "browser"}


def dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return ""


def forbidden(module: str) -> str | None:
    for name, why in FORBIDDEN_MODULES.items():
        if module == name or module.startswith(name + "."):
            return f"imports {module} ({why})"
    return None


def impurities(source: str) -> list[str]:
    """What in this source makes it not a unit test, as "line: reason"."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, why) for a in node.names if (why := forbidden(a.name))]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found += [(node.lineno, why) for why in map(forbidden, modules) if why][:1]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            found += [(node.lineno, f"uses the broker fixture {a.arg}")
                      for a in args if a.arg in BROKER_FIXTURES]
        elif isinstance(node, ast.Call):
            name = dotted(node.func)
            if name in FORBIDDEN_CALLS:
                found.append((node.lineno, f"calls {name} (starts a process)"))
            if name.endswith("getfixturevalue") and any(
                    isinstance(a, ast.Constant) and a.value in BROKER_FIXTURES for a in node.args):
                found.append((node.lineno, "asks for a broker fixture"))
        elif isinstance(node, ast.Attribute) and node.attr in OTHER_TIERS \
                and dotted(node.value).endswith("mark"):
            found.append((node.lineno, f"is marked {node.attr}"))
    return [f"{line}: {why}" for line, why in sorted(found)]


def unit_files() -> list[Path]:
    return sorted(UNIT.rglob("*.py"))


def test_no_unit_test_starts_a_process_or_a_broker() -> None:
    problems = [f"{path.relative_to(UNIT.parent)}:{p}"
                for path in unit_files() for p in impurities(path.read_text(encoding="utf-8"))]
    assert not problems, "move these to tests/integration/:\n" + "\n".join(problems)


def test_unit_folders_mirror_the_packages_and_are_packages() -> None:
    packages = {p.parent.name for p in PROJECT_ROOT.glob("*/__init__.py")}
    folders = {p for p in UNIT.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    assert {f.name for f in folders} <= packages
    assert all((f / "__init__.py").exists() for f in folders)


@pytest.mark.parametrize(("source", "expected"), [
    ("import subprocess\n", "1: imports subprocess (starts a process)"),
    ("from subprocess import run\n", "1: imports subprocess (starts a process)"),
    ("from kokemusvirta.broker.local import LocalBroker\n", "1: imports kokemusvirta.broker.local"),
    ("from kokemusvirta import processes\n", "1: imports kokemusvirta.processes"),
    ("from tests.integration.helpers import running\n", "1: imports tests.integration.helpers"),
    ("def test_x(settings_factory): ...\n", "1: uses the broker fixture settings_factory"),
    ("def test_x(tmp_path, bootstrap): ...\n", "1: uses the broker fixture bootstrap"),
    ("def test_x(postgres_server): ...\n", "1: uses the broker fixture postgres_server"),
    ("from kokemusvirta.postgres.server import LocalPostgres\n",
     "1: imports kokemusvirta.postgres.server"),
    ("import os\nos.system('kokemusvirta demo')\n", "2: calls os.system"),
    ("def f(request):\n    request.getfixturevalue('bootstrap')\n", "2: asks for a broker fixture"),
    ("import pytest\npytestmark = pytest.mark.broker\n", "2: is marked broker"),
])
def test_the_checker_sees_each_kind(source: str, expected: str) -> None:
    [found] = impurities(source)
    assert found.startswith(expected)


def test_the_checker_lets_pure_tests_be() -> None:
    assert impurities("import json\nfrom pathlib import Path\n"
                      "from kokemusvirta.cli import build_parser\n"
                      "from tests.factories import feedback\n"
                      "def test_x(tmp_path, settings_factory_offline): ...\n"
                      "subprocess_free = 'import subprocess'\n") == []

"""The project keeps ruff and mypy clean. Checked here so that CI says so, not a reviewer."""

import subprocess
import sys

from kokemusvirta.settings import PROJECT_ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=300, check=False)


def test_ruff_is_clean() -> None:
    done = run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_is_clean() -> None:
    done = run("mypy", "--no-incremental")  # a stale local cache once hid an error
    assert done.returncode == 0, done.stdout + done.stderr

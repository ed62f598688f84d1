"""The session's PostgreSQL server (Debian's, started by the project's own code on loopback), for
DuckLake's PostgreSQL catalog. Registered for every test by tests/conftest.py (pytest_plugins).

One cluster per test process, made in a fresh directory and removed at the end with its data. If
PostgreSQL's server is not installed the tests that use it fail with the reason: never a skip
(`./run tests` installs it).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kokemusvirta.postgres import LocalPostgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[LocalPostgres]:
    # Not under pytest's basetemp: that is 0700, and as root the server runs as the system user
    # kokemusvirta-pg, which must pass through every directory above its cluster.
    home = Path(tempfile.mkdtemp(prefix="kokemusvirta-pg-"))
    home.chmod(0o711)
    server = LocalPostgres(home / "postgres")
    try:
        server.start(timeout=60)
        yield server
    finally:
        try:
            server.remove()
        finally:
            shutil.rmtree(home, ignore_errors=True)

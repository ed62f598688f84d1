"""`kokemusvirta trace` and `kokemusvirta verify` as a user runs them (subprocesses), on a store
built through the real path (tests/chains.py). The pure `trace` and `verify` are tested in
tests/unit/sinks/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.chains import Log
from tests.factories import as_bytes, feedback


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    log = Log()
    [item] = log.intake(as_bytes(feedback(text="Jonotin tunnin, soittakaa 040 1234567.")))
    log.whole_path(item)
    return log.write(tmp_path / "s.duckdb"), item


def test_the_commands(store: tuple[Path, str], tmp_path: Path) -> None:
    path, item = store

    def kv(*args: str) -> subprocess.CompletedProcess[str]:
        env = {"KOKEMUSVIRTA_STORE": str(path), "KOKEMUSVIRTA_HOME": str(tmp_path / "home"),
               "PATH": "/usr/bin:/bin"}
        return subprocess.run([sys.executable, "-m", "kokemusvirta", *args], env=env,
                              capture_output=True, text=True, timeout=120, check=False)

    done = kv("trace", item)
    assert done.returncode == 0, done.stderr
    assert "päätetty (decided)" in done.stdout
    done = kv("trace", item, "--json")
    assert json.loads(done.stdout)["item_id"] == item
    done = kv("trace", "fb-0000000000000000")
    assert done.returncode == 2 and "no item fb-0000000000000000" in done.stderr
    done = kv("verify")
    assert done.returncode == 0 and "intact (sealed, unchanged): 1" in done.stdout
    con = duckdb.connect(str(path))
    con.execute("UPDATE lifecycle SET actor_role = 'leadership' WHERE step = 'closed'")
    con.close()
    done = kv("verify", "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["altered"] == 1 and report["altered_items"][0]["item_id"] == item
    assert report["altered_items"][0]["problems"][0]["check"] == "lifecycle_row_differs"
    done = kv("verify")
    assert done.returncode == 1 and "ALTERED" in done.stdout and item in done.stdout

"""`kokemusvirta trace` and `kokemusvirta verify` as a user runs them (subprocesses), on a store
built through the real path (tests/chains.py). The pure `trace` and `verify` are tested in
tests/unit/sinks/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from schemas.lifecycle import ActorRole, ItemAcknowledged
from tests.chains import NOW, Log
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



def edited_store(tmp_path: Path, name: str, sql: str) -> tuple[Path, str]:
    """A fresh store of one item acknowledged by its unit, after `sql` (with the item's id for
    {item}) was run on it behind the sink's back."""
    log = Log()
    [item] = log.intake(as_bytes(feedback(text="Jonotin tunnin.")))
    log.step(item, ItemAcknowledged, NOW + timedelta(days=1), actor_role=ActorRole.UNIT_MANAGER)
    path = log.write(tmp_path / f"{name}.duckdb")
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    con.execute(sql.format(item=item))
    con.close()
    return path, item


def verify(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"KOKEMUSVIRTA_STORE": str(path), "KOKEMUSVIRTA_HOME": str(path.parent / "home"),
           "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "kokemusvirta", "verify", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def reach_share(path: Path) -> float:
    """The share of items that reached leadership, as the dashboards' reach_rates view says."""
    con = duckdb.connect(str(path), read_only=True)
    [(share,)] = con.execute("SELECT sum(reached_leadership) / sum(items) FROM reach_rates "
                             "WHERE theme IS NOT DISTINCT FROM (SELECT min(theme) FROM "
                             "reach_rates)").fetchall()
    con.close()
    return float(share)


@pytest.mark.parametrize(("edit", "table", "column"), [
    ("UPDATE knowledge_items SET routed_at = routed_at - INTERVAL 2 HOUR "
     "WHERE item_id = '{item}'", "knowledge_items", "routed_at"),
    ("UPDATE item_milestones_materialised SET reached_leadership_at = acknowledged_at "
     "WHERE item_id = '{item}'", "item_milestones_materialised", "reached_leadership_at"),
    ("DELETE FROM knowledge_items WHERE item_id = '{item}'", "knowledge_items", "(row)"),
])
def test_verify_recomputes_what_the_sink_materialised(tmp_path: Path, edit: str, table: str,
                                                      column: str) -> None:
    clean, _ = edited_store(tmp_path, "clean", "SELECT 1")
    done = verify(clean)
    assert done.returncode == 0, done.stdout + done.stderr
    assert reach_share(clean) == 0.0
    path, item = edited_store(tmp_path, "edited", edit)
    done = verify(path, "--json")
    assert done.returncode == 1, done.stdout + done.stderr
    [altered] = json.loads(done.stdout)["altered_items"]
    assert altered["item_id"] == item
    assert [(d["table"], d["column"]) for d in altered["materialised"]] == [(table, column)]
    if column == "reached_leadership_at":  # the edit a reviewer made: the reach rate 0 % → 100 %
        assert reach_share(path) == 1.0
    done = verify(path)
    assert done.returncode == 1 and "ALTERED" in done.stdout and item in done.stdout
    assert (f"{table}.{column}" if column != "(row)" else f"{table}: the store has no row, "
            "the lifecycle gives one") in done.stdout

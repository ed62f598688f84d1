"""`kokemusvirta bench --compare`: the floor, the pure logic, the Quix Streams peer and the
project end to end, measured on one broker and one generated intake topic, in one table."""

from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest

from kokemusvirta.processes import child_env
from tests.conftest import SettingsFactory

pytestmark = pytest.mark.broker

ROWS = ("(a) bare consumer floor", "(b) pure logic in process", "(c) Quix Streams peer",
        "(d) project end to end")


def test_compare_prints_the_four_rows_with_positive_figures_and_the_load(
    settings_factory: SettingsFactory,
) -> None:
    s = settings_factory()  # the session broker, secured (SCRAM), as its admin
    done = subprocess.run(
        [sys.executable, "-m", "kokemusvirta", "bench", "--compare", "--events", "300"],
        env=child_env(s, s.kafka_bootstrap_servers or ""), capture_output=True, text=True,
        timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    table = done.stdout[done.stdout.index("bench --compare:"):]
    figures = {}
    for name in ROWS:
        row = re.search(re.escape(name) + r"[^\n]*?\s([\d,]+)\s+(\d+\.\d\d)\s+"
                        r"(\d+\.\d\d \d+\.\d\d \d+\.\d\d)", table)
        assert row, f"no row {name!r} in:\n{table}"
        figures[name] = (float(row.group(1).replace(",", "")), float(row.group(2)))
    assert all(rate > 0 and ratio > 0 for rate, ratio in figures.values()), figures
    assert figures["(d) project end to end"][1] == 1.0
    # The peer stored what it classified: one row per text of the 300 events and the warm-up.
    (peer,) = (s.home / "bench").glob("*/quix-peer.duckdb")
    with duckdb.connect(str(peer), read_only=True) as con:
        (rows,) = con.execute("select count(*) from items").fetchone() or (0,)
    assert rows >= 300

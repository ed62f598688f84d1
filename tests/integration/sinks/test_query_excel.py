"""`kokemusvirta query --csv --excel` against a real store, as a person runs it (subprocesses,
no broker): the file Finnish Excel opens by a double click. The dialect alone is
tests/unit/sinks/test_excel_csv.py."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.integration.sinks.test_read_sandbox import home, query

__all__ = ["home"]  # the fixture, from the sandbox's tests: a store of three items

SQL = ("select county, count(*) as n, avg(length(text)) / 1000 as thousands, "
       "min(received_at) as first_in, min(received_at)::date as first_day, "
       "'=1+1' as formula from knowledge_items group by all")


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]  # UTF-8 with a byte order mark
    text = data[3:].decode("utf-8")
    assert "\r\n" in text and ";" in text.splitlines()[0]
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_excel_dialect_into_a_file_and_on_stdout(home: Path) -> None:
    into = home / "tulos.csv"
    done = query(home, SQL, "--csv", str(into), "--excel")
    assert done.returncode == 0, done.stderr
    header, row = _rows(into.read_bytes())
    assert header == ["county", "n", "thousands", "first_in", "first_day", "formula"]
    county, n, thousands, first_in, first_day, formula = row
    assert (county, n) == ("lappi", "3")
    assert "," in thousands and "." not in thousands  # 0,042: a decimal comma
    day, _, clock = first_in.partition(" ")
    assert day.count(".") == 2 and clock.count(":") == 2  # 1.10.2026 10:00:00
    assert first_day.count(".") == 2 and "-" not in first_day
    assert formula == "'=1+1"  # Excel shows it, does not run it

    on_stdout = query(home, SQL, "--csv", "--excel")
    assert on_stdout.returncode == 0, on_stdout.stderr
    assert on_stdout.stdout.startswith("\ufeffcounty;n;")


def test_excel_without_csv_is_one_line(home: Path) -> None:
    for other in ([], ["--json"], ["--parquet", str(home / "x.parquet")]):
        refused = query(home, "select 1", *other, "--excel")
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert refused.stderr.strip().splitlines() == [
            "kokemusvirta: --excel is a dialect of --csv: give --csv --excel (or --csv FILE "
            "--excel)"]
    assert not (home / "x.parquet").exists()

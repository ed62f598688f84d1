"""Every SQL file of the repository says what one of its rows is, and none spells the
small-group threshold itself.

The header is the comment block a file starts with (up to its first blank line): it must hold
a `Grain:` line ("Grain: one row per …"; for a file of statements, what it writes or defines).
The threshold lives in sinks/suppression.sql (`small_group_limit()`); every other file
suppresses through its macros, so a comparison of a count with 4 or 5 elsewhere is a second
copy of the rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", ".git", "node_modules", "build", "dist"}
SQL_FILES = sorted(p for p in ROOT.rglob("*.sql")
                   if not SKIP & set(p.relative_to(ROOT).parts))
GRAIN = re.compile(r"\bGrain: \S")
THRESHOLD_SPELLED = re.compile(r"(<|<=|>|>=|=)\s*[45]\b|\bBETWEEN\s+1\s+AND\s+4\b", re.I)


def header(text: str) -> str:
    """The comment lines the file starts with, up to its first blank or code line."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line)
    return "\n".join(lines)


def test_there_are_sql_files_to_check() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in SQL_FILES}
    assert {"sinks/schema.sql", "sinks/views.sql", "sinks/suppression.sql",
            "sinks/analytics.sql", "dashboards/queries/rates_by_county.sql"} <= names


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_each_sql_file_states_its_grain_in_its_header(path: Path) -> None:
    assert GRAIN.search(header(path.read_text(encoding="utf-8"))), \
        f"{path.relative_to(ROOT)}: no 'Grain: …' line in the header comment"


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_sql_file_but_suppression_sql_spells_the_small_group_threshold(path: Path) -> None:
    code = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
    found = [m.group(0) for m in THRESHOLD_SPELLED.finditer(code)]
    assert not found, f"{path.relative_to(ROOT)}: {found}: use is_small_group / suppress_small"

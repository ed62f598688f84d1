"""Finding raw personal identifiers where they must never be: topic dumps, store columns, logs.

`find_leaks(identifiers, blobs)` looks for every identifier (as `personal_identifiers_in` of
scenario gives them, plus any of a test's own) in every blob, as written and as JSON
would escape it, as a whole word: "Eino" leaks in "hoitaja Eino," but not in "Einola".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class Leak:
    identifier: str
    where: str  # which blob: a topic, table.column, or log file
    context: str  # a few characters around it, to see what leaked


def _spellings(identifier: str) -> set[str]:
    return {identifier, json.dumps(identifier)[1:-1],
            json.dumps(identifier, ensure_ascii=False)[1:-1]}


def find_leaks(
    identifiers: Iterable[str], blobs: Iterable[tuple[str, str | bytes]]
) -> list[Leak]:
    patterns = [
        (identifier, tuple(spellings), re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(s) for s in spellings) + r")(?!\w)"))
        for identifier in sorted(set(identifiers)) if identifier
        for spellings in [_spellings(identifier)]
    ]
    leaks = []
    for where, blob in blobs:
        text = blob.decode("utf-8", "replace") if isinstance(blob, bytes) else blob
        for identifier, spellings, pattern in patterns:
            # A plain substring search first: the word-bounded pattern can only match where a
            # spelling is, and `in` is many times faster than the pattern's search.
            if not any(s in text for s in spellings):
                continue
            m = pattern.search(text)
            if m:
                leaks.append(Leak(identifier, where,
                                  text[max(0, m.start() - 40):m.end() + 40]))
    return leaks


def store_text_columns(store: Path) -> list[tuple[str, str]]:
    """Every text-like column of every table in the DuckDB store, one blob per column."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'main' and (data_type in ('VARCHAR', 'JSON') "
            "or data_type like '%VARCHAR[]%') and table_name in (select table_name from "
            "information_schema.tables where table_type = 'BASE TABLE')").fetchall()
        blobs = []
        for table, column in columns:
            rows = con.execute(f'select cast("{column}" as varchar) from "{table}"').fetchall()
            blobs.append((f"{table}.{column}", "\n".join(r[0] for r in rows if r[0])))
        return blobs
    finally:
        con.close()


def log_files(folder: Path) -> list[tuple[str, bytes]]:
    return [(str(p), p.read_bytes()) for p in sorted(folder.rglob("*.log"))]

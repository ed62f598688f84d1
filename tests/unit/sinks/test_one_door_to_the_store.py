"""Every reader opens the store through the sandbox (sinks/reader.py: open_read_only or
open_sandboxed): DuckDB's file access, extensions and settings off. The only other connection is
the sink's writer (sinks/store.py). Read from the sources (ast): a new `duckdb.connect` anywhere
else would be a reader outside the sandbox."""

from __future__ import annotations

import ast
from pathlib import Path

from kokemusvirta.settings import PROJECT_ROOT
from tests.unit.test_layers import PACKAGES

ALLOWED = {"sinks/reader.py": "the readers' sandbox", "sinks/store.py": "the sink's writer",
           "kokemusvirta/bench/quix_peer.py": "the Quix Streams peer's own file, not the store",
           "kokemusvirta/bench/lake.py": "the lake benchmark's own files, not the store"}


def _opens(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):  # from duckdb import connect
        return node.module == "duckdb" and any(a.name == "connect" for a in node.names)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr == "connect" and isinstance(node.func.value, ast.Name) \
        and node.func.value.id == "duckdb"


def connects(source: str) -> list[int]:
    """Lines that open a DuckDB database: duckdb.connect(...), or `connect` from duckdb."""
    return sorted(node.lineno for node in ast.walk(ast.parse(source))  # type: ignore[attr-defined]
                  if _opens(node))


def test_only_the_sandbox_and_the_sink_connect_to_duckdb() -> None:
    found = [f"{path.relative_to(PROJECT_ROOT)}:{line}"
             for package in PACKAGES for path in sorted((PROJECT_ROOT / package).rglob("*.py"))
             if str(path.relative_to(PROJECT_ROOT)) not in ALLOWED
             for line in connects(path.read_text(encoding="utf-8"))]
    assert not found, ("open the store with sinks.reader.open_read_only (or open_sandboxed) "
                       "instead:\n" + "\n".join(found))


def test_the_check_sees_both_spellings() -> None:
    assert connects("import duckdb\ncon = duckdb.connect('s.duckdb', read_only=True)\n") == [2]
    assert connects("from duckdb import connect\n") == [1]
    assert connects("con = reader.open_read_only(store)\n") == []
    assert all(Path(PROJECT_ROOT / name).exists() for name in ALLOWED)

"""Read-only queries on the store's published snapshot, safe while the sink runs."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import duckdb

from sinks.store import snapshot_path


class StoreMissing(RuntimeError):
    pass


def open_read_only(store: Path) -> duckdb.DuckDBPyConnection:
    """The snapshot the sink publishes; the store itself only when no snapshot exists yet and
    no sink holds it (DuckDB allows one writer process and no reader beside it)."""
    snap = snapshot_path(store)
    target = snap if snap.exists() else store
    if not target.exists():
        raise StoreMissing(
            f"No store at {store}. Run `kokemusvirta demo`, or `kokemusvirta sink` to build one."
        )
    con = duckdb.connect(str(target), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    return con


def run(store: Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    con = open_read_only(store)
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description or []]
        return columns, cur.fetchall()
    finally:
        con.close()


def _plain(v: Any) -> Any:
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, (UUID, Decimal)):
        return str(v)
    return v


def as_json(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    return json.dumps(
        [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows],
        ensure_ascii=False, indent=1, default=str,
    )


def as_csv(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")  # shell pipelines expect \n, not \r\n
    w.writerow(columns)
    w.writerows([[_plain(v) for v in row] for row in rows])
    return out.getvalue()


def as_table(columns: list[str], rows: list[tuple[Any, ...]], max_width: int = 60) -> str:
    def cell(v: Any) -> str:
        s = "" if v is None else str(_plain(v))
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    body = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in body]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    sep = "  ".join("-" * w for w in widths)
    lines = [line, sep]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in body]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)

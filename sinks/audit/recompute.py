"""`verify`'s second derivation: recompute what the sink materialised from the lifecycle and
report every difference.

The chain checks (verify.py) say that the sealed events are the ones the worker emitted; the
dashboards, though, read tables the sink derived from them: knowledge_items (the item's
dimensions, classification, routes, milestone times and status), item_milestones_materialised
(every client item's milestones, lead times and due dates: the reach rates and funnels read it),
open_obligations (the overdue lists) and aggregate_members (a weekly signal's items). An edit of
those tables leaves every chain intact. Here each table is derived again from the payloads in
`events` (rederive.py: Python, independent of the sink's SQL) and compared row by row, column by
column. A difference, a row the lifecycle does not explain (an item row without lifecycle
events) and a row missing (lifecycle events whose item row was deleted) are each a
`Difference` naming the item, the table and the column.

The store is read in slices of items (hash buckets, as verify.py does), so memory stays bounded;
the weekly signals are read first, since a signal's acknowledgement moves its members'
milestones.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from schemas.registry import LIFECYCLE_EVENTS
from sinks.audit import rederive
from sinks.audit.rederive import OneOf, SignalReach

LIFECYCLE_TYPES = [str(t.model_fields["event_type"].default) for t in LIFECYCLE_EVENTS]
SLICE_EVENTS = 40_000  # lifecycle events per slice at most (on average): bounds the memory
BATCH_ROWS = 20_000
ROW = "(row)"  # the column of a Difference about a whole row
MATERIALISED = "materialised_differs"  # what verify calls a Difference
ITEMS, MILESTONES = "knowledge_items", "item_milestones_materialised"
OBLIGATIONS, MEMBERS = "open_obligations", "aggregate_members"
# knowledge_items' columns that are not derived from the lifecycle (erased_at comes from
# person.forgotten events; verify checks the rest).
_NOT_DERIVED = frozenset({"erased_at"})
_PAYLOADS = """
SELECT item_id, CAST(payload AS VARCHAR) AS payload FROM events
WHERE list_contains($types::VARCHAR[], event_type) AND item_id IS NOT NULL
  AND ($item::VARCHAR IS NULL OR item_id = $item::VARCHAR)
  AND hash(item_id) % $buckets::UBIGINT = $bucket::UBIGINT
ORDER BY item_id, topic, "partition", "offset"
"""
_SIGNAL_PAYLOADS = """
SELECT item_id, CAST(payload AS VARCHAR) AS payload FROM events
WHERE list_contains($types::VARCHAR[], event_type) AND item_id IN (
    SELECT item_id FROM events WHERE event_type = 'item.received'
      AND json_valid(payload)
      AND json_extract_string(payload, '$.item.source_family') = 'aggregate')
ORDER BY item_id, topic, "partition", "offset"
"""
# One item's check: only the signals that may hold it (see `differences`).
_ITEMS_SIGNAL_PAYLOADS = """
WITH candidates AS (
    SELECT item_id FROM events WHERE event_type = 'item.received' AND item_id LIKE 'ag-%'
      AND contains(CAST(payload AS VARCHAR), $item::VARCHAR)
    UNION SELECT aggregate_item_id FROM aggregate_members WHERE member_item_id = $item::VARCHAR
    UNION SELECT $item::VARCHAR
),
signals AS (
    SELECT item_id FROM events WHERE event_type = 'item.received'
      AND item_id IN (SELECT item_id FROM candidates)
      AND json_valid(payload)
      AND json_extract_string(payload, '$.item.source_family') = 'aggregate'
)
SELECT item_id, CAST(payload AS VARCHAR) AS payload FROM events
WHERE list_contains($types::VARCHAR[], event_type) AND item_id IN (SELECT item_id FROM signals)
ORDER BY item_id, topic, "partition", "offset"
"""


@dataclass(frozen=True)
class Difference:
    """One materialised value that the lifecycle does not give."""

    item_id: str
    table: str
    column: str  # ROW: the whole row is missing or unexplained
    stored: Any
    expected: Any

    def detail(self) -> str:
        if self.column.endswith(ROW):
            where = self.column.removesuffix(ROW).strip()
            return (f"{self.table}{' ' + where if where else ''}: the store has "
                    f"{_shown(self.stored)}, the lifecycle gives {_shown(self.expected)}")
        return (f"{self.table}.{self.column} is {_shown(self.stored)}; recomputed from the "
                f"lifecycle: {_shown(self.expected)}")

    def as_dict(self) -> dict[str, Any]:
        return {"item_id": self.item_id, "table": self.table, "column": self.column,
                "stored": _shown(self.stored), "expected": _shown(self.expected)}

    def as_problem(self) -> dict[str, Any]:
        """In the shape of verify's problems (`trace` lists them together)."""
        return {"check": MATERIALISED, "detail": self.detail(), "event_id": None, "step": None,
                "topic": None, "partition": None, "offset": None}


def summary_lines(found: list[Difference], limit: int = 3) -> list[str]:
    """An altered item's differences for verify's summary, indented under the item."""
    lines = [f"    {MATERIALISED}: {d.detail()}" for d in found[:limit]]
    if len(found) > limit:
        lines.append(f"    … and {len(found) - limit} more materialised difference(s)")
    return lines


def _shown(value: Any) -> str:
    if isinstance(value, OneOf):
        return " or ".join(_shown(v) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return "null" if value is None else str(value)


def same(stored: Any, expected: Any) -> bool:
    """Equal as the store holds them: one of several accepted values, floats to a microsecond's
    rounding, lists element by element."""
    if stored == expected and not isinstance(expected, OneOf):
        return True
    if isinstance(expected, OneOf):
        return any(same(stored, e) for e in expected)
    if isinstance(stored, float) or isinstance(expected, float):
        return (stored is not None and expected is not None
                and math.isclose(stored, expected, rel_tol=1e-9, abs_tol=1e-6))
    if isinstance(stored, list | tuple) and isinstance(expected, list | tuple):
        return list(stored) == list(expected)
    return bool(stored == expected)


def compare(item_id: str, table: str, stored: dict[str, Any] | None,
            expected: dict[str, Any] | None, ignore: frozenset[str] = frozenset()
            ) -> list[Difference]:
    """The differences between a stored row and the recomputed one (either may be missing):
    every column the recomputed row has, except `ignore`."""
    if stored is None and expected is None:
        return []
    if stored is None:
        return [Difference(item_id, table, ROW, "no row", "one")]
    if expected is None:
        return [Difference(item_id, table, ROW, "a row", "none")]
    return [Difference(item_id, table, column, stored.get(column), value)
            for column, value in expected.items()
            # (!= first: most values are equal, and that is cheap to see)
            if stored.get(column) != value and column not in ignore
            and not same(stored.get(column), value)]


def compare_item(item_id: str, events: list[dict[str, Any]], signals: list[SignalReach],
                 stored: dict[str, dict[str, Any] | None], obligations: dict[str, dict[str, Any]],
                 deadlines: dict[str, tuple[int, str]] | None) -> list[Difference]:
    """Every difference of one item: its knowledge_items row, and (when the store has them,
    `deadlines` not None) its item_milestones_materialised row and open_obligations rows."""
    steps = rederive.Steps.of(events)
    item_row = rederive.item_row(steps, signals)
    out = compare(item_id, ITEMS, stored.get(ITEMS), item_row, ignore=_NOT_DERIVED)
    if deadlines is None or (stored.get(ITEMS) is None and item_row is not None):
        return out  # the sink derives the rest from the item's row: its absence is the news
    # (without an item row, stored or due, any row of the item below is unexplained)
    milestones = rederive.milestone_row(steps, signals, deadlines, item_row) if item_row else None
    out += compare(item_id, MILESTONES, stored.get(MILESTONES), milestones)
    owed = rederive.obligation_rows(milestones) if milestones else {}
    for deadline in sorted(set(owed) | set(obligations)):
        for d in compare(item_id, OBLIGATIONS, obligations.get(deadline), owed.get(deadline)):
            column = f"{deadline}.{d.column}" if d.column != ROW else f"{deadline} {ROW}"
            out.append(Difference(d.item_id, d.table, column, d.stored, d.expected))
    return out


def differences(con: duckdb.DuckDBPyConnection, item: str | None = None) -> list[Difference]:
    """Every difference between the materialised tables and the lifecycle (or one item's).

    One item's check (the item page's trace, `verify --item`) reads only that item and the
    weekly signals that may hold it: the signals whose sealed received event names it (a signal's
    id starts `ag-`, streams/items.py) and those the store's aggregate_members says hold it; a
    whole-store `verify` reads every signal. So a page at 1M items does not re-derive the store."""
    con.execute("SET enable_progress_bar = false")
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    deadlines = None
    if {MILESTONES, OBLIGATIONS, "deadlines"} <= tables:  # stores before issue 3 lack them
        deadlines = {str(n): (int(a), str(u)) for n, a, u in con.execute(
            "SELECT deadline, amount, unit FROM deadlines").fetchall()}
    signal_events = dict(_grouped(con.execute(
        _SIGNAL_PAYLOADS if item is None else _ITEMS_SIGNAL_PAYLOADS,
        {"types": LIFECYCLE_TYPES} | ({} if item is None else {"item": item})
    ).to_arrow_reader(BATCH_ROWS)))
    holding: dict[str, list[SignalReach]] = {}
    for events in signal_events.values():
        reach = rederive.signal_reach(events)
        for member in rederive.members_of(events):
            holding.setdefault(member, []).append(reach)
    out: list[Difference] = []
    (total,) = con.execute("SELECT count(*) FROM lifecycle").fetchone() or (0,)
    buckets = 1 if item else max(1, -(-int(total) // SLICE_EVENTS))
    for bucket in range(buckets):
        where = {"item": item, "buckets": buckets, "bucket": bucket}
        stored = {t: _stored(con, t, where, out) for t in (ITEMS, MILESTONES) if t in tables}
        obligations: dict[str, dict[str, dict[str, Any]]] = {}
        if OBLIGATIONS in tables:
            for row in _rows(con, OBLIGATIONS, where):
                owed = obligations.setdefault(row["item_id"], {})
                if owed.setdefault(row["deadline"], row) is not row:
                    out.append(Difference(row["item_id"], OBLIGATIONS, f"{row['deadline']} {ROW}",
                                          "a second row", "one"))
        lifecycle = dict(_grouped(con.execute(
            _PAYLOADS, {"types": LIFECYCLE_TYPES, **where}).to_arrow_reader(BATCH_ROWS)))
        every = set(lifecycle) | set(obligations)
        for rows in stored.values():
            every |= set(rows)
        for item_id in sorted(every):
            out += compare_item(item_id, lifecycle.get(item_id, []), holding.get(item_id, []),
                                {t: rows.get(item_id) for t, rows in stored.items()},
                                obligations.get(item_id, {}), deadlines)
    out += _members(con, signal_events, item)
    return out


def _members(con: duckdb.DuckDBPyConnection, signals: dict[str, list[dict[str, Any]]],
             item: str | None) -> list[Difference]:
    """aggregate_members: each signal's members as its received event lists them."""
    stored: dict[str, set[str]] = {}
    for signal, member in con.execute(
            "SELECT aggregate_item_id, member_item_id FROM aggregate_members "
            "WHERE $item::VARCHAR IS NULL OR aggregate_item_id = $item::VARCHAR",
            {"item": item}).fetchall():
        stored.setdefault(signal, set()).add(member)
    out = []
    for signal in sorted(set(stored) | set(signals)):
        if item is not None and item != signal:
            continue
        have, want = stored.get(signal, set()), set(rederive.members_of(signals.get(signal, [])))
        out += [Difference(signal, MEMBERS, m, "a member", "not a member")
                for m in sorted(have - want)]
        out += [Difference(signal, MEMBERS, m, "not a member", "a member")
                for m in sorted(want - have)]
    return out


def _rows(con: duckdb.DuckDBPyConnection, table: str, where: dict[str, Any]
          ) -> Iterator[dict[str, Any]]:
    reader = con.execute(
        f"SELECT * FROM {table} WHERE ($item::VARCHAR IS NULL OR item_id = $item::VARCHAR) "
        "AND hash(item_id) % $buckets::UBIGINT = $bucket::UBIGINT", where
    ).to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        yield from batch.to_pylist()


def _stored(con: duckdb.DuckDBPyConnection, table: str, where: dict[str, Any],
            out: list[Difference]) -> dict[str, dict[str, Any]]:
    """The table's rows of the slice by item; an item with a second row (which every count
    would count twice) is a difference in `out`, and its first row is compared."""
    rows: dict[str, dict[str, Any]] = {}
    copies: dict[str, int] = {}
    for row in _rows(con, table, where):
        if rows.setdefault(row["item_id"], row) is not row:
            copies[row["item_id"]] = copies.get(row["item_id"], 1) + 1
    out += [Difference(i, table, ROW, f"{n} rows", "one") for i, n in sorted(copies.items())]
    return rows


def _grouped(reader: Any) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(item_id, its parsed payloads in Kafka order) from rows ordered by item. A payload that
    is not a JSON object is skipped: verify reports it as unreadable."""
    current: str | None = None
    events: list[dict[str, Any]] = []
    for batch in reader:
        columns = batch.to_pydict()
        for item_id, payload in zip(columns["item_id"], columns["payload"], strict=True):
            if item_id != current:
                if current is not None:
                    yield current, events
                current, events = item_id, []
            try:
                parsed = json.loads(payload) if payload is not None else None
            except (ValueError, RecursionError):
                parsed = None
            if isinstance(parsed, dict) and _dated(parsed):
                events.append(parsed)
    if current is not None:
        yield current, events


def _dated(event: dict[str, Any]) -> bool:
    """An event whose occurred_at is a time with its zone (anything else cannot be placed)."""
    try:
        return rederive.at(event).tzinfo is not None
    except (TypeError, ValueError):
        return False

"""What the unit managers' commands read from the store (its read-only snapshot)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import duckdb

from managers.digest import DecidedItem
from managers.requests import ItemState
from schemas.lifecycle import LifecycleEvent
from schemas.registry import parse
from sinks.reader import open_read_only


def _histories(con: duckdb.DuckDBPyConnection,
               item_ids: Sequence[str]) -> dict[str, list[LifecycleEvent]]:
    """Each item's accepted lifecycle events, in the order of the lifecycle topic (one item's
    events share a partition)."""
    rows = con.execute(
        """
        SELECT l.item_id, e.payload
        FROM lifecycle AS l JOIN events AS e ON e.event_id = l.event_id
        WHERE list_contains(?, l.item_id)
        ORDER BY l."partition", l."offset"
        """, [list(item_ids)],
    ).fetchall()
    out: dict[str, list[LifecycleEvent]] = {}
    for item_id, payload in rows:
        if payload is None:
            continue
        event = parse(payload.encode())
        if isinstance(event, LifecycleEvent):
            out.setdefault(item_id, []).append(event)
    return out


def items(store: Path, item_ids: Sequence[str]) -> dict[str, ItemState]:
    """Each known item with its lifecycle history; unknown ids are left out."""
    con = open_read_only(store)
    try:
        rows = con.execute(
            "SELECT item_id, county, unit, status FROM knowledge_items "
            "WHERE list_contains(?, item_id)", [list(item_ids)],
        ).fetchall()
        histories = _histories(con, [r[0] for r in rows])
    finally:
        con.close()
    return {r[0]: ItemState(r[0], r[1], r[2], r[3], tuple(histories.get(r[0], [])))
            for r in rows}


def contact_given(store: Path, item_id: str) -> bool:
    con = open_read_only(store)
    try:
        row = con.execute("SELECT contact_given FROM knowledge_items WHERE item_id = ?",
                          [item_id]).fetchone()
    finally:
        con.close()
    return bool(row and row[0])


Statuses = dict[str, tuple[str, datetime | None, datetime | None]]
Labels = dict[str, tuple[tuple[str, ...], str, str, bool]]


def _text(value: str) -> str:
    """A SQL string literal (quotes doubled; DuckDB's standard strings know no backslash
    escapes). The inbox's two queries take the unit this way and not as parameters because
    DuckDB imports pandas to convert the first Python parameter: a quarter of a second of
    `kokemusvirta inbox`, which answers in under one."""
    return "'" + value.replace("'", "''") + "'"


def _statuses(con: duckdb.DuckDBPyConnection, county: str, unit: str) -> Statuses:
    rows = con.execute(
        "SELECT item_id, CASE WHEN status IN ('received', 'classified', 'routed') "
        "AND acknowledged_at IS NOT NULL THEN 'acknowledged_by_leadership' ELSE status END, "
        "received_at, decided_at FROM knowledge_items "
        f"WHERE county = {_text(county)} AND unit = {_text(unit)}").fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _labels(con: duckdb.DuckDBPyConnection, county: str, unit: str) -> Labels:
    rows = con.execute(
        "SELECT l.item_id, l.themes, l.stance, l.severity, coalesce(c.waiting, false) "
        "FROM item_labels AS l LEFT JOIN severity_confirmations AS c USING (item_id) "
        f"WHERE l.county = {_text(county)} AND l.unit = {_text(unit)}").fetchall()
    return {r[0]: (tuple(r[1] or ()), r[2], r[3], bool(r[4])) for r in rows}


def unit_statuses(store: Path, county: str, unit: str) -> Statuses:
    """item_id -> (status, received_at, decided_at) for the unit's items. A member of a weekly
    signal that leadership acknowledged is acknowledged too (docs/data-dictionary.md
    § Milestones), though no step of its own says so: it shows acknowledged_by_leadership and
    owes no acknowledgement, as in the store's overdue_items."""
    con = open_read_only(store)
    try:
        return _statuses(con, county, unit)
    finally:
        con.close()


def unit_labels(store: Path, county: str, unit: str) -> Labels:
    """item_id -> (themes, stance, severity, confirmation waiting) for the unit's classified
    items: the labels that count (a person's where given, sinks/labels.sql), and whether a
    critical item still waits for a person to confirm or down-grade it."""
    con = open_read_only(store)
    try:
        return _labels(con, county, unit)
    finally:
        con.close()


def unit_inbox(store: Path, county: str, unit: str) -> tuple[Statuses, Labels]:
    """Both of the above from one snapshot (and one opening of it)."""
    con = open_read_only(store)
    try:
        return _statuses(con, county, unit), _labels(con, county, unit)
    finally:
        con.close()


def decided_in(
    store: Path, county: str, unit: str, start: datetime, end: datetime
) -> tuple[list[DecidedItem], dict[str | None, int], dict[str, str]]:
    """The unit's items decided in [start, end), its items' language counts, and each decided
    item's status."""
    con = open_read_only(store)
    try:
        decided = con.execute(
            """
            SELECT k.item_id, k.themes, l.details, l.occurred_at, k.returned_at, k.status
            FROM knowledge_items AS k
            JOIN lifecycle AS l ON l.item_id = k.item_id AND l.step = 'decided'
            WHERE k.county = ? AND k.unit = ? AND l.occurred_at >= ? AND l.occurred_at < ?
            ORDER BY l.occurred_at, k.item_id
            """, [county, unit, start, end],
        ).fetchall()
        languages = con.execute(
            "SELECT language, count(*) FROM knowledge_items WHERE county = ? AND unit = ? "
            "GROUP BY language", [county, unit],
        ).fetchall()
    finally:
        con.close()
    out: list[DecidedItem] = []
    statuses: dict[str, str] = {}
    for item_id, themes, details, at, returned_at, status in decided:
        d = json.loads(details) if details else {}
        out.append(DecidedItem(
            item_id=item_id, themes=tuple(themes or ()), outcome=d["outcome"],
            rationale=d.get("rationale") or "", decided_at=at,
            decision_ref=d.get("decision_ref"), returned_at=returned_at,
        ))
        statuses[item_id] = status
    return out, dict(languages), statuses

"""What the web inbox, the item page, leadership's queue and a body's agenda read from the
store: its published snapshot, through the readers' sandboxed door (sinks/reader.py).

Each function opens the snapshot once and closes it, so a page is one consistent view. The
labels that count are a person's where given (the store's item_labels), the status counts a
leadership-acknowledged signal's members as acknowledged (managers/unit_store.py), and the
item's path is `kokemusvirta trace`'s (sinks/audit/trace.py), with each step's verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from kokemusvirta.workplace import inbox_listing as il
from managers import inbox as ib
from schemas.lifecycle import LifecycleEvent
from schemas.registry import parse
from sinks.audit.trace import UnknownItem, trace
from sinks.reader import open_read_only

# The status as managers/unit_store.py `_statuses` reads it.
_STATUS_SQL = """CASE WHEN k.status IN ('received', 'classified', 'routed')
            AND k.acknowledged_at IS NOT NULL THEN 'acknowledged_by_leadership'
            ELSE k.status END"""
# One item as the lists show it.
_ITEM_SQL = f"""
SELECT k.item_id, k.source_family, k.received_at,
       coalesce(l.themes, k.themes), coalesce(l.stance, k.stance),
       coalesce(l.severity, k.severity, 'none'), coalesce(k.immediate_attention, false),
       k.text,
       {_STATUS_SQL},
       k.decided_at, k.reply_requested AND k.contact_given, coalesce(c.waiting, false),
       k.unit, k.service_area, k.county
FROM knowledge_items AS k
LEFT JOIN item_labels AS l USING (item_id)
LEFT JOIN severity_confirmations AS c USING (item_id)
"""


def _item(r: tuple[Any, ...]) -> ib.InboxItem:
    return ib.InboxItem(
        item_id=r[0], source_family=r[1], received_at=r[2], themes=tuple(r[3] or ()),
        stance=r[4] or "mixed", severity=r[5], immediate_attention=bool(r[6]), text=r[7],
        status=r[8], decided_at=r[9], reply_owed=bool(r[10]), confirmation_waiting=bool(r[11]))


def scoped_items(store: Path, county: str, *, unit: str | None = None,
                 area: str | None = None) -> list[tuple[ib.InboxItem, str | None]]:
    """The classified items of a unit, or of a service area's units, with each one's unit
    (open or not: the list filters). Feedback, workshop outputs and statements alike."""
    where = ["k.county = ?", "k.classifier_version IS NOT NULL"]
    params: list[Any] = [county]
    if unit is not None:
        where.append("k.unit = ?")
        params.append(unit)
    if area is not None:
        where.append("k.service_area = ?")
        params.append(area)
    con = open_read_only(store)
    try:
        rows = con.execute(_ITEM_SQL + " WHERE " + " AND ".join(where), params).fetchall()
    finally:
        con.close()
    return [(_item(r), r[12]) for r in rows]


# The inbox's list at 1M items (a unit may have 44,000 open items) in two reads: first the
# columns the order needs, of the open items that pass the filters (in SQL), as microseconds
# (DuckDB's conversion of 44,000 zoned timestamps and theme lists to Python took 1 s); the
# order needs each deadline from the working-day calendar, counted in Python
# (inbox_listing.ordered); then the page's items in full (`page_items`).
_CANDIDATES_SQL = f"""
SELECT k.item_id, coalesce(l.severity, k.severity, 'none'), epoch_us(k.received_at),
       {_STATUS_SQL}, epoch_us(k.decided_at), coalesce(k.reply_requested AND k.contact_given,
       false), k.unit
FROM knowledge_items AS k
LEFT JOIN item_labels AS l USING (item_id)
"""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _at(microseconds: int | None) -> datetime | None:
    """The instant as the reader's connection gives it (its time zone is UTC)."""
    return None if microseconds is None else _EPOCH + timedelta(microseconds=microseconds)


def inbox_candidates(store: Path, county: str, *, unit: str | None = None,
                     area: str | None = None, severity: str | None = None,
                     theme: str | None = None, status: str | None = None,
                     closed: frozenset[str] = ib.CLOSED_FOR_INBOX) -> list[il.Candidate]:
    """The open classified items of a unit, or of a service area's units (`unit` narrows it to
    one), that pass the inbox's filters: what `scoped_items` and `inbox_listing.listing` give,
    as candidates."""
    where = ["k.county = ?", "k.classifier_version IS NOT NULL",
             f"NOT list_contains(?, {_STATUS_SQL})"]
    params: list[Any] = [county, sorted(closed)]
    for condition, value in (("k.unit = ?", unit), ("k.service_area = ?", area),
                             ("coalesce(l.severity, k.severity, 'none') = ?", severity),
                             ("list_contains(coalesce(l.themes, k.themes), ?)", theme),
                             (f"{_STATUS_SQL} = ?", status)):
        if value is not None:
            where.append(condition)
            params.append(value)
    con = open_read_only(store)
    try:
        rows = con.execute(_CANDIDATES_SQL + " WHERE " + " AND ".join(where), params).fetchall()
    finally:
        con.close()
    out = []
    for item_id, sev, received, status_now, decided, reply_owed, unit_of in rows:
        at = _at(received)
        assert at is not None  # every item has its receipt
        out.append(il.Candidate(item_id, sev, at, status_now, _at(decided), bool(reply_owed),
                                unit_of))
    return out


def page_items(store: Path, item_ids: list[str], county: str, *, unit: str | None = None,
               area: str | None = None) -> dict[str, ib.InboxItem]:
    """The items of one page of the inbox in full, by id. The scope is repeated: with it the
    ids are looked for among the unit's rows (0.1 s at 1M items), without it in the whole
    table (0.3 s, and as long one by one)."""
    where, params = ["k.county = ?"], [county]
    for condition, value in (("k.unit = ?", unit), ("k.service_area = ?", area)):
        if value is not None:
            where.append(condition)
            params.append(value)
    marks = ", ".join("?" * len(item_ids)) or "NULL"
    con = open_read_only(store)
    try:
        rows = con.execute(_ITEM_SQL + " WHERE " + " AND ".join(where)
                           + f" AND k.item_id IN ({marks})", [*params, *item_ids]).fetchall()
    finally:
        con.close()
    return {r[0]: _item(r) for r in rows}


def area_units(store: Path, county: str, area: str) -> list[str]:
    """The units of a service area that have classified items (leadership's unit filter)."""
    con = open_read_only(store)
    try:
        rows = con.execute("SELECT DISTINCT unit FROM knowledge_items WHERE county = ? AND "
                           "service_area = ? AND classifier_version IS NOT NULL AND unit IS "
                           "NOT NULL ORDER BY unit", [county, area]).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


@dataclass(frozen=True)
class ItemPage:
    """Everything the item page shows of one item."""

    item: ib.InboxItem
    county: str
    service_area: str
    unit: str | None
    explanation: str | None  # the classifier's one line: labels and the words that decided
    critical_suspected: bool
    critical_triggers: tuple[str, ...]
    classifier_labels: tuple[tuple[str, ...], str | None, str | None]  # themes, stance, severity
    path: dict[str, Any]  # sinks/audit/trace.py's shape
    history: tuple[LifecycleEvent, ...]


def where_is(store: Path, item_id: str) -> tuple[str, str, str | None] | None:
    """The item's county, service area and unit, or None when the store does not know it:
    the scope check runs on this before anything else of the item is read."""
    con = open_read_only(store)
    try:
        row = con.execute("SELECT county, service_area, unit FROM knowledge_items "
                          "WHERE item_id = ?", [item_id]).fetchone()
    finally:
        con.close()
    return (row[0], row[1], row[2]) if row else None


def item_page(store: Path, item_id: str) -> ItemPage | None:
    con = open_read_only(store)
    try:
        row = con.execute(_ITEM_SQL + " WHERE k.item_id = ?", [item_id]).fetchone()
        if row is None:
            return None
        extra = con.execute(
            "SELECT classifier_explanation, coalesce(critical_suspected, false), "
            "critical_triggers, themes, stance, severity FROM knowledge_items "
            "WHERE item_id = ?", [item_id]).fetchone()
        assert extra is not None
        try:
            path = trace(con, item_id)
        except UnknownItem:
            return None
        history = _history(con, item_id)
    finally:
        con.close()
    return ItemPage(
        item=_item(row), county=row[14], service_area=row[13], unit=row[12],
        explanation=extra[0], critical_suspected=bool(extra[1]),
        critical_triggers=tuple(extra[2] or ()),
        classifier_labels=(tuple(extra[3] or ()), extra[4], extra[5]),
        path=path, history=history)


def _history(con: duckdb.DuckDBPyConnection, item_id: str) -> tuple[LifecycleEvent, ...]:
    """The item's accepted lifecycle events in the lifecycle topic's order: managers/
    unit_store.py `_histories` for one item, each table narrowed to the item first (that one
    joined every event of the store, 0.2 s at 1M items)."""
    rows = con.execute(
        'SELECT e.payload FROM (SELECT event_id, "partition", "offset" FROM lifecycle '
        "WHERE item_id = $item) AS l JOIN (SELECT event_id, payload FROM events "
        "WHERE item_id = $item) AS e USING (event_id) "
        'ORDER BY l."partition", l."offset"', {"item": item_id}).fetchall()
    events = (parse(p.encode()) for (p,) in rows if p is not None)
    return tuple(e for e in events if isinstance(e, LifecycleEvent))


def has_step(store: Path, item_id: str, event_id: str) -> bool:
    """Whether the store has the lifecycle step of that event id (a request once accepted)."""
    con = open_read_only(store)
    try:
        row = con.execute("SELECT count(*) FROM lifecycle WHERE item_id = ? AND "
                          "event_id = TRY_CAST(? AS UUID)", [item_id, event_id]).fetchone()
    finally:
        con.close()
    return bool(row and row[0])


@dataclass(frozen=True)
class Waiting:
    """A line of leadership's queue or a body's agenda."""

    item: ib.InboxItem
    unit: str | None
    since: datetime | None  # escalated, signalled or presented at
    body: str | None = None
    agenda_ref: str | None = None
    reason: str | None = None  # why it was escalated (the escalating person's words)


def leadership_queue(store: Path, county: str, area: str) -> list[Waiting]:
    """Escalations to the area not yet acknowledged by leadership, and the area's weekly
    signals (ag-…) waiting for acknowledgement; oldest first."""
    con = open_read_only(store)
    try:
        # (the time it has waited since is read with the row: reading it for every item of
        # the area, as before, took seconds at 1M items)
        rows = con.execute(
            _ITEM_SQL.replace("k.county\nFROM", "k.county, coalesce(k.escalated_at, "
                              "k.received_at)\nFROM")
            + " WHERE k.county = ? AND k.service_area = ? AND ("
            "k.status = 'escalated' OR (k.source_family = 'aggregate' AND "
            "k.status IN ('received', 'classified', 'routed') AND k.acknowledged_at IS NULL)) "
            "ORDER BY coalesce(k.escalated_at, k.received_at), k.item_id",
            [county, area]).fetchall()
        reasons = _escalation_reasons(con, [r[0] for r in rows])
    finally:
        con.close()
    return [Waiting(_item(r), r[12], r[15], reason=reasons.get(r[0])) for r in rows]


def _escalation_reasons(con: duckdb.DuckDBPyConnection, item_ids: list[str]) -> dict[str, str]:
    """Each item's latest escalation reason, so leadership sees why an item came to them
    without opening it. (A join with the ids: `list_contains` compared every escalation with
    every id, 13 s for an area's 3,000 at 1M items.)"""
    rows = con.execute(
        "SELECT item_id, arg_max(details->>'reason', occurred_at) FROM lifecycle "
        "WHERE step = 'escalated' AND item_id IN (SELECT unnest(?)) GROUP BY item_id",
        [item_ids]).fetchall()
    return {r[0]: r[1] for r in rows if r[1]}


def agenda(store: Path, county: str) -> list[Waiting]:
    """Items presented to the county's decision-makers and not yet decided; oldest first."""
    con = open_read_only(store)
    try:
        rows = con.execute(
            _ITEM_SQL + " WHERE k.county = ? AND k.status = 'presented' "
            "ORDER BY k.reached_decision_makers_at, k.item_id", [county]).fetchall()
        presented = _presentations(con, [r[0] for r in rows])
    finally:
        con.close()
    out = []
    for r in rows:
        at, body, ref = presented.get(r[0], (None, None, None))
        out.append(Waiting(_item(r), r[12], at, body, ref))
    return out


def _presentations(con: duckdb.DuckDBPyConnection, item_ids: list[str]
                   ) -> dict[str, tuple[datetime, str | None, str | None]]:
    rows = con.execute(
        "SELECT item_id, occurred_at, details->>'body', details->>'agenda_ref' FROM lifecycle "
        "WHERE step = 'presented' AND item_id IN (SELECT unnest(?))", [item_ids]).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}

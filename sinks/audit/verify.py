"""`kokemusvirta verify`: is every item's history in the store the one that was sealed?

Each lifecycle event carries `chain_prev` and `chain_hash` (schemas/chain.py). For every item this
checks, in the store's own terms:

- the payload kept in `events` still hashes to its `chain_hash` (the payload was not edited);
- `chain_prev` links every event to the one before it in the item's Kafka order, from a null
  start (nothing removed, inserted, reordered or forked);
- the `lifecycle` row and the `events` row agree with the payload, column by column (so editing
  a projection without the payload is caught too), and neither exists without the other;
- the `knowledge_items` row agrees with the sealed received/classified/routed events, and every
  milestone it claims has its lifecycle event (a removed tail leaves the chain itself unbroken);
- every table the sink materialises from the lifecycle (knowledge_items, the milestones, open
  obligations, a signal's members) equals its recomputation from the payloads (recompute.py,
  `Report.materialised`).

Then the worker's seals (sinks/audit/seals.py): every lifecycle event and dead letter signed by the
worker's key, and the store's rows adding up to the worker's signed checkpoints. Last the access
log (sinks/audit/access_log.py): its chains, the workplace's signatures and its rows.

Items whose events carry no chain fields (stores written before the worker sealed them) are
reported as unsealed, apart from altered ones: their rows are still compared with their payloads.

Comparisons run in DuckDB (events.sql, items.sql) and stream out as Arrow batches; only the hash
itself is computed in Python, because the canonical JSON is Python's.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from typing import Any

import duckdb
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from schemas.chain import chain_hash
from schemas.lifecycle import LifecycleEvent
from schemas.registry import LIFECYCLE_EVENTS
from sinks.audit import recompute
from sinks.audit.access_log import AccessLogReport, check_access_log
from sinks.audit.access_log import summary_lines as access_log_lines
from sinks.audit.seals import SealReport, check_seals, summary_lines

LIFECYCLE_TYPES = [str(t.model_fields["event_type"].default) for t in LIFECYCLE_EVENTS]
# What the sink leaves out of lifecycle.details (sinks/projection.py).
ENVELOPE_FIELDS = set(LifecycleEvent.model_fields) | {"event_type", "schema_version"}
BATCH_ROWS = 20_000
SLICE_EVENTS = 100_000  # lifecycle events per query at most (on average): bounds the memory


class ItemState(StrEnum):
    INTACT = "intact"  # every event sealed, chain and rows as sealed
    UNSEALED = "unsealed"  # no event carries chain fields; rows agree with payloads
    PARTLY_SEALED = "partly_sealed"  # unsealed events first, then a sealed chain from null
    ALTERED = "altered"


class Check(StrEnum):
    PAYLOAD_ALTERED = "payload_altered"
    CHAIN_START = "chain_start"
    CHAIN_BREAK = "chain_break"
    SEAL_REMOVED = "seal_removed"
    LIFECYCLE_ROW_DIFFERS = "lifecycle_row_differs"
    EVENT_ROW_DIFFERS = "event_row_differs"
    ITEM_ROW_DIFFERS = "item_row_differs"
    MISSING_EVENT_ROW = "missing_event_row"
    MISSING_LIFECYCLE_ROW = "missing_lifecycle_row"
    MISSING_PAYLOAD = "missing_payload"
    UNREADABLE_PAYLOAD = "unreadable_payload"
    MISSING_STEP = "missing_step"


@dataclass(frozen=True)
class Problem:
    check: Check
    detail: str
    event_id: str | None = None
    step: str | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check.value, "detail": self.detail, "event_id": self.event_id,
                "step": self.step, "topic": self.topic, "partition": self.partition,
                "offset": self.offset}

    def where(self) -> str:
        if self.event_id is None:
            return ""
        return f"{self.step} {self.topic}[{self.partition}]@{self.offset}"


@dataclass(frozen=True)
class EventCheck:
    """One lifecycle event's verdict, in the item's Kafka order (trace shows these)."""

    item_id: str
    event_id: str
    step: str
    sealed: bool
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Report:
    items: dict[str, ItemState] = field(default_factory=dict)
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    events: dict[str, list[EventCheck]] = field(default_factory=dict)  # only when asked for
    # what the materialised tables hold that the lifecycle does not give, by item
    materialised: dict[str, list[recompute.Difference]] = field(default_factory=dict)
    events_checked: int = 0
    seconds: float = 0.0
    seals: SealReport = field(default_factory=SealReport)
    access_log: AccessLogReport = field(default_factory=AccessLogReport)

    def ids(self, state: ItemState) -> list[str]:
        return sorted(i for i, s in self.items.items() if s is state)

    def count(self, state: ItemState) -> int:
        return sum(1 for s in self.items.values() if s is state)

    @property
    def altered(self) -> bool:
        return any(s is ItemState.ALTERED for s in self.items.values())

    @property
    def failed(self) -> bool:
        """What makes `verify` exit 1: an altered history, a forged event or a deletion."""
        return self.altered or self.seals.failed or self.access_log.failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "items_checked": len(self.items),
            "events_checked": self.events_checked,
            "intact": self.count(ItemState.INTACT),
            "unsealed": self.count(ItemState.UNSEALED),
            "partly_sealed": self.count(ItemState.PARTLY_SEALED),
            "altered": self.count(ItemState.ALTERED),
            "altered_items": [
                {"item_id": i, "problems": [p.as_dict() for p in self.problems.get(i, [])],
                 "materialised": [d.as_dict() for d in self.materialised.get(i, [])]}
                for i in self.ids(ItemState.ALTERED)
            ],
            "unsealed_items": self.ids(ItemState.UNSEALED),
            "partly_sealed_items": self.ids(ItemState.PARTLY_SEALED),
            "seals": self.seals.as_dict(),
            "access_log": self.access_log.as_dict(),
            "seconds": round(self.seconds, 3),
        }


def _sql(name: str) -> str:
    return resources.files("sinks.audit").joinpath(name).read_text(encoding="utf-8")


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """A temporary view of lifecycle with its chain columns, NULL where the store predates them
    (a read-only snapshot cannot be migrated)."""
    columns = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'lifecycle'"
    ).fetchall()}
    chain = ", ".join(c if c in columns else f"CAST(NULL AS VARCHAR) AS {c}"
                      for c in ("chain_prev", "chain_hash", "actor_pseudonym"))
    con.execute("CREATE OR REPLACE TEMP VIEW audit_lifecycle AS SELECT "
                "event_id, item_id, step, actor_role, occurred_at, recorded_at, county, unit, "
                f'details, topic, "partition", "offset", {chain} FROM lifecycle')


def check_event(row: dict[str, Any]) -> list[Problem]:
    """The verdict on one row of events.sql. Pure: no I/O."""
    out: list[Problem] = []

    def problem(check: Check, detail: str) -> None:
        out.append(Problem(check, detail, row["event_id"], row["step"], row["topic"],
                           row["partition"], row["offset"]))

    if not row["has_event_row"]:
        problem(Check.MISSING_EVENT_ROW, "the lifecycle row has no row in events")
    elif not row["has_lifecycle_row"]:
        problem(Check.MISSING_LIFECYCLE_ROW, "the event has no row in lifecycle")
    if row["has_event_row"] and row["payload"] is None:
        problem(Check.MISSING_PAYLOAD, "the events row has no payload")
    elif row["payload"] is not None:
        try:
            payload = json.loads(row["payload"])
        except (ValueError, RecursionError):  # nested too deep is unreadable too
            payload = None
        if not isinstance(payload, dict):
            problem(Check.UNREADABLE_PAYLOAD, "the payload is not a JSON object")
        else:
            sealed_as = payload.get("chain_hash")
            if sealed_as is not None and chain_hash(payload) != sealed_as:
                problem(Check.PAYLOAD_ALTERED,
                        f"the payload no longer hashes to its chain_hash {_short(sealed_as)}")
            if row["has_lifecycle_row"]:
                details = {k: v for k, v in payload.items() if k not in ENVELOPE_FIELDS}
                try:
                    stored = json.loads(row["details"]) if row["details"] else {}
                except (ValueError, RecursionError):
                    stored = None  # unreadable details differ from any payload
                if stored != details:
                    problem(Check.LIFECYCLE_ROW_DIFFERS,
                            "lifecycle.details differs from the payload")
    for column, check in (("lifecycle_columns_differing", Check.LIFECYCLE_ROW_DIFFERS),
                          ("event_columns_differing", Check.EVENT_ROW_DIFFERS)):
        if row[column]:
            problem(check, f"differs from the payload: {row[column]}")
    own, prev, before = row["own_hash"], row["own_prev"], row["previous_hash"]
    if own is not None and prev != before:
        if row["position"] == 1:
            problem(Check.CHAIN_START, f"the item's first stored event links to "
                    f"{_short(prev)}: earlier events are missing")
        else:
            problem(Check.CHAIN_BREAK, f"links to {_short(prev)} but the event before it "
                    f"hashes to {_short(before)}: an event was removed, inserted or reordered")
    elif own is None and (prev is not None or row["sealed_before"]):
        problem(Check.SEAL_REMOVED, "unsealed, but "
                + ("it links to a previous hash" if prev is not None else
                   "an earlier event of the item is sealed"))
    return out


def _short(h: str | None) -> str:
    return "null" if h is None else h[:12]


def _rows(con: duckdb.DuckDBPyConnection, item: str | None, total: int
          ) -> Iterator[dict[str, Any]]:
    """The rows of events.sql, item by item, one slice of the items per query."""
    buckets = 1 if item else max(1, -(-total // SLICE_EVENTS))
    for bucket in range(buckets):
        reader = con.execute(_sql("events.sql"), {
            "item": item, "types": LIFECYCLE_TYPES, "buckets": buckets, "bucket": bucket,
        }).to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            columns = batch.to_pydict()
            names = list(columns)
            for values in zip(*columns.values(), strict=True):
                yield dict(zip(names, values, strict=True))


def verify(
    con: duckdb.DuckDBPyConnection,
    item: str | None = None,
    keep_events: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    progress_every: int = 100_000,
    trusted_keys: dict[str, Ed25519PublicKey] | None = None,
    access_keys: dict[str, Ed25519PublicKey] | None = None,
) -> Report:
    """Check every item (or one) in the store `con` has open; see the module's docstring.
    `trusted_keys`: the auditor's own copy of the worker's public keys (else the store's);
    `access_keys` the same for the workplace's keys, which sign the access log."""
    started = time.monotonic()
    prepare(con)
    con.execute("SET enable_progress_bar = false")
    total = _count(con, item) if item is None else 0  # one item: one query, no progress
    report = Report()
    sealed: dict[str, set[bool]] = {}
    for row in _rows(con, item, total):
        problems = check_event(row)
        item_id = row["item_id"]
        report.events_checked += 1
        sealed.setdefault(item_id, set()).add(row["own_hash"] is not None)
        report.problems.setdefault(item_id, []).extend(problems)
        if keep_events:
            report.events.setdefault(item_id, []).append(EventCheck(
                item_id, row["event_id"], row["step"], row["own_hash"] is not None,
                tuple(problems)))
        if on_progress and report.events_checked % progress_every == 0:
            on_progress(report.events_checked, total)
    for item_id, check, detail in con.execute(_sql("items.sql"), {"item": item}).fetchall():
        sealed.setdefault(item_id, set())
        problems = report.problems.setdefault(item_id, [])
        if check == "item_row_differs":
            problems.append(Problem(Check.ITEM_ROW_DIFFERS, f"differs from the sealed events: "
                                    f"{detail}"))
        elif check == "missing_step":
            problems.append(Problem(Check.MISSING_STEP, f"knowledge_items says the item reached "
                                    f"{detail}, but there is no such lifecycle event"))
    for d in recompute.differences(con, item):
        sealed.setdefault(d.item_id, set())
        report.materialised.setdefault(d.item_id, []).append(d)
    for item_id, kinds in sealed.items():
        report.items[item_id] = (
            ItemState.ALTERED if report.problems.get(item_id) or report.materialised.get(item_id)
            else ItemState.INTACT if kinds == {True}
            else ItemState.PARTLY_SEALED if kinds == {True, False}
            else ItemState.UNSEALED
        )
    report.problems = {i: p for i, p in report.problems.items() if p}
    report.seals = check_seals(con, item, trusted_keys)
    report.access_log = check_access_log(con, access_keys)
    report.seconds = time.monotonic() - started
    return report


def _count(con: duckdb.DuckDBPyConnection, item: str | None) -> int:
    row = con.execute("SELECT count(*) FROM audit_lifecycle "
                      "WHERE $item::VARCHAR IS NULL OR item_id = $item::VARCHAR",
                      {"item": item}).fetchone()
    return int(row[0]) if row else 0


def summary(report: Report, store: str, limit: int = 15) -> str:
    """One screen: counts, then the altered items with what broke."""
    lines = [
        f"verified {store}: {len(report.items)} items, {report.events_checked} lifecycle events "
        f"in {report.seconds:.1f} s",
        f"  intact (sealed, unchanged): {report.count(ItemState.INTACT)}",
        f"  altered:                    {report.count(ItemState.ALTERED)}",
        f"  unsealed (no chain fields): {report.count(ItemState.UNSEALED)}"
        + (f", partly sealed: {report.count(ItemState.PARTLY_SEALED)}"
           if report.count(ItemState.PARTLY_SEALED) else ""),
    ]
    lines.extend(summary_lines(report.seals, limit))
    lines.extend(access_log_lines(report.access_log, limit))
    altered = report.ids(ItemState.ALTERED)
    if altered:
        lines.append("")
        lines.append("ALTERED: the history of these items is not the one that was sealed")
        for item_id in altered[:limit]:
            problems = report.problems.get(item_id, [])
            lines.append(f"  {item_id}")
            for p in problems[:3]:
                where = p.where()
                lines.append(f"    {p.check.value}: {where + ': ' if where else ''}{p.detail}")
            if len(problems) > 3:
                lines.append(f"    … and {len(problems) - 3} more problem(s)")
            lines += recompute.summary_lines(report.materialised.get(item_id, []))
        if len(altered) > limit:
            lines.append(f"  … and {len(altered) - limit} more item(s); --json lists them all")
    unsealed = report.ids(ItemState.UNSEALED)
    if unsealed:
        lines.append("")
        lines.append(f"unsealed (written before events were sealed; their rows still agree with "
                     f"their payloads): {', '.join(unsealed[:5])}"
                     + (f" … and {len(unsealed) - 5} more" if len(unsealed) > 5 else ""))
    return "\n".join(lines)

"""`kokemusvirta trace ITEM`: one item's whole path, from the client's words to the return.

`trace()` gathers the path from the store as a plain dict (the `--json` shape, documented in the
README); `render()` turns that dict into text for a person. Each lifecycle event carries the
verdict of `verify` on it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import duckdb

from schemas.vocabulary import STEPS
from sinks.audit.verify import ItemState, verify

STEP_NAMES_FI = {step: words["fi"] for step, words in STEPS.items()}
STATE_NAMES_FI = {
    ItemState.INTACT: "ehjä",
    ItemState.ALTERED: "MUUTETTU",
    ItemState.UNSEALED: "sinetöimätön",
    ItemState.PARTLY_SEALED: "osin sinetöity",
}


class UnknownItem(LookupError):
    pass


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, datetime) else v


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description or []]
    return [{n: _iso(v) for n, v in zip(names, row, strict=True)} for row in cur.fetchall()]


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                      [name]).fetchone()
    return bool(row and row[0])


def trace(con: duckdb.DuckDBPyConnection, item_id: str) -> dict[str, Any]:
    """The item's path as a plain dict; UnknownItem if the store has never heard of it."""
    report = verify(con, item=item_id, keep_events=True)  # also creates audit_lifecycle
    items = _dicts(con.execute("SELECT * FROM knowledge_items WHERE item_id = ?", [item_id]))
    if not items and item_id not in report.items:
        raise UnknownItem(f"no item {item_id} in the store")
    item = items[0] if items else {"item_id": item_id}
    source = _dicts(con.execute(
        'SELECT CAST(event_id AS VARCHAR) AS event_id, event_type, topic, "partition", '
        '"offset", kafka_timestamp, occurred_at FROM events '
        "WHERE event_id = TRY_CAST(? AS UUID)", [item.get("source_event_id")]))
    rows = _dicts(con.execute(
        'SELECT CAST(event_id AS VARCHAR) AS event_id, step, actor_role, occurred_at, '
        'recorded_at, CAST(details AS VARCHAR) AS details, topic, "partition", "offset", '
        "chain_prev, chain_hash, actor_pseudonym FROM audit_lifecycle WHERE item_id = ? "
        'ORDER BY topic, "partition", "offset", event_id', [item_id]))
    forwarded = _dicts(con.execute(
        'SELECT CAST(event_id AS VARCHAR) AS event_id, topic, "partition", "offset" '
        "FROM events WHERE item_id = ? AND event_type = 'item.forwarded' "
        'ORDER BY topic, "offset"', [item_id]))
    verdicts = {e.event_id: e for e in report.events.get(item_id, [])}
    lifecycle = []
    routes: list[dict[str, Any]] = []
    unreadable = 0
    for r in rows:
        details = _details(r.pop("details"))
        if details is None:
            unreadable += 1  # shown as such: one altered row must not hide the whole path
            details = {}
        verdict = verdicts.get(r["event_id"])
        ok = None if verdict is None or (verdict.ok and not verdict.sealed) else verdict.ok
        lifecycle.append({"step": r["step"], "step_fi": STEP_NAMES_FI.get(r["step"], r["step"]),
                          **r, "details": details, "chain_ok": ok})
        if r["step"] == "routed":
            routes = [{**route, "forwarded": next(
                (f for f in forwarded if f["topic"] == route.get("topic")), None)}
                for route in details.get("routes", [])]
    state = report.items.get(item_id, ItemState.UNSEALED)
    # Only when there are some, so that the documented shape of a sound path is unchanged.
    unreadable_rows = {"unreadable_details": unreadable} if unreadable else {}
    return {
        "item_id": item_id,
        "source_family": item.get("source_family"),
        "county": item.get("county"),
        "service_area": item.get("service_area"),
        "unit": item.get("unit"),
        "language": item.get("language"),
        "status": item.get("status"),
        "source": source[0] if source else (
            {"event_id": item["source_event_id"], "event_type": None, "topic": None,
             "partition": None, "offset": None, "kafka_timestamp": None, "occurred_at": None}
            if item.get("source_event_id") else None),
        "text": item.get("text"),
        "classification": None if item.get("classifier_version") is None else {
            "themes": item.get("themes"), "stance": item.get("stance"),
            "severity": item.get("severity"),
            "classifier_version": item.get("classifier_version"),
            "rules": item.get("classifier_rules"),
        },
        "routes": routes,
        "lifecycle": lifecycle,
        "chain": {"state": state.value,
                  "problems": [p.as_dict() for p in report.problems.get(item_id, [])]
                  + [d.as_problem() for d in report.materialised.get(item_id, [])]},
        "aggregate_members": _members(con, item_id, "aggregate_item_id", "member_item_id"),
        "member_of": _members(con, item_id, "member_item_id", "aggregate_item_id"),
        **unreadable_rows,
    }


def _details(text: str | None) -> dict[str, Any] | None:
    """A lifecycle row's stored details; None when they cannot be read (not JSON, not an object,
    nested too deep for the parser: a store altered by hand)."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _members(con: duckdb.DuckDBPyConnection, item_id: str, key: str, other: str) -> list[str]:
    if not _has_table(con, "aggregate_members"):
        return []
    rows = con.execute(f"SELECT {other} FROM aggregate_members WHERE {key} = ? ORDER BY 1",
                       [item_id]).fetchall()
    return [r[0] for r in rows]


# --- text for a person -------------------------------------------------------------------------

def _when(v: str | None) -> str:
    if v is None:
        return "-"
    return datetime.fromisoformat(v).strftime("%Y-%m-%d %H:%M:%S %Z")


def _at(d: dict[str, Any] | None) -> str:
    if not d or d.get("topic") is None:
        return "(not in the store)"
    return f"{d['topic']}[{d['partition']}]@{d['offset']}"


def _detail_lines(details: dict[str, Any]) -> list[str]:
    shown = []
    for key, value in details.items():
        if key in {"item", "classification", "routes"} or value in (None, "", [], {}):
            continue  # shown in their own sections above
        shown.append(f"{key}: {value}")
    return shown


def render(t: dict[str, Any]) -> str:
    where = " / ".join(str(x) for x in (t["county"], t["service_area"], t["unit"]) if x)
    state = ItemState(t["chain"]["state"])
    out = [
        f"Tietoalkio (knowledge item) {t['item_id']}  {t['source_family'] or ''}  {where}",
        f"  tila (status): {t['status']}   ketju (chain): {STATE_NAMES_FI[state]} ({state.value})",
        "",
        "Lähde (source event)",
    ]
    src = t["source"]
    if src:
        out.append(f"  {src['event_type'] or '?'} {src['event_id']}  {_at(src)}  "
                   f"appended {_when(src['kafka_timestamp'])}")
    else:
        out.append("  (none recorded)")
    out += ["", "Teksti (text, redacted)"]
    out += [f"  {line}" for line in (t["text"] or "(no text)").splitlines()]
    c = t["classification"]
    out += ["", "Luokittelu (classification)"]
    if c:
        out.append(f"  themes: {', '.join(c['themes'] or [])}; stance: {c['stance']}; "
                   f"severity: {c['severity']}; classifier {c['classifier_version']}")
        out.append(f"  rules that fired: {', '.join(c['rules'] or []) or '-'}")
    else:
        out.append("  (not classified)")
    out += ["", "Ohjaukset (routes)"]
    for r in t["routes"] or []:
        flag = "  VÄLITÖN HUOMIO (immediate attention)" if r.get("immediate_attention") else ""
        out.append(f"  {r.get('level')}: {r.get('topic')}{flag}")
        out.append(f"    reason: {r.get('reason')}")
        out.append(f"    forwarded copy: {_at(r.get('forwarded'))}")
    if not t["routes"]:
        out.append("  (not routed)")
    out += ["", "Elinkaari (lifecycle)   ✓ chain verifies  ✗ altered  · unsealed"]
    for e in t["lifecycle"]:
        mark = {True: "✓", False: "✗", None: "·"}[e["chain_ok"]]
        short = (e["chain_hash"] or "")[:12] or "-"
        who = e["actor_role"] + (f" {e['actor_pseudonym']}" if e.get("actor_pseudonym") else "")
        out.append(f"  {mark} {e['step_fi']} ({e['step']})  by {who}  "
                   f"at {_when(e['occurred_at'])}")
        out.append(f"      recorded {_when(e['recorded_at'])}  {_at(e)}  hash {short}")
        out += [f"      {line}" for line in _detail_lines(e["details"])]
    if t["aggregate_members"]:
        out += ["", f"Koosteen jäsenet (aggregate's members, {len(t['aggregate_members'])})"]
        out += [f"  {m}" for m in t["aggregate_members"]]
    if t["member_of"]:
        out += ["", "Kuuluu koosteisiin (member of aggregates)"]
        out += [f"  {m}" for m in t["member_of"]]
    if t.get("unreadable_details"):
        out += ["", f"LUKEMATON (unreadable): the details of {t['unreadable_details']} "
                "lifecycle row(s) cannot be read; they are left out above"]
    if t["chain"]["problems"]:
        out += ["", "MUUTETTU (altered): this history is not the one that was sealed"]
        for p in t["chain"]["problems"]:
            at = f"{p['step']} {p['topic']}[{p['partition']}]@{p['offset']}: " \
                if p["event_id"] else ""
            out.append(f"  {p['check']}: {at}{p['detail']}")
    return "\n".join(out)

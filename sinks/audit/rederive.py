"""What the sink's materialised rows should hold, derived a second time from the sealed lifecycle
payloads (the `events` rows' JSON): pure, no I/O. `sinks/audit/recompute.py` reads the store and
compares.

A second derivation on purpose: the sink fills knowledge_items in `sinks/projection.py` and
`sinks/write_batch.sql`, and item_milestones_materialised and open_obligations in SQL
(`sinks/views.sql`, `sinks/milestones.sql`); this is Python over the payloads, written from the
rules in docs/design.md §2.6 and docs/data-dictionary.md, so a bug or an edit in one is caught by
the other. The rules it restates:

- a step's time is its first event's occurred_at (steps are never repeated or reordered; the
  lifecycle's state machine holds that);
- reached leadership: the first event by leadership or a decision-maker, the presentation to
  decision-makers, or leadership's step on a weekly signal holding the item; acknowledged: the
  first acknowledgement or (in item_milestones_materialised) reaching leadership;
- knowledge_items keeps the item's own furthest step as `status`, and counts a signal's
  presentation (by anyone) as its members reaching leadership; item_milestones_materialised
  counts only the signal's leadership and decision-maker events (as sinks/views.sql says).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from schemas.deadlines import due_date, finnish_date, working_days_between

LEADERSHIP_ROLES = frozenset({"leadership", "decision_maker"})
# A person's word on the labels: no step in handling the item, so it moves no milestone; the
# labels it gives count in item_milestones_materialised (sinks/labels.sql).
LABEL_STEPS = frozenset({"relabelled", "severity_confirmed"})
# The notifier's deliveries and notices (sinks/notifications.sql): side steps too, which move
# no milestone and no status.
NOTIFIER_STEPS = frozenset({"reply_delivery", "staff_notified"})
# The item's furthest own step, in the order knowledge_items.status names it.
STATUS_ORDER = ("closed", "returned", "decided", "presented", "acknowledged_by_leadership",
                "escalated", "acknowledged", "routed", "classified")
# knowledge_items' columns copied from the received event's item.
ITEM_FIELDS = ("source_family", "source_event_id", "county", "service_area", "unit", "language",
               "channel", "rating", "reply_requested", "contact_given", "workshop_id", "target",
               "decision_ref", "text", "client_pseudonym", "author_role")
STEP_COLUMNS = {"received": "received_at", "classified": "classified_at", "routed": "routed_at",
                "escalated": "escalated_at", "presented": "reached_decision_makers_at",
                "decided": "decided_at", "returned": "returned_at", "closed": "closed_at"}
DEADLINE_ORDER = {"acknowledge": 1, "decide_or_answer": 2, "return_after_decision": 3,
                  "reply_to_client": 4}


class OneOf(tuple[Any, ...]):
    """An expected value where the sink may rightly have written any of several (compare
    accepts each)."""


@dataclass(frozen=True)
class SignalReach:
    """A weekly signal's reach, as its members inherit it."""

    any_leadership_at: datetime | None  # leadership/decision-maker event or presentation
    leadership_role_at: datetime | None  # leadership/decision-maker event only


def at(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["occurred_at"])


def step_of(event: dict[str, Any]) -> str:
    return str(event.get("event_type", "")).removeprefix("item.")


def _earliest(*times: datetime | None) -> datetime | None:
    known = [t for t in times if t is not None]
    return min(known) if known else None


@dataclass
class Steps:
    """One pass over an item's lifecycle payloads (Kafka order): each step's first event and
    earliest time, and the times the reach rules need."""

    first: dict[str, dict[str, Any]]
    earliest: dict[str, datetime]
    leadership_at: datetime | None = None  # first event by leadership or a decision-maker
    acknowledged_by_leadership: bool = False
    returned_to_client_at: datetime | None = None
    human: dict[str, Any] | None = None  # a person's labels, the last given of each


    @classmethod
    def of(cls, events: list[dict[str, Any]]) -> Steps:
        steps = cls({}, {})
        for e in events:
            step, when = step_of(e), at(e)
            steps.first.setdefault(step, e)
            if step in LABEL_STEPS:
                steps.human = _human_labels(steps.human or {}, e, step)
                continue
            if step in NOTIFIER_STEPS:
                continue
            if step not in steps.earliest or when < steps.earliest[step]:
                steps.earliest[step] = when
            if e.get("actor_role") in LEADERSHIP_ROLES:
                steps.leadership_at = _earliest(steps.leadership_at, when)
                steps.acknowledged_by_leadership |= step == "acknowledged"
            if step == "returned" and e.get("returned_to") == "client":
                steps.returned_to_client_at = _earliest(steps.returned_to_client_at, when)
        return steps

    def item(self) -> dict[str, Any]:
        return dict((self.first.get("received") or {}).get("item") or {})


def _human_labels(human: dict[str, Any], event: dict[str, Any], step: str) -> dict[str, Any]:
    """The labels after one of a person's steps: a confirmation gives the severity (critical,
    or the one down-graded to), a relabelling each label it gives."""
    if step == "severity_confirmed":
        return {**human, "severity": event.get("downgraded_to") or "critical"}
    given = {k: event.get(k) for k in ("themes", "stance", "severity")
             if event.get(k) is not None}
    return {**human, **given}


def signal_reach(events: list[dict[str, Any]]) -> SignalReach:
    steps = Steps.of(events)
    return SignalReach(
        any_leadership_at=_earliest(steps.leadership_at, steps.earliest.get("presented")),
        leadership_role_at=steps.leadership_at)


def members_of(events: list[dict[str, Any]]) -> list[str]:
    return list(Steps.of(events).item().get("members") or [])


def item_row(events: list[dict[str, Any]] | Steps, signals: list[SignalReach]
             ) -> dict[str, Any] | None:
    """knowledge_items' row of an item from its lifecycle payloads (Kafka order), with the
    reach of the weekly signals holding it; None without a received event."""
    steps = events if isinstance(events, Steps) else Steps.of(events)
    received = steps.first.get("received")
    if received is None:
        return None
    item = steps.item()
    row: dict[str, Any] = {"item_id": received.get("item_id")}
    row.update({f: item.get(f) for f in ITEM_FIELDS})
    c = (steps.first.get("classified") or {}).get("classification")
    if c is not None:
        row.update(themes=c.get("themes"), stance=c.get("stance"), severity=c.get("severity"),
                   classifier_version=c.get("classifier_version"),
                   classifier_rules=c.get("rules"), text_language=c.get("language"),
                   classifier_explanation=c.get("explanation"),
                   critical_triggers=c.get("critical_triggers"),
                   critical_suspected=c.get("critical_suspected"))
    routed = steps.first.get("routed")
    if routed is not None:
        routes = routed.get("routes") or []
        row.update(routed_topics=[r.get("topic") for r in routes],
                   immediate_attention=any(r.get("immediate_attention") for r in routes))
    for step, column in STEP_COLUMNS.items():
        row[column] = steps.earliest.get(step)
    via = _earliest(*(s.any_leadership_at for s in signals))
    own_ack = steps.earliest.get("acknowledged")
    row["acknowledged_at"] = _earliest(own_ack, via)
    row["reached_leadership_at"] = _earliest(steps.leadership_at,
                                             steps.earliest.get("presented"), via)
    row["status"] = _status(steps, row, own_ack, inherited_ack=via is not None)
    return row


def _status(steps: Steps, row: dict[str, Any], own_ack: datetime | None,
            inherited_ack: bool) -> Any:
    reached = {
        "closed": row["closed_at"], "returned": row["returned_at"], "decided": row["decided_at"],
        "presented": row["reached_decision_makers_at"],
        "acknowledged_by_leadership": steps.acknowledged_by_leadership,
        "escalated": row["escalated_at"], "acknowledged": own_ack,
        "routed": row["routed_at"], "classified": row["classified_at"],
    }
    status = next((s for s in STATUS_ORDER if reached[s]), "received")
    if inherited_ack and status in ("received", "classified", "routed"):
        # The sink keeps the member's own step, unless one of its own events is written after
        # the signal's acknowledgement: then the inherited acknowledgement shows.
        return OneOf((status, "acknowledged"))
    return status


def milestone_row(events: list[dict[str, Any]] | Steps, signals: list[SignalReach],
                  deadlines: dict[str, tuple[int, str]], item: dict[str, Any] | None = None
                  ) -> dict[str, Any] | None:
    """item_milestones_materialised's row of a client item (None for a signal, or without a
    received event); `deadlines`: the store's deadlines table, name -> (amount, unit); `item`:
    its item_row when already made (only columns no signal moves are read from it)."""
    steps = events if isinstance(events, Steps) else Steps.of(events)
    base = item if item is not None else item_row(steps, [])
    if base is None or base["source_family"] == "aggregate" \
            or str(base["item_id"]).startswith("ag-"):
        return None
    leadership_step = steps.leadership_at
    presented = base["reached_decision_makers_at"]
    via = _earliest(*(s.leadership_role_at for s in signals))
    decided, returned = steps.first.get("decided") or {}, steps.first.get("returned") or {}
    row = {k: base.get(k) for k in (
        "item_id", "source_family", "county", "service_area", "unit", "channel", "language",
        "themes", "stance", "severity", "reply_requested", "contact_given", "received_at",
        "escalated_at", "reached_decision_makers_at", "decided_at", "returned_at", "closed_at")}
    row.update(steps.human or {})  # the labels that count: a person's where given
    above = _earliest(leadership_step, presented)
    row.update(
        acknowledged_at=_earliest(steps.earliest.get("acknowledged"), leadership_step, via,
                                  presented),
        reached_leadership_at=_earliest(leadership_step, via, presented),
        reached_leadership_via_aggregate=via is not None and (above is None or via < above),
        outcome=decided.get("outcome"), decision_rationale=decided.get("rationale"),
        returned_to=returned.get("returned_to"),
        returned_to_client_at=steps.returned_to_client_at)
    received_on = finnish_date(base["received_at"])
    decided_on = finnish_date(row["decided_at"]) if row["decided_at"] else None
    row.update(received_on=received_on, decided_on=decided_on,
               month_received=received_on.replace(day=1))
    for name, column, start in (
            ("to_acknowledge", "acknowledged_at", row["received_at"]),
            ("to_reach_leadership", "reached_leadership_at", row["received_at"]),
            ("to_decide", "decided_at", row["received_at"]),
            ("to_return", "returned_at", row["received_at"]),
            ("decision_to_return", "returned_at", row["decided_at"])):
        row[f"hours_{name}"], row[f"working_days_{name}"], row[f"days_{name}"] = \
            _span(start, row[column])
    row.update(
        acknowledge_due_on=_due(deadlines, "acknowledge", received_on),
        decide_or_answer_due_on=_due(deadlines, "decide_or_answer", received_on),
        return_after_decision_due_on=_due(deadlines, "return_after_decision", decided_on),
        reply_to_client_due_on=_due(deadlines, "reply_to_client", received_on)
        if row["reply_requested"] and row["contact_given"] else None)
    return row


def _span(start: datetime | None, end: datetime | None
          ) -> tuple[float | None, int | None, int | None]:
    """From start to end: hours, Finnish working days and calendar days (None without both)."""
    if start is None or end is None:
        return None, None, None
    start_on, end_on = finnish_date(start), finnish_date(end)
    return ((end.timestamp() - start.timestamp()) / 3600, _working_days(start_on, end_on),
            (end_on - start_on).days)


@lru_cache(maxsize=65_536)
def _working_days(start: date, end: date) -> int:
    return working_days_between(start, end)


@lru_cache(maxsize=65_536)
def _due_cached(start: date, amount: int, unit: str) -> date:
    return due_date(start, amount, unit)


def _due(deadlines: dict[str, tuple[int, str]], name: str, start: date | None) -> date | None:
    if start is None or name not in deadlines:
        return None
    return _due_cached(start, *deadlines[name])


def obligation_rows(milestones: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """open_obligations' rows of one item_milestones_materialised row, by deadline: each
    deadline an open item has not met yet and that has a due date."""
    m = milestones
    if m["closed_at"] is not None:
        return {}
    unmet = {
        "acknowledge": (m["received_at"], m["acknowledge_due_on"], m["acknowledged_at"] is None),
        "decide_or_answer": (m["received_at"], m["decide_or_answer_due_on"],
                             m["decided_at"] is None and m["returned_at"] is None),
        "return_after_decision": (m["decided_at"], m["return_after_decision_due_on"],
                                  m["returned_at"] is None),
        "reply_to_client": (m["received_at"], m["reply_to_client_due_on"],
                            m["returned_to_client_at"] is None),
    }
    rows = {
        name: {**{k: m[k] for k in ("item_id", "source_family", "county", "service_area",
                                    "unit", "channel", "themes", "severity", "month_received")},
               "deadline": name, "deadline_order": DEADLINE_ORDER[name], "started_at": started,
               "due_on": due, "earliest_due": False}
        for name, (started, due, not_met) in unmet.items() if not_met and due is not None
    }
    if rows:
        first = min(rows.values(), key=lambda r: (r["due_on"], r["deadline_order"]))
        first["earliest_due"] = True
    return rows

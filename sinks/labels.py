"""A person's word on an item's labels as the store keeps it (labels_human, sinks/labels.sql):
one row per item.relabelled or item.severity_confirmed the worker accepted. Pure, no I/O."""

from __future__ import annotations

from typing import Any

from schemas.lifecycle import ItemRelabelled, ItemSeverityConfirmed


def label_row(event: ItemRelabelled | ItemSeverityConfirmed, topic: str, partition: int,
              offset: int) -> dict[str, Any]:
    """labels_human's row: a relabelling's labels as given (NULL: not relabelled), or a
    confirmation's severity (critical, or the one down-graded to)."""
    themes: list[str] | None
    stance: str | None
    severity: str | None
    if isinstance(event, ItemSeverityConfirmed):
        themes, stance, severity = None, None, event.severity.value
        confirmation = "downgraded" if event.downgraded_to is not None else "confirmed"
    else:
        themes = None if event.themes is None else [t.value for t in event.themes]
        stance = event.stance.value if event.stance is not None else None
        severity = event.severity.value if event.severity is not None else None
        confirmation = None
    return {
        "event_id": event.event_id, "item_id": event.item_id,
        "step": event.event_type.removeprefix("item."), "actor_role": event.actor_role.value,
        "county": event.county, "unit": event.unit, "themes": themes, "stance": stance,
        "severity": severity, "confirmation": confirmation, "reason": event.reason,
        "occurred_at": event.occurred_at, "recorded_at": event.recorded_at,
        "topic": topic, "partition": partition, "offset": offset,
    }

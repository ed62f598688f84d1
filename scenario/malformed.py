"""Deliberately malformed intake records, each with the reason parse_source rejects it for."""

from __future__ import annotations

import random
from datetime import date, datetime

from scenario.feedback import FeedbackWriter
from scenario.mix import COUNTIES, UNITS
from scenario.participation import ParticipationWriter
from scenario.records import PersonalDatum, ScenarioRecord, dumps
from schemas.dead_letter import RejectionReason

MALFORMED_KINDS: tuple[tuple[str, RejectionReason], ...] = (
    ("csv_row", RejectionReason.NOT_JSON),
    ("json_array", RejectionReason.NOT_AN_OBJECT),
    ("unknown_event_type", RejectionReason.UNKNOWN_EVENT_TYPE),
    ("missing_text", RejectionReason.SCHEMA_VIOLATION),
    ("bad_channel", RejectionReason.SCHEMA_VIOLATION),
    ("future_schema_version", RejectionReason.UNSUPPORTED_SCHEMA_VERSION),
    ("truncated_json", RejectionReason.NOT_JSON),
    ("lifecycle_event_on_intake", RejectionReason.UNKNOWN_EVENT_TYPE),
    ("bad_workshop_target", RejectionReason.SCHEMA_VIOLATION),
    ("statement_schema_version_2", RejectionReason.UNSUPPORTED_SCHEMA_VERSION),
)


def malformed_record(
    rng: random.Random,
    feedback: FeedbackWriter,
    participation: ParticipationWriter,
    day: date,
    kind: str,
    reason: RejectionReason,
) -> tuple[datetime, ScenarioRecord]:
    """Bad input as it really arrives. Personal data may be in the payload, never in the key."""
    if kind == "bad_workshop_target":
        c, a, u = UNITS.pick(rng)
        payload, recorded = participation.workshop(day, "pop_up", c, a, u)
        payload["items"][0]["target"] = "aluehallitus"
        personal: list[PersonalDatum] = []
    elif kind == "statement_schema_version_2":
        payload, recorded = participation.statement(
            day, "area", "expert_by_experience", COUNTIES.pick(rng), None
        )
        payload["schema_version"] = 2
        personal = []
    else:
        payload, personal, _, recorded = feedback.payload(day, lang_override="fi")
    event_type: str | None = payload["event_type"]
    if kind == "csv_row":  # a spreadsheet row in Latin-1, pasted by mistake
        value = ";".join(
            (
                payload["occurred_at"][:10],
                payload["unit"],
                str(payload.get("rating", "")),
                payload["text"].replace("\n", " "),
            )
        ).encode("latin-1", errors="replace")
        event_type = None
    elif kind == "json_array":
        value, event_type = dumps([payload]), None
    elif kind == "truncated_json":
        full = dumps(payload)
        value, event_type = full[: len(full) // 2], None
    else:
        if kind == "unknown_event_type":
            payload["event_type"] = event_type = "feedback.created"
        elif kind == "missing_text":
            del payload["text"]
        elif kind == "bad_channel":
            payload["channel"] = "puhelin"
        elif kind == "future_schema_version":
            payload["schema_version"] = 99
        elif kind == "lifecycle_event_on_intake":
            payload = {
                k: payload[k] for k in ("event_id", "occurred_at", "recorded_at", "county", "unit")
            }
            payload.update(
                event_type="item.acknowledged",
                schema_version=1,
                item_id=f"fb-{rng.getrandbits(64):016x}",
                actor_role="unit_manager",
            )
            event_type = "item.acknowledged"
        value = dumps(payload)
    kept = tuple(
        p
        for p in personal
        if p.value.encode() in value or p.value.encode("latin-1", "replace") in value
    )
    return recorded, ScenarioRecord(value, None, reason, event_type, kept)

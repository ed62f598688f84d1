"""Factories for test events: valid by default, any field overridable."""

from __future__ import annotations

import json
import uuid
from typing import Any


def feedback(**overrides: Any) -> dict[str, Any]:
    e: dict[str, Any] = {
        "event_type": "feedback.submitted",
        "schema_version": 2,
        "event_id": str(uuid.uuid4()),
        "occurred_at": "2026-10-01T10:00:00+03:00",
        "recorded_at": "2026-10-01T10:00:05+03:00",
        "county": "lappi",
        "unit": "rovaniemen-terveysasema",
        "service_area": "perusterveydenhuolto",
        "channel": "electronic",
        "language": "fi",
        "text": "Jonotin puhelimessa tunnin, eikä kukaan vastannut.",
        "rating": 2,
        "respondent_role": "client",
        "reply_requested": True,
        "contact": "matti.meikalainen@example.fi",
    }
    e.update(overrides)
    return e


def workshop(**overrides: Any) -> dict[str, Any]:
    e: dict[str, Any] = {
        "event_type": "workshop.output_recorded",
        "schema_version": 1,
        "event_id": str(uuid.uuid4()),
        "occurred_at": "2026-10-05T14:00:00+03:00",
        "recorded_at": "2026-10-05T16:00:00+03:00",
        "county": "pirkanmaa",
        "unit": None,
        "workshop_id": "kehittajaryhma-2026-3",
        "group_id": "kehittajaryhma-2026",
        "meeting_number": 3,
        "forum_type": "structural",
        "held_on": "2026-10-05",
        "service_area": "ikaantyneiden-palvelut",
        "facilitator_count": 2,
        "participants": {"developer_client": 8, "staff": 2},
        "items": [
            {"text": "Kotihoidon käyntiajat kerrottava etukäteen.", "target": "unit"},
            {"text": "Omaishoidon vapaat joustavammiksi koko alueella.", "target": "county_policy"},
            {"text": "Palveluverkkoselvitykseen asiakkaiden kuuleminen.",
             "target": "decision_under_preparation", "decision_ref": "PHA/123/2026"},
        ],
    }
    e.update(overrides)
    return e


def statement(**overrides: Any) -> dict[str, Any]:
    e: dict[str, Any] = {
        "event_type": "expert_statement.issued",
        "schema_version": 1,
        "event_id": str(uuid.uuid4()),
        "occurred_at": "2026-10-07T09:00:00+03:00",
        "recorded_at": "2026-10-07T09:30:00+03:00",
        "county": "lappi",
        "author_role": "expert_by_experience",
        "service_area": "mielenterveys-ja-paihde",
        "topic": "Päihdepalveluiden palveluverkko",
        "decision_ref": "LAPHA/77/2026",
        "county_wide": True,
        "language": "fi",
        "text": "Kokemusasiantuntijoina esitämme, että matalan kynnyksen palvelut säilytetään.",
        "recommendations": ["Säilyttäkää matalan kynnyksen vastaanotto."],
    }
    e.update(overrides)
    return e


def as_bytes(event: dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode()

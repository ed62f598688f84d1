"""Upcasters: old payloads are rewritten to the current version before validation.

Each upcaster takes the raw dict of version N and returns version N+1. They are registered by
(event_type, from_version) and applied in a chain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]


def upcast_feedback_v1_v2(payload: Payload) -> Payload:
    """Version 1 of feedback.submitted had `lang` and `relative: bool`.

    Version 2 names the language `language` and the respondent by role (client or close one).
    """
    out = {k: v for k, v in payload.items() if k not in {"lang", "relative"}}
    out["schema_version"] = 2
    if "lang" in payload:
        out["language"] = payload["lang"]
    if "relative" in payload:
        out["respondent_role"] = "close_one" if payload["relative"] else "client"
    return out


def upcast_classification_v1_v2(payload: Payload) -> Payload:
    """Version 2 of item.classified and item.forwarded added the classification's optional
    `language`, `explanation` and `critical_triggers`; version 1 simply has none of them."""
    return {**payload, "schema_version": 2}


UPCASTERS: dict[tuple[str, int], Upcaster] = {
    ("feedback.submitted", 1): upcast_feedback_v1_v2,
    ("item.classified", 1): upcast_classification_v1_v2,
    ("item.forwarded", 1): upcast_classification_v1_v2,
}


def upcast(payload: Payload) -> Payload:
    """Apply upcasters until no more apply. Unknown versions are left for validation to reject."""
    while True:
        key = (payload.get("event_type"), payload.get("schema_version"))
        step = UPCASTERS.get(key)  # type: ignore[arg-type]
        if step is None:
            return payload
        payload = step(payload)

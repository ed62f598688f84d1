"""All event types, parsing raw bytes into events, and the rejection reasons when that fails."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from schemas.dead_letter import DeadLetterRecorded, FieldProblem, RejectionReason
from schemas.feedback import FeedbackSubmitted
from schemas.knowledge import ItemForwarded
from schemas.lifecycle import (
    ItemAcknowledged,
    ItemClassified,
    ItemClosed,
    ItemDecided,
    ItemEscalated,
    ItemPresented,
    ItemReceived,
    ItemReturned,
    ItemRouted,
)
from schemas.privacy import PersonForgotten
from schemas.signal import SignalDetected
from schemas.statement import ExpertStatementIssued
from schemas.upcasting import upcast
from schemas.workshop import WorkshopOutputRecorded

SourceEvent = FeedbackSubmitted | WorkshopOutputRecorded | ExpertStatementIssued | SignalDetected
SOURCE_EVENTS: tuple[type[SourceEvent], ...] = (
    FeedbackSubmitted,
    WorkshopOutputRecorded,
    ExpertStatementIssued,
    SignalDetected,
)
LIFECYCLE_EVENTS = (
    ItemReceived, ItemClassified, ItemRouted, ItemAcknowledged, ItemEscalated, ItemPresented,
    ItemDecided, ItemReturned, ItemClosed,
)
# person.forgotten goes to the lifecycle topic; it is about a person, not one item.
ALL_EVENTS = (
    *SOURCE_EVENTS, *LIFECYCLE_EVENTS, ItemForwarded, DeadLetterRecorded, PersonForgotten,
)

EVENT_CLASSES: dict[str, type[Any]] = {
    cls.model_fields["event_type"].default: cls for cls in ALL_EVENTS
}
CURRENT_VERSIONS: dict[str, int] = {
    name: cls.model_fields["schema_version"].default for name, cls in EVENT_CLASSES.items()
}

# Written out so type checkers see them; a test checks they list exactly ALL_EVENTS.
AnyEvent = Annotated[
    FeedbackSubmitted | WorkshopOutputRecorded | ExpertStatementIssued | SignalDetected
    | ItemReceived | ItemClassified | ItemRouted | ItemAcknowledged | ItemEscalated
    | ItemPresented | ItemDecided | ItemReturned | ItemClosed | ItemForwarded
    | DeadLetterRecorded | PersonForgotten,
    Field(discriminator="event_type"),
]
AnySourceEvent = Annotated[
    FeedbackSubmitted | WorkshopOutputRecorded | ExpertStatementIssued | SignalDetected,
    Field(discriminator="event_type"),
]
_ANY_EVENT: TypeAdapter[Any] = TypeAdapter(AnyEvent)
_SOURCE_EVENT: TypeAdapter[Any] = TypeAdapter(AnySourceEvent)


class InvalidEvent(Exception):
    """Raised with a reason code and a description that contains no payload values."""

    def __init__(
        self,
        reason: RejectionReason,
        detail: str,
        problems: tuple[FieldProblem, ...] = (),
        event_type: str | None = None,
        event_id: str | None = None,
        county: str | None = None,
    ) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
        self.problems = problems
        self.event_type = event_type
        self.event_id = event_id
        self.county = county


def _field_problems(error: ValidationError) -> tuple[FieldProblem, ...]:
    problems = []
    for e in error.errors(include_input=False, include_url=False, include_context=False):
        parts = list(e["loc"])
        if parts and parts[0] in EVENT_CLASSES:  # the discriminator's tag is not a location
            parts = parts[1:]
        loc = ".".join(str(p) for p in parts)
        problems.append(FieldProblem(location=loc or "(root)", problem=e["type"]))
    return tuple(problems[:20])


def _decode(raw: bytes | str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidEvent(
            RejectionReason.NOT_JSON, f"not valid JSON ({type(exc).__name__})"
        ) from None
    if not isinstance(data, dict):
        raise InvalidEvent(
            RejectionReason.NOT_AN_OBJECT, f"expected a JSON object, got {type(data).__name__}"
        )
    return data


_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_EVENT_TYPE = re.compile(r"[a-z][a-z_.]{0,59}")
_UUID = re.compile(r"[0-9a-fA-F-]{32,36}")


def _safe(value: Any, pattern: re.Pattern[str]) -> str | None:
    """Keep a payload value for the dead letter only if it cannot carry personal data."""
    return value if isinstance(value, str) and pattern.fullmatch(value) else None


def parse(raw: bytes | str | dict[str, Any], *, sources_only: bool = False) -> Any:
    """Parse one event, upcasting old versions. Raises InvalidEvent with the reason."""
    data = _decode(raw)
    event_type = data.get("event_type")
    meta = {
        "event_type": _safe(event_type, _EVENT_TYPE),
        "event_id": _safe(data.get("event_id"), _UUID),
        "county": _safe(data.get("county"), _CODE),
    }
    allowed = {c.model_fields["event_type"].default for c in SOURCE_EVENTS} if sources_only \
        else set(EVENT_CLASSES)
    if event_type not in allowed:
        kinds = ", ".join(sorted(allowed))
        raise InvalidEvent(
            RejectionReason.UNKNOWN_EVENT_TYPE,
            f"event_type must be one of: {kinds}",
            **meta,  # type: ignore[arg-type]
        )
    data = upcast(data)
    version = data.get("schema_version")
    if isinstance(version, int) and version != CURRENT_VERSIONS[event_type]:
        raise InvalidEvent(
            RejectionReason.UNSUPPORTED_SCHEMA_VERSION,
            f"{event_type} has no upcaster from schema_version {data.get('schema_version')!r}; "
            f"current is {CURRENT_VERSIONS[event_type]}",
            **meta,  # type: ignore[arg-type]
        )
    adapter = _SOURCE_EVENT if sources_only else _ANY_EVENT
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        problems = _field_problems(exc)
        where = ", ".join(f"{p.location} ({p.problem})" for p in problems[:5])
        raise InvalidEvent(
            RejectionReason.SCHEMA_VIOLATION,
            f"{len(problems)} field problem(s): {where}",
            problems,
            **meta,
        ) from None


def parse_source(raw: bytes | str | dict[str, Any]) -> SourceEvent:
    """Parse an intake event: only the source families are accepted on intake."""
    return parse(raw, sources_only=True)

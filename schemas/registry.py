"""All event types, parsing raw bytes into events, and the rejection reasons when that fails."""

from __future__ import annotations

import json
import math
import re
from collections import deque
from functools import cache
from itertools import accumulate
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from schemas.cleaning import clean_text
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
    ItemRelabelled,
    ItemReplyDelivery,
    ItemReturned,
    ItemRouted,
    ItemSeverityConfirmed,
    ItemStaffNotified,
    LifecycleEvent,
)
from schemas.privacy import PersonForgotten
from schemas.signal import SignalDetected
from schemas.sources import SourceRecorded
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
    ItemDecided, ItemReturned, ItemClosed, ItemSeverityConfirmed, ItemRelabelled,
    ItemReplyDelivery, ItemStaffNotified,
)
# person.forgotten goes to the lifecycle topic; it is about a person, not one item.
# source.recorded is the worker's redacted copy of an accepted source event (schemas/sources.py).
ALL_EVENTS = (
    *SOURCE_EVENTS, *LIFECYCLE_EVENTS, ItemForwarded, DeadLetterRecorded, PersonForgotten,
    SourceRecorded,
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
    | ItemPresented | ItemDecided | ItemReturned | ItemClosed | ItemSeverityConfirmed
    | ItemRelabelled | ItemReplyDelivery | ItemStaffNotified | ItemForwarded
    | DeadLetterRecorded | PersonForgotten | SourceRecorded,
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


# What a dead letter says in place of a key the schema does not know: the key could be anything a
# source system put there, a client's name or henkilötunnus too (`matti-virtanen-131052-308t`).
UNKNOWN_FIELD = "an unknown field"
# pydantic's own words in an error's location (a mapping's key is checked at `<field>.[key]`)
_LOCATION_MARKERS = frozenset({"[key]"})


def _location(parts: list[int | str]) -> str:
    """An error's location as a path of schema field names and list positions, any other part
    (a key the record made up) as UNKNOWN_FIELD."""
    known = _field_names()
    return ".".join(
        str(p) if isinstance(p, int) or p in known or p in _LOCATION_MARKERS else UNKNOWN_FIELD
        for p in parts)


def _field_problems(error: ValidationError) -> tuple[FieldProblem, ...]:
    problems = []
    for e in error.errors(include_input=False, include_url=False, include_context=False):
        parts = list(e["loc"])
        if parts and parts[0] in EVENT_CLASSES:  # the discriminator's tag is not a location
            parts = parts[1:]
        problems.append(FieldProblem(location=_location(parts) or "(root)", problem=e["type"]))
    return tuple(problems[:20])


# Bounds on what is parsed at all, checked before json and pydantic so that no record can make
# a reader use unbounded time, memory or stack. Every reader of raw records (worker, guard, sink,
# replay, trace) parses through here. A record is at most a few tens of kilobytes (a statement's
# 20,000 characters, or a workshop's 200 output items); 1,000,000 bytes also stays under the
# broker's default message.max.bytes (1,048,588), so whatever is within it can be published.
MAX_RECORD_BYTES = 1_000_000
# An event nests at most four levels (a workshop: object, items, item, text); the json module
# recurses once per level and the sink died with RecursionError at 10,000 levels.
MAX_NESTING = 64

# A JSON string (escapes included), an unterminated one (to the end: the decoder rejects it), or
# anything between strings. Possessive, so a pathological string cannot make the scan quadratic.
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"|"[\s\S]*', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]++")
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB]")


def _too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than MAX_NESTING, counted without recursing (the
    brackets outside strings). For text that is not JSON the count may be anything; then the
    decoder rejects it anyway, and never recurses deeper than the prefix counted here."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return False  # fewer openings than the limit cannot nest deeper: most records
    brackets = _NOT_A_BRACKET.sub("", _STRING.sub("", text))
    if brackets.count("[") + brackets.count("{") <= MAX_NESTING:
        return False
    return max(accumulate(1 if b in "[{" else -1 for b in brackets)) > MAX_NESTING


class _DuplicateKey(Exception):
    pass


class _NotANumber(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _DuplicateKey
    return obj


def _reject_constant(name: str) -> Any:
    raise _NotANumber(name)


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e999 is read as infinity without asking parse_constant
        raise _NotANumber(text)
    return number


# Made once: json.loads with hooks would build a decoder for every record.
_DECODER = json.JSONDecoder(
    object_pairs_hook=_unique_keys, parse_constant=_reject_constant, parse_float=_finite)


class _Pairs(list[tuple[str, Any]]):
    """An object as read, duplicates kept; only for naming the duplicate."""


@cache
def _field_names() -> frozenset[str]:
    """Names that may appear in a duplicate key's path: the events' field names and vocabulary.

    A key the schema does not know could be anything a source system put there, a client's name
    or e-mail address too, so a dead letter never repeats it (it says UNKNOWN_FIELD)."""
    names: set[str] = {"lang", "relative"}  # fields of feedback.submitted version 1
    schemas = [cls.model_json_schema() for cls in ALL_EVENTS]
    stack: list[Any] = list(schemas)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            names.update(k for k in node.get("properties", {}) if isinstance(k, str))
            names.update(v for v in node.get("enum", ()) if isinstance(v, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return frozenset(names)


def _duplicate_key_path(text: str) -> tuple[str, dict[str, Any]]:
    """The first duplicate key's path, as a FieldProblem location (e.g. items.0.text), and the
    top-level object (last value wins) for the dead letter's metadata. Depth is bounded here."""
    root = json.loads(text, object_pairs_hook=_Pairs)
    known = _field_names()
    queue: deque[tuple[str, Any]] = deque([("", root)])
    while queue:
        path, node = queue.popleft()
        if isinstance(node, _Pairs):
            seen: set[str] = set()
            for key, value in node:
                name = key if key in known else UNKNOWN_FIELD
                where = f"{path}.{name}" if path else name
                if key in seen:
                    return where, dict(root) if isinstance(root, _Pairs) else {}
                seen.add(key)
                queue.append((where, value))
        elif isinstance(node, list):
            queue.extend((f"{path}.{i}" if path else str(i), v) for i, v in enumerate(node))
    return "(root)", {}


def _text(raw: bytes | str) -> str:
    """The record as text, within the size bound; rejects what is empty or not UTF-8."""
    if not raw.strip():
        raise InvalidEvent(RejectionReason.EMPTY_RECORD,
                           "empty record (a tombstone or only whitespace): nothing to read")
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_RECORD_BYTES:
        raise InvalidEvent(RejectionReason.TOO_LARGE,
                           f"record is {size} bytes; at most {MAX_RECORD_BYTES} are read")
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")  # strict, and a byte order mark is not content
    except UnicodeDecodeError:
        raise InvalidEvent(RejectionReason.NOT_JSON, "not valid JSON (not UTF-8 text)") from None


def _decode(raw: bytes | str | dict[str, Any] | None) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    if raw is None:
        raise InvalidEvent(RejectionReason.EMPTY_RECORD,
                           "empty record (a tombstone: the value is null): nothing to read")
    text = _text(raw)
    if _too_deep(text):
        raise InvalidEvent(RejectionReason.TOO_DEEP,
                           f"arrays and objects nested deeper than {MAX_NESTING} levels")
    try:
        data = _DECODER.decode(text)
    except _DuplicateKey:
        where, top = _duplicate_key_path(text)
        raise InvalidEvent(
            RejectionReason.SCHEMA_VIOLATION,
            f"duplicate key {where}: each key may appear once in an object",
            (FieldProblem(location=where, problem="duplicate_key"),),
            **_meta(top),
        ) from None
    except _NotANumber:
        raise InvalidEvent(RejectionReason.NOT_JSON,
                           "not valid JSON (NaN and Infinity are not JSON numbers)") from None
    except (ValueError, RecursionError) as exc:  # RecursionError: a bound should have caught it
        raise InvalidEvent(
            RejectionReason.NOT_JSON, f"not valid JSON ({type(exc).__name__})"
        ) from None
    if _LONE_SURROGATE_ESCAPE.search(text) and not _encodable(data):
        raise InvalidEvent(RejectionReason.NOT_JSON,
                           r"not valid JSON text (a \u escape leaves half a character)")
    if not isinstance(data, dict):
        raise InvalidEvent(
            RejectionReason.NOT_AN_OBJECT, f"expected a JSON object, got {type(data).__name__}"
        )
    return data


def _encodable(data: Any) -> bool:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_EVENT_TYPE = re.compile(r"[a-z][a-z_.]{0,59}")
_UUID = re.compile(r"[0-9a-fA-F-]{32,36}")


def _safe(value: Any, pattern: re.Pattern[str]) -> str | None:
    """Keep a payload value for the dead letter only if it cannot carry personal data."""
    return value if isinstance(value, str) and pattern.fullmatch(value) else None


def _meta(data: dict[str, Any]) -> dict[str, Any]:
    """What a dead letter may say about the record: its type, id and county, if they are safe."""
    return {
        "event_type": _safe(data.get("event_type"), _EVENT_TYPE),
        "event_id": _safe(data.get("event_id"), _UUID),
        "county": _safe(data.get("county"), _CODE),
    }


_SOURCE_TYPES = frozenset(c.model_fields["event_type"].default for c in SOURCE_EVENTS)
_EVENT_TYPES = frozenset(EVENT_CLASSES)


def parse(raw: bytes | str | dict[str, Any] | None, *, sources_only: bool = False) -> Any:
    """Parse one event, upcasting old versions. Raises InvalidEvent with the reason, and
    nothing else whatever the record holds (None is a tombstone: `empty_record`)."""
    data = _decode(raw)
    event_type = data.get("event_type")
    meta = _meta(data)
    allowed = _SOURCE_TYPES if sources_only else _EVENT_TYPES
    if not isinstance(event_type, str) or event_type not in allowed:
        kinds = ", ".join(sorted(allowed))
        raise InvalidEvent(
            RejectionReason.UNKNOWN_EVENT_TYPE,
            f"event_type must be one of: {kinds}",
            **meta,
        )
    if isinstance(data.get("schema_version"), int):  # anything else fails validation below
        data = upcast(data)
    version = data.get("schema_version")
    if isinstance(version, int) and version != CURRENT_VERSIONS[event_type]:
        raise InvalidEvent(
            RejectionReason.UNSUPPORTED_SCHEMA_VERSION,
            f"{event_type} has no upcaster from schema_version {data.get('schema_version')!r}; "
            f"current is {CURRENT_VERSIONS[event_type]}",
            **meta,
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


def parse_canonical(
    raw: bytes | str | dict[str, Any] | None, *, sources_only: bool = False
) -> tuple[Any, str | None]:
    """`parse(raw)`, and the event's `model_dump_json()` when the record is exactly that text.

    What the worker writes is its events' own JSON (Outgoing.value), and for that text one pass
    of pydantic-core (validate_json) is the same as `parse`'s json decoding, upcasting and
    validation: the event dumps back to the record's very text, so the text has no duplicate
    key, NaN, half a surrogate or old schema_version (an event's dump has none), and its depth is
    bounded as in `parse`. Any other record, and any failure here, is parsed by `parse`, with
    its errors; the second value is then None. The sink stores the dump as the event's payload
    (sinks/projection.py), so it costs nothing extra there."""
    if isinstance(raw, bytes | str):
        try:
            text = _text(raw)
        except InvalidEvent:
            text = None  # parse raises it again, with the same reason
        if text is not None and not _too_deep(text):
            adapter = _SOURCE_EVENT if sources_only else _ANY_EVENT
            try:
                event = adapter.validate_json(text)
                dumped: str | None = event.model_dump_json()
            except Exception:  # noqa: BLE001 - `parse` below says what is wrong with the record
                dumped = None
            if dumped is not None and dumped == text:
                return event, dumped
    return parse(raw, sources_only=sources_only), None


def parse_source(raw: bytes | str | dict[str, Any] | None) -> SourceEvent:
    """Parse an intake event: only the source families are accepted on intake."""
    return parse(raw, sources_only=True)


# A person's words in a lifecycle step (a decision's rationale, an escalation's reason, …).
_REQUEST_TEXT: dict[str, tuple[str, ...]] = {
    cls.model_fields["event_type"].default: tuple(
        name for name, f in cls.model_fields.items()
        if name not in LifecycleEvent.model_fields and f.annotation in (str, str | None)
    )
    for cls in LIFECYCLE_EVENTS
}


def parse_request(raw: bytes | str | dict[str, Any] | None) -> Any:
    """Parse a requested lifecycle step, its free text without control characters.

    The text is cleaned (schemas/cleaning.py) before validation, so a rationale of nothing but
    control characters is as empty as it looks, and the guard seals and stores the clean text.
    Only requests are cleaned: an event on the lifecycle topic is history, and its hash covers
    its text as it was sealed."""
    data = _decode(raw)
    event_type = data.get("event_type")
    fields = _REQUEST_TEXT.get(event_type, ()) if isinstance(event_type, str) else ()
    cleaned = {f: clean_text(v) for f in fields if isinstance(v := data.get(f), str)}
    return parse({**data, **cleaned})

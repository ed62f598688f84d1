"""The poison set: records no process may stop on, each with the one outcome it must have.

Intake poison is published first; the lifecycle-request poison names an item the intake poison
made (the SQL-looking feedback), so it is published once that item has been processed, on the
request topic of that item's unit managers (REQUESTS stands for it).
An outcome is a dead-letter reason code, ITEM (the record became its knowledge item, text
intact) or STEP (the requested step was accepted onto the lifecycle topic, sealed by the guard).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from schemas.access import Requester, RequesterRole
from schemas.envelope import derived_uuid

ITEM = "item"
STEP = "step"
INTAKE = "intake"
REQUESTS = "requests"

# What the store shows of an accepted text: the same words (control characters removed at intake).
SQL_TEXT = "x'); DROP TABLE knowledge_items; -- odotin kolme tuntia päivystyksessä"
HTML_TEXT = "<script>alert('xss')</script><b>Kiitos</b> hyvästä hoidosta &amp; ystävällisyydestä"
EMOJI_TEXT = "😡😡😡 🏥⏳⏳⏳ 👎"


@dataclass(frozen=True)
class Poison:
    kind: str
    topic: str                 # INTAKE or REQUESTS
    value: bytes | None
    expected: str              # a dead-letter reason, ITEM or STEP
    key: bytes | None = None
    headers: tuple[tuple[str, bytes], ...] = ()
    compress: bool = False     # gzip: a 2 MB record reaches the topic past the broker's 1 MB limit
    event_id: str | None = None  # to find an ITEM or STEP in the store
    text: str | None = None    # an ITEM's text as it must be stored
    note: str = ""


@dataclass(frozen=True)
class Target:
    """The item the request poison names."""

    item_id: str
    county: str
    unit: str | None
    received_at: datetime

    @property
    def requester(self) -> Requester:
        """Who sends the request poison: the item's unit managers."""
        return Requester(RequesterRole.UNIT, self.county, self.unit)


@dataclass
class _Feedback:
    """A valid feedback to mutate; each poison gets its own event_id (derived from its kind)."""

    now: datetime
    base: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        at = (self.now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.base = {
            "event_type": "feedback.submitted", "schema_version": 2,
            "occurred_at": at, "recorded_at": at,
            "county": "pirkanmaa", "unit": "tampereen-keskustan-terveysasema",
            "service_area": "perusterveydenhuolto", "channel": "electronic", "language": "fi",
            "rating": 2, "text": "Jonotin puhelimessa tunnin.", "respondent_role": "client",
            "reply_requested": False,
        }

    def payload(self, kind: str, **changes: Any) -> dict[str, Any]:
        out = {**self.base, "event_id": str(derived_uuid("chaos-poison", kind)), **changes}
        return {k: v for k, v in out.items() if v is not _DROP}


_DROP = object()
PERSON_CODE = "matti-virtanen-131052-308t"  # shaped like a code: a name and a henkilötunnus


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def intake_poison(now: datetime | None = None) -> list[Poison]:
    """At least 30 kinds of bad (and strange but valid) intake records."""
    f = _Feedback(now or datetime.now(UTC))
    out: list[Poison] = []

    def add(kind: str, value: bytes | None, expected: str, **kw: Any) -> None:
        out.append(Poison(kind, INTAKE, value, expected, **kw))

    def item(kind: str, text: str, stored: str | None = None, **kw: Any) -> None:
        p = f.payload(kind, text=text)
        add(kind, dumps(p), ITEM, event_id=p["event_id"], text=stored or text,
            key=kw.pop("key", p["event_id"].encode()), **kw)

    def changed(kind: str, expected: str, **changes: Any) -> None:
        add(kind, dumps(f.payload(kind, **changes)), expected)

    add("nested_10000_deep", b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "too_deep")
    add("two_megabytes", dumps(f.payload("two_megabytes", text="jonotin " * 262_144)),
        "too_large", compress=True)
    add("tombstone", None, "empty_record", key=b"tombstone")
    add("empty_bytes", b"", "empty_record")
    add("only_whitespace", b"  \n\t ", "empty_record")
    good = dumps(f.payload("duplicate_keys"))
    add("duplicate_keys", good[:-1] + b',"county":"lappi"}', "schema_violation")
    changed("year_9999", "schema_violation", occurred_at="9999-12-31T23:59:59Z",
            recorded_at="9999-12-31T23:59:59Z")
    changed("year_1900", "schema_violation", occurred_at="1900-01-01T00:00:00Z",
            recorded_at="1900-01-01T00:00:00Z")
    add("invalid_utf8", dumps(f.payload("invalid_utf8")).replace(b"Jonotin", b"Jono\xff\xfein"),
        "not_json")
    add("raw_nul_byte", dumps(f.payload("raw_nul_byte")).replace(b"Jonotin", b"Jono\x00tin"),
        "not_json")
    add("nan_rating", dumps(f.payload("nan_rating")).replace(b'"rating":2', b'"rating":NaN'),
        "not_json")
    add("infinity_rating",
        dumps(f.payload("infinity_rating")).replace(b'"rating":2', b'"rating":Infinity'),
        "not_json")
    add("truncated_json", dumps(f.payload("truncated_json"))[:40], "not_json")
    add("json_array", dumps([f.payload("json_array")]), "not_an_object")
    add("json_string", b'"feedback"', "not_an_object")
    add("json_number", b"42", "not_an_object")
    add("json_null", b"null", "not_an_object")
    changed("rating_as_text", "schema_violation", rating="viisi")
    changed("rating_2_pow_70", "schema_violation", rating=2**70)
    changed("county_as_list", "schema_violation", county=["pirkanmaa"])
    changed("schema_version_0", "unsupported_schema_version", schema_version=0)
    changed("schema_version_99", "unsupported_schema_version", schema_version=99)
    changed("schema_version_2_pow_70", "unsupported_schema_version", schema_version=2**70)
    changed("missing_county", "schema_violation", county=_DROP)
    changed("missing_text", "schema_violation", text=_DROP)
    changed("extra_field", "schema_violation", favourite_colour="sininen")
    # A key or a code the registry lacks could be a name and a henkilötunnus (issue 12).
    changed("field_named_like_a_person", "schema_violation", **{PERSON_CODE: 1})
    changed("unknown_unit", "unknown_unit", unit=PERSON_CODE)
    changed("unknown_county", "unknown_unit", county=PERSON_CODE)
    changed("unit_of_another_county", "unknown_unit", county="lappi")
    changed("unknown_event_type", "unknown_event_type", event_type="feedback.created")
    changed("lifecycle_step_on_intake", "unknown_event_type", event_type="item.acknowledged")
    item("nul_escaped_in_text", "Jono\u0000tin tunnin.", "Jonotin tunnin.")
    item("terminal_escapes", "\u001b]0;pwned\u0007\u001b[2JJonotin tunnin.", "Jonotin tunnin.")
    item("rtl_override", "Jonotin \u202etunnin\u202c.", "Jonotin tunnin.")
    item("emoji_only", EMOJI_TEXT)
    item("sql_looking", SQL_TEXT)
    item("html_looking", HTML_TEXT)
    item("non_utf8_key", "Avain ei ole UTF-8:aa.", key=b"\xff\xfe\x00key")
    item("binary_headers", "Otsakkeissa on binääriä.",
         headers=(("trace", b"\x00\xff\xfe\x01"), ("\u202eotsake", b"\x1b[2J")))
    return out


def sql_target_event_id() -> str:
    return str(derived_uuid("chaos-poison", "sql_looking"))


def request_poison(target: Target) -> list[Poison]:
    """Lifecycle requests: illegal, forged, for unknown items, and broken bytes."""
    at = target.received_at + timedelta(minutes=5)
    out: list[Poison] = []

    def step(kind: str, event_type: str, role: str, expected: str, item_id: str | None = None,
             **extra: Any) -> None:
        event_id = str(derived_uuid("chaos-poison-request", kind))
        body = {"event_id": event_id, "event_type": event_type, "schema_version": 1,
                "occurred_at": iso(at), "recorded_at": iso(at), "county": target.county,
                "unit": target.unit, "item_id": item_id or target.item_id,
                "actor_role": role, **extra}
        out.append(Poison(kind, REQUESTS, dumps(body), expected,
                          key=(item_id or target.item_id).encode(),
                          event_id=event_id if expected == STEP else None))

    # The one legal step: acknowledged, forged chain fields in it; the guard seals it anew.
    step("forged_chain_fields", "item.acknowledged", "unit_manager", STEP,
         chain_prev="0" * 64, chain_hash="f" * 64)
    step("acknowledged_twice", "item.acknowledged", "unit_manager", "illegal_transition")
    step("system_step_by_manager", "item.routed", "unit_manager", "illegal_transition",
         routes=[{"level": "unit", "topic": "kv.routed.unit.x.y", "reason": "pyydetty"}])
    step("unknown_item", "item.acknowledged", "unit_manager", "illegal_transition",
         item_id="fb-0000000000000000")
    step("closed_year_9999", "item.closed", "unit_manager", "schema_violation",
         occurred_at="9999-01-01T00:00:00Z")
    step("decided_without_rationale", "item.decided", "decision_maker", "schema_violation",
         outcome="adopted")
    # Who acts is who sent it: the unit managers' topic cannot carry another role's step.
    step("claims_decision_maker", "item.acknowledged", "decision_maker", "unauthorised_request")
    broken: list[tuple[str, bytes | None, str]] = [
        ("request_tombstone", None, "empty_record"),
        ("request_not_json", b"acknowledged!", "not_json"),
        ("request_nested_deep", b"[" * 5_000 + b"]" * 5_000, "too_deep"),
    ]
    for kind, value, expected in broken:
        out.append(Poison(kind, REQUESTS, value, expected, key=target.item_id.encode()))
    return out


def iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Publish = Callable[[Poison], tuple[int, int]]

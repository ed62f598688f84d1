"""The contract's parse never raises anything but InvalidEvent, whatever a record holds: size
and nesting are bounded before json and pydantic, tombstones, duplicate keys, NaN and broken
UTF-8 each get their reason, and a dead letter's detail repeats no value or unknown key."""

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from schemas.dead_letter import RejectionReason
from schemas.registry import (
    MAX_NESTING,
    MAX_RECORD_BYTES,
    InvalidEvent,
    parse,
    parse_request,
    parse_source,
)
from tests.factories import as_bytes, feedback, workshop

Parser = Callable[[Any], Any]


def rejection(raw: Any, parser: Parser = parse_source) -> InvalidEvent:
    with pytest.raises(InvalidEvent) as caught:
        parser(raw)
    return caught.value


def nested_array(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def nested_object(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


@pytest.mark.parametrize("raw", [nested_array(10_000), nested_object(10_000)])
@pytest.mark.parametrize("parser", [parse, parse_source])
def test_ten_thousand_levels_are_too_deep_not_a_recursion_error(
    raw: bytes, parser: Parser
) -> None:
    assert rejection(raw, parser).reason is RejectionReason.TOO_DEEP


def test_a_feedback_nested_10000_levels_deep_is_too_deep() -> None:
    deep = json.dumps(feedback()).encode()[:-1] + b', "extra": ' + nested_array(10_000) + b"}"
    err = rejection(deep)
    assert err.reason is RejectionReason.TOO_DEEP
    assert str(MAX_NESTING) in err.detail


def test_nesting_up_to_the_limit_is_read_and_brackets_in_strings_do_not_count() -> None:
    assert rejection(nested_array(MAX_NESTING)).reason is RejectionReason.NOT_AN_OBJECT
    assert rejection(nested_array(MAX_NESTING + 1)).reason is RejectionReason.TOO_DEEP
    brackets = "[{" * 4_000 + '\\"' + "]}" * 10
    event = parse_source(as_bytes(feedback(text=brackets)))
    assert event.text == brackets


def test_two_megabytes_of_text_are_too_large_and_quickly_so() -> None:
    big = as_bytes(feedback(text="ä" * 1_000_000))  # 2,000,000 bytes of UTF-8
    started = time.perf_counter()
    err = rejection(big)
    assert time.perf_counter() - started < 0.5
    assert err.reason is RejectionReason.TOO_LARGE
    assert str(MAX_RECORD_BYTES) in err.detail
    assert rejection(big.decode()).reason is RejectionReason.TOO_LARGE  # str counts bytes too


def test_pathological_strings_are_scanned_in_linear_time() -> None:
    unterminated = b'"' + b'\\"' * 400_000  # every quote escaped: no string ever ends
    many_strings = b'""' * 400_000
    for raw in (unterminated, many_strings, b"[]" * 400_000):
        started = time.perf_counter()
        assert rejection(raw).reason is RejectionReason.NOT_JSON
        assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("raw", [None, b"", "", b"  \n\t", "   "])
@pytest.mark.parametrize("parser", [parse, parse_source, parse_request])
def test_a_tombstone_or_an_empty_record_is_empty_record(raw: Any, parser: Parser) -> None:
    assert rejection(raw, parser).reason is RejectionReason.EMPTY_RECORD


def test_a_duplicate_key_is_a_schema_violation_naming_the_key() -> None:
    raw = json.dumps(feedback())[:-1] + ', "rating": 5}'
    err = rejection(raw)
    assert err.reason is RejectionReason.SCHEMA_VIOLATION
    assert [(p.location, p.problem) for p in err.problems] == [("rating", "duplicate_key")]
    assert "duplicate key rating" in err.detail
    assert err.county == "lappi" and err.event_type == "feedback.submitted"


def test_a_nested_duplicate_key_is_named_by_its_path() -> None:
    raw = json.dumps(workshop()).replace('"target":', '"target": "county_policy", "target":', 1)
    err = rejection(raw)
    assert err.reason is RejectionReason.SCHEMA_VIOLATION
    assert err.problems[0].location == "items.0.target"


def test_a_duplicate_key_the_schema_does_not_know_is_not_repeated() -> None:
    """A key could be a client's name or e-mail address: only schema field names are named."""
    secret = "matti.meikalainen@example.fi"
    raw = json.dumps(feedback())[:-1] + f', "{secret}": 1, "{secret}": 2}}'
    err = rejection(raw)
    assert err.reason is RejectionReason.SCHEMA_VIOLATION
    assert err.problems[0].location == "an unknown field"
    assert "matti" not in err.detail


def test_the_same_key_in_different_objects_is_no_duplicate() -> None:
    event = parse_source(as_bytes(workshop()))  # every output item has "text" and "target"
    assert len(event.items) == 3


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
def test_nan_and_infinity_are_not_json(number: str) -> None:
    raw = json.dumps(feedback(rating=3)).replace('"rating": 3', f'"rating": {number}')
    err = rejection(raw)
    assert err.reason is RejectionReason.NOT_JSON
    assert "NaN" in err.detail


@pytest.mark.parametrize(
    "bad", [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe4iti"],  # ... a surrogate, Latin-1 "äiti"
)
def test_invalid_utf8_is_not_json(bad: bytes) -> None:
    raw = as_bytes(feedback(text="XX")).replace(b"XX", bad)
    err = rejection(raw)
    assert err.reason is RejectionReason.NOT_JSON
    assert "UTF-8" in err.detail


def test_an_escaped_lone_surrogate_is_not_json_but_a_pair_is_a_character() -> None:
    lone = json.dumps(feedback(text="a\ud800b"))  # ensure_ascii: the escape \ud800
    assert rejection(lone).reason is RejectionReason.NOT_JSON
    pair = parse_source(json.dumps(feedback(text="kiitos \U0001f600")))
    assert pair.text == "kiitos \U0001f600"


@pytest.mark.parametrize("as_text", [False, True])
def test_a_byte_order_mark_is_not_content(as_text: bool) -> None:
    raw = "\ufeff" + json.dumps(feedback())
    event = parse_source(raw if as_text else raw.encode())
    assert event.event_type == "feedback.submitted"


@pytest.mark.parametrize(
    "payload",
    [
        {"event_type": []},
        {"event_type": {"a": 1}},
        feedback(schema_version=[1]),
        feedback(schema_version=2**70),
        feedback(event_id=["x"]),
    ],
)
def test_unhashable_or_odd_values_are_rejections_not_type_errors(payload: object) -> None:
    err = rejection(json.dumps(payload))
    assert err.reason in {RejectionReason.UNKNOWN_EVENT_TYPE, RejectionReason.SCHEMA_VIOLATION,
                          RejectionReason.UNSUPPORTED_SCHEMA_VERSION}


def test_a_requested_steps_text_is_cleaned_before_validation_a_sealed_one_is_not() -> None:
    request = {
        "event_type": "item.decided", "schema_version": 1,
        "event_id": "7d5a2f0c-1c1b-4a53-9a41-0b7f5c2e8d11",
        "occurred_at": "2026-10-01T10:00:00+00:00", "recorded_at": "2026-10-01T10:00:00+00:00",
        "county": "lappi", "unit": "rovaniemen-terveysasema", "item_id": "fb-0123456789abcdef",
        "actor_role": "unit_manager", "outcome": "adopted",
        "rationale": "Aukioloa\x1b]0;pwned\x07 pidennetään\u202e\x00", "decision_ref": "§\x1b[2J 4",
    }
    decided = parse_request(json.dumps(request))
    assert decided.rationale == "Aukioloa pidennetään"
    assert decided.decision_ref == "§ 4"
    assert parse(json.dumps(request)).rationale == request["rationale"]  # history is left alone
    only_controls = rejection(json.dumps({**request, "rationale": "\x00\x1b"}), parse_request)
    assert only_controls.reason is RejectionReason.SCHEMA_VIOLATION
    assert only_controls.problems[0].location == "rationale"

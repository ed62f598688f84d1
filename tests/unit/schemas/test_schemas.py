import json
import uuid

import pytest
from pydantic import ValidationError

from schemas.dead_letter import RejectionReason
from schemas.export import EXPORT_DIR, json_schemas
from schemas.feedback import FeedbackSubmitted, RespondentRole
from schemas.registry import EVENT_CLASSES, InvalidEvent, parse, parse_source
from schemas.upcasting import upcast_feedback_v1_v2
from tests.factories import as_bytes, feedback, statement, workshop


def test_the_three_source_families_parse() -> None:
    for make in (feedback, workshop, statement):
        event = parse_source(as_bytes(make()))
        assert event.event_type == make()["event_type"]


def test_events_are_frozen_and_forbid_extra_fields() -> None:
    event = parse_source(as_bytes(feedback()))
    with pytest.raises(ValidationError):
        event.text = "changed"  # type: ignore[misc]
    with pytest.raises(InvalidEvent) as caught:
        parse_source(as_bytes(feedback(surprise="x")))
    assert caught.value.reason is RejectionReason.SCHEMA_VIOLATION
    # The key could be a name or an identifier: the dead letter never repeats it.
    assert caught.value.problems[0].location == "an unknown field"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"not json at all", RejectionReason.NOT_JSON),
        (b"[1, 2]", RejectionReason.NOT_AN_OBJECT),
        (as_bytes(feedback(event_type="feedback.deleted")), RejectionReason.UNKNOWN_EVENT_TYPE),
        (as_bytes(feedback(schema_version=99)), RejectionReason.UNSUPPORTED_SCHEMA_VERSION),
        (as_bytes(feedback(channel="pigeon")), RejectionReason.SCHEMA_VIOLATION),
        (as_bytes(feedback(rating=9)), RejectionReason.SCHEMA_VIOLATION),
        (as_bytes(feedback(county="Lappi!")), RejectionReason.SCHEMA_VIOLATION),
        (as_bytes(feedback(occurred_at="2026-10-01T10:00:00")), RejectionReason.SCHEMA_VIOLATION),
    ],
)
def test_rejections_carry_a_reason(raw: bytes, reason: RejectionReason) -> None:
    with pytest.raises(InvalidEvent) as caught:
        parse_source(raw)
    assert caught.value.reason is reason


def test_rejection_never_repeats_payload_values() -> None:
    secret = "131052-308T matti@example.fi 040 1234567"
    bad = feedback(text=secret, channel="pigeon", county="matti@example.fi",
                   event_type="feedback.submitted")
    bad["rating"] = secret
    with pytest.raises(InvalidEvent) as caught:
        parse_source(as_bytes(bad))
    err = caught.value
    flat = json.dumps([err.detail, [p.model_dump() for p in err.problems], err.county,
                       err.event_type, err.event_id])
    for fragment in ("131052", "matti", "040 1234567", "pigeon"):
        assert fragment not in flat


def test_intake_accepts_only_source_families() -> None:
    lifecycle = {"event_type": "item.acknowledged"}
    with pytest.raises(InvalidEvent) as caught:
        parse_source(json.dumps(lifecycle))
    assert caught.value.reason is RejectionReason.UNKNOWN_EVENT_TYPE


def test_upcaster_turns_a_version_1_feedback_into_version_2() -> None:
    old = feedback(schema_version=1, lang="sv", relative=True)
    del old["language"], old["respondent_role"]
    assert upcast_feedback_v1_v2(old)["language"] == "sv"
    event = parse_source(as_bytes(old))
    assert isinstance(event, FeedbackSubmitted)
    assert event.schema_version == 2
    assert event.language == "sv"
    assert event.respondent_role is RespondentRole.CLOSE_ONE


def test_every_event_type_round_trips_through_json() -> None:
    event = parse_source(as_bytes(workshop()))
    again = parse(event.to_json_bytes())
    assert again == event


def test_exported_json_schemas_are_current() -> None:
    """The checked-in files are what subscribers read: regenerate with
    `kokemusvirta schemas export schemas/json` when a model changes."""
    expected = json_schemas()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in EXPORT_DIR.glob("*.schema.json")}
    assert on_disk == expected
    assert len(expected) == len(EVENT_CLASSES)


def test_the_union_parsed_from_lists_every_event_class() -> None:
    from typing import get_args

    from schemas.registry import ALL_EVENTS, AnyEvent

    union = get_args(AnyEvent)[0]
    assert set(get_args(union)) == set(ALL_EVENTS)


def test_key_is_the_item_so_an_items_events_share_a_partition() -> None:
    event = parse_source(as_bytes(feedback()))
    assert event.kafka_key() == str(event.event_id).encode()
    assert isinstance(uuid.UUID(event.kafka_key().decode()), uuid.UUID)

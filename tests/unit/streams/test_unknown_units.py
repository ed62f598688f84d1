"""Only known organisations are routed: a source event naming a county, service area or unit the
organisation registry lacks (or a unit of another county or service area) becomes one dead letter
`unknown_unit`, so no topic is made of its codes; and no dead letter repeats a code or a field
name the registry and the schema do not know (either could be a name or a henkilötunnus)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from kokemusvirta.organisations import demo_organisations
from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.knowledge import Classification, ItemForwarded
from schemas.registry import UNKNOWN_FIELD
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from streams.processing import Outgoing, Processor
from tests.factories import as_bytes, feedback, statement, workshop

T = TopicNames("kv.")
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
ORIGIN = Origin(topic="kv.intake", partition=1, offset=42)
PERSON = "matti-virtanen-131052-308t"  # a name and a henkilötunnus, shaped like a code


def classify(text: str, language: str | None) -> Classification:
    return Classification(themes=(Theme.ACCESS,), stance=Stance.COMPLAINT, severity=Severity.HIGH,
                          rules=("test",), classifier_version="test-1")


KNOWN = Processor(T, classify=classify, organisations=demo_organisations())
ANY = Processor(T, classify=classify)


def only_dead_letter(outs: list[Outgoing]) -> DeadLetterRecorded:
    assert [o.topic for o in outs] == [T.dead_letters]
    assert isinstance(outs[0].event, DeadLetterRecorded)
    return outs[0].event


@pytest.mark.parametrize("event", [feedback(), workshop(), statement(),
                                   feedback(county="pohjanmaa", unit="vaasan-neuvola",
                                            service_area="lapsiperheiden-palvelut")],
                         ids=["feedback", "workshop", "statement", "pohjanmaa"])
def test_known_organisations_route_as_before(event: dict[str, Any]) -> None:
    raw = as_bytes(event)
    assert KNOWN.process(raw, ORIGIN, NOW) == ANY.process(raw, ORIGIN, NOW)
    assert any(isinstance(o.event, ItemForwarded) for o in KNOWN.process(raw, ORIGIN, NOW))


UNKNOWN = [
    ("unknown-county", feedback(county=PERSON), "county", "unknown_county"),
    ("unknown-unit", feedback(unit=PERSON), "unit", "unknown_unit"),
    ("unit-of-another-county", feedback(unit="hervannan-terveysasema"), "unit", "unknown_unit"),
    ("area-the-county-lacks", feedback(service_area="lapsiperheiden-palvelut"), "service_area",
     "unknown_service_area"),
    ("unknown-area", statement(service_area=PERSON), "service_area", "unknown_service_area"),
    ("unit-of-another-area", feedback(unit="rovaniemen-kotihoito"), "service_area",
     "unit_not_in_service_area"),
    ("workshop-of-an-unknown-county", workshop(county=PERSON), "county", "unknown_county"),
    ("workshop-of-an-unknown-unit", workshop(unit=PERSON), "unit", "unknown_unit"),
]


@pytest.mark.parametrize(("event", "location", "problem"), [u[1:] for u in UNKNOWN],
                         ids=[u[0] for u in UNKNOWN])
def test_an_unknown_organisation_is_an_unknown_unit_dead_letter_and_no_topic(
        event: dict[str, Any], location: str, problem: str) -> None:
    raw = as_bytes(event)
    assert any(o.topic not in (T.lifecycle, T.dead_letters)
               for o in ANY.process(raw, ORIGIN, NOW))  # unchecked, it would be routed
    outs = KNOWN.process(raw, ORIGIN, NOW)
    letter = only_dead_letter(outs)
    assert letter.reason is RejectionReason.UNKNOWN_UNIT
    assert [(p.location, p.problem) for p in letter.problems] == [(location, problem)]
    assert letter.original_event_type == event["event_type"]
    assert letter.original_event_id == event["event_id"]
    assert letter.county == (event["county"] if problem != "unknown_county" else "unknown")
    assert "organisation registry" in letter.detail
    assert PERSON.encode() not in outs[0].value  # the unknown code is never repeated


def test_a_rejected_record_of_an_unknown_county_is_filed_under_unknown() -> None:
    """A malformed record's county is kept for the dead letter only when the registry knows it."""
    letter = only_dead_letter(KNOWN.process(as_bytes(feedback(county=PERSON, rating=11)),
                                            ORIGIN, NOW))
    assert letter.reason is RejectionReason.SCHEMA_VIOLATION and letter.county == "unknown"
    letter = only_dead_letter(KNOWN.process(as_bytes(feedback(rating=11)), ORIGIN, NOW))
    assert letter.county == "lappi"


EXTRA = [
    ("top-level", feedback(**{PERSON: "x"}), [UNKNOWN_FIELD]),
    ("in-a-workshop-item",
     workshop(items=[{"text": "Kotihoito.", "target": "unit", PERSON: 1}]),
     [f"items.0.{UNKNOWN_FIELD}"]),
    ("a-mapping-key", workshop(participants={"staff": 2, PERSON: 1}),
     [f"participants.{UNKNOWN_FIELD}.[key]"]),
]


@pytest.mark.parametrize(("event", "locations"), [e[1:] for e in EXTRA],
                         ids=[e[0] for e in EXTRA])
def test_a_field_name_the_schema_lacks_is_never_repeated(
        event: dict[str, Any], locations: list[str]) -> None:
    outs = KNOWN.process(as_bytes(event), ORIGIN, NOW)
    letter = only_dead_letter(outs)
    assert letter.reason is RejectionReason.SCHEMA_VIOLATION
    assert [p.location for p in letter.problems][:len(locations)] == locations
    assert UNKNOWN_FIELD in letter.detail
    stored = outs[0].value.decode()
    for part in ("matti", "virtanen", "131052", "308t"):
        assert part not in stored, json.loads(stored)

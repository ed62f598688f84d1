"""What the quality check counts as a personal identifier left in text (pure logic), and which
suites a store gets."""

from __future__ import annotations

import pytest

from schemas.redaction import redact
from sinks.quality import codes
from sinks.quality.identifiers import describe, identifier_kinds
from sinks.quality.suites import IDENTIFIERS, SUITES, Kind, plan


@pytest.mark.parametrize(("text", "kind"), [
    ("Henkilötunnukseni on 131052-308T, soittakaa.", "henkilötunnus"),
    ("Born 010594Y9032 in Oulu", "henkilötunnus"),  # a 2023 century sign
    ("Soita numeroon 040 123 4567 iltaisin", "puhelinnumero"),
    ("ring +46 8 123 456 78", "puhelinnumero"),
    ("vastaus osoitteeseen matti.meikalainen@example.fi kiitos", "sähköposti"),
    ("liisa(at)example.fi", "sähköposti"),
    ("Maksoin tilille FI21 1234 5600 0007 85 turhaan", "IBAN"),
])
def test_each_kind_is_found_and_named(text: str, kind: str) -> None:
    assert identifier_kinds(text) == [kind]


def test_redacted_text_and_placeholders_pass() -> None:
    text = ("Hetu 131052-308T, puh. 040 123 4567, matti@example.fi, tili FI21 1234 5600 0007 85."
            " Ajanvaraus 12.3. klo 14, huone 203, 3 viikkoa jonossa.")
    assert len(identifier_kinds(text)) == 4
    assert identifier_kinds(redact(text)) == []
    assert identifier_kinds("[HETU] [PUHELIN] [SÄHKÖPOSTI] [IBAN] [NIMI]") == []


@pytest.mark.parametrize("machine", [
    "6a320a19-0273-5095-b9fe-e8928d72a87c",  # a UUID that looks like a phone number inside
    "bb025f79332ff5b36972bdf71ee867dcadb6d769abe3532fdd0d28d5eefb6831",  # passes mod-97
    "ps-fa93e97c74f14c6bb56e1d84d3655501",
    "fb-0401234567000000",
    "2026-10-01T10:00:05+03:00",
])
def test_machine_values_are_not_free_text(machine: str) -> None:
    assert identifier_kinds(machine) == []


def test_describe_names_columns_and_kinds_never_values() -> None:
    found = {column: [k for text in texts for k in identifier_kinds(text)] for column, texts in
             {"text": ["ok", "soita 040 123 4567"], "details": ["x@example.fi"],
              "unit": ["rovaniemi"]}.items()}
    assert describe(found) == "text: puhelinnumero; details: sähköposti"
    assert describe({"text": []}) is None


def test_every_table_with_text_gets_the_identifier_check_in_a_suite_named_after_it() -> None:
    relations = {s.name for s in SUITES} | {"deadline_due_dates", "sink_offsets"}
    text = {"events": ("payload",), "deadline_due_dates": ("deadline",),
            "sink_offsets": ("topic",)}
    planned = {s.name: s for s in plan(relations, text)}
    for table in text:
        assert planned[table].checks[-1].column == IDENTIFIERS
    assert not any(c.column == IDENTIFIERS for c in planned["lifecycle"].checks)
    assert planned["sink_offsets"].frame is None
    assert "workshops" in planned and "flow_funnel_by_theme" in planned


def test_allowed_codes_come_from_the_schemas() -> None:
    assert "praise" in codes.STANCES and "critical" in codes.SEVERITIES
    assert codes.LIFECYCLE_STEPS[0] == "received" and "closed" in codes.LIFECYCLE_STEPS
    assert "dead_letter.recorded" not in codes.STORED_EVENT_TYPES
    assert "aggregate" not in codes.CLIENT_SOURCE_FAMILIES
    assert all(c.kind is not Kind.IN_SET or c.values for s in SUITES for c in s.checks)

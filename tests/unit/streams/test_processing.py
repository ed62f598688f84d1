import json
from datetime import UTC, datetime

from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.knowledge import Classification, ItemForwarded
from schemas.lifecycle import ItemClassified, ItemReceived, ItemRouted
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from streams.processing import Processor, dead_letter_headers
from tests.factories import as_bytes, feedback, statement, workshop

T = TopicNames("kv.")
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
ORIGIN = Origin(topic="kv.intake", partition=1, offset=42)


def fixed(severity: Severity) -> Processor:
    def classify(text: str, language: str | None) -> Classification:
        return Classification(themes=(Theme.ACCESS,), stance=Stance.COMPLAINT, severity=severity,
                              rules=("test",), classifier_version="test-1")
    return Processor(T, classify=classify)


def test_feedback_becomes_one_item_with_received_classified_routed_and_forwards() -> None:
    *outs, kept = fixed(Severity.HIGH).process(as_bytes(feedback()), ORIGIN, NOW)
    assert (kept.topic, kept.event.event_type) == ("kv.sources", "source.recorded")
    kinds = [(o.topic, type(o.event)) for o in outs]
    assert kinds == [
        ("kv.lifecycle", ItemReceived),
        ("kv.lifecycle", ItemClassified),
        ("kv.lifecycle", ItemRouted),
        ("kv.routed.unit.lappi.rovaniemen-terveysasema", ItemForwarded),
        ("kv.routed.leadership.lappi.perusterveydenhuolto", ItemForwarded),
    ]
    item_ids = {o.event.item_id for o in outs}
    assert len(item_ids) == 1
    assert {o.key for o in outs} == {next(iter(item_ids)).encode()}  # type: ignore[union-attr]


def test_workshop_output_items_each_become_an_item() -> None:
    outs = fixed(Severity.NONE).process(as_bytes(workshop()), ORIGIN, NOW)
    received = [o.event for o in outs if isinstance(o.event, ItemReceived)]
    assert len(received) == 3
    assert len({r.item_id for r in received}) == 3
    decision = [o for o in outs if o.topic == "kv.routed.decision-makers.pirkanmaa"]
    assert len(decision) == 2  # the county-policy item and the decision under preparation


def test_statement_on_a_decision_reaches_decision_makers() -> None:
    outs = fixed(Severity.NONE).process(as_bytes(statement()), ORIGIN, NOW)
    assert "kv.routed.decision-makers.lappi" in {o.topic for o in outs}


def test_redelivery_gives_identical_event_ids() -> None:
    raw = as_bytes(feedback())
    first = fixed(Severity.LOW).process(raw, ORIGIN, NOW)
    again = fixed(Severity.LOW).process(raw, ORIGIN, datetime(2026, 10, 2, tzinfo=UTC))
    assert [o.event.event_id for o in first] == [o.event.event_id for o in again]


def test_personal_data_does_not_leave_intake() -> None:
    raw = as_bytes(feedback(
        text="Soittakaa 040 765 4321 tai matti@example.fi, hetu 131052-308T.",
        contact="+358 50 1234567",
    ))
    for out in fixed(Severity.LOW).process(raw, ORIGIN, NOW):
        value = out.value.decode()
        for identifier in ("765 4321", "matti@example.fi", "131052-308T", "1234567"):
            assert identifier not in value
    received = fixed(Severity.LOW).process(raw, ORIGIN, NOW)[0].event
    assert received.item.contact_given is True  # type: ignore[attr-defined]
    assert "[PUHELIN]" in received.item.text  # type: ignore[attr-defined]


def test_invalid_input_becomes_one_dead_letter_with_origin_and_no_payload() -> None:
    raw = as_bytes(feedback(channel="pigeon", text="Minun hetuni on 131052-308T"))
    outs = fixed(Severity.LOW).process(raw, ORIGIN, NOW)
    assert len(outs) == 1 and outs[0].topic == "kv.dead-letters"
    dl = outs[0].event
    assert isinstance(dl, DeadLetterRecorded)
    assert dl.reason is RejectionReason.SCHEMA_VIOLATION
    assert dl.origin == ORIGIN
    assert "131052" not in outs[0].value.decode()
    headers = dict(dead_letter_headers(dl))
    assert headers["reason"] == b"schema_violation"
    assert (headers["origin-topic"], headers["origin-offset"]) == (b"kv.intake", b"42")
    assert json.loads(outs[0].value)["origin"]["partition"] == 1

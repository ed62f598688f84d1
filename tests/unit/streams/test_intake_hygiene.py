"""No intake record can stop the worker or put a control character into stored text: each bad
record becomes its dead letter with its reason (never processing_error), and an item whose
words lost control characters says so."""

import json
from datetime import UTC, datetime

import pytest

from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.knowledge import Classification, KnowledgeItem
from schemas.lifecycle import ItemReceived
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from streams.processing import Outgoing, Processor
from tests.factories import as_bytes, feedback, statement, workshop

T = TopicNames("kv.")
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
ORIGIN = Origin(topic="kv.intake", partition=0, offset=7)


def classify(text: str, language: str | None) -> Classification:
    return Classification(themes=(Theme.ACCESS,), stance=Stance.COMPLAINT, severity=Severity.LOW,
                          rules=("test",), classifier_version="test-1")


def process(raw: bytes | None) -> list[Outgoing]:
    return Processor(T, classify=classify).process(raw, ORIGIN, NOW)  # type: ignore[arg-type]


def the_dead_letter(raw: bytes | None) -> DeadLetterRecorded:
    outs = process(raw)
    assert len(outs) == 1 and outs[0].topic == "kv.dead-letters"
    dl = outs[0].event
    assert isinstance(dl, DeadLetterRecorded)
    assert dl.origin == ORIGIN
    return dl


def items(raw: bytes) -> list[KnowledgeItem]:
    return [o.event.item for o in process(raw) if isinstance(o.event, ItemReceived)]


def deep_feedback() -> bytes:
    """About 20 KB: a valid feedback with 10,000 levels of arrays in an extra field."""
    return as_bytes(feedback())[:-1] + b', "liite": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (deep_feedback(), RejectionReason.TOO_DEEP),
        (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, RejectionReason.TOO_DEEP),
        (as_bytes(feedback(text="x" * 2_000_000)), RejectionReason.TOO_LARGE),
        (None, RejectionReason.EMPTY_RECORD),
        (b"", RejectionReason.EMPTY_RECORD),
        (as_bytes(feedback())[:-1] + b', "text": "toinen"}', RejectionReason.SCHEMA_VIOLATION),
        (as_bytes(feedback(rating=3)).replace(b'"rating": 3', b'"rating": NaN'),
         RejectionReason.NOT_JSON),
        (as_bytes(feedback(text="XX")).replace(b"XX", b"\xff\xfe"), RejectionReason.NOT_JSON),
    ],
    ids=["deep-array", "deep-object", "2MB", "tombstone", "empty", "duplicate-key", "NaN",
         "invalid-utf8"],
)
def test_each_poison_record_becomes_its_dead_letter(
    raw: bytes | None, reason: RejectionReason
) -> None:
    dl = the_dead_letter(raw)
    assert dl.reason is reason
    assert "unexpected" not in dl.detail


def test_a_duplicate_key_dead_letter_names_the_key_and_not_its_values() -> None:
    raw = as_bytes(feedback(text="Hetuni 131052-308T"))[:-1] + b', "text": "toinen"}'
    dl = the_dead_letter(raw)
    assert [(p.location, p.problem) for p in dl.problems] == [("text", "duplicate_key")]
    assert dl.county == "lappi" and dl.original_event_type == "feedback.submitted"
    assert b"131052" not in dl.to_json_bytes() and b"toinen" not in dl.to_json_bytes()


def test_control_characters_are_removed_from_a_feedback_and_the_item_says_so() -> None:
    text = "Odotin\x1b[2J\x1b]0;pwned\x07 tunnin\u202e\x00 ja hetuni on 131052\x00-308T."
    [item] = items(as_bytes(feedback(text=text)))
    assert item.text == "Odotin tunnin ja hetuni on [HETU]."  # cleaned before redaction
    assert item.text_cleaned is True
    received = process(as_bytes(feedback(text=text)))[0]
    assert b'"text_cleaned":true' in received.value
    for out in process(as_bytes(feedback(text=text))):
        assert not any(c in out.value.decode() for c in "\x1b\x00\u202e\x07")


def test_an_item_without_control_characters_serialises_as_before() -> None:
    """text_cleaned is written only when true: an item sealed before the field existed keeps
    its bytes, and so its chain hash, when it is read and written again."""
    [item] = items(as_bytes(feedback(text="Rivi 1\nRivi 2\tsarake")))
    assert item.text == "Rivi 1\nRivi 2\tsarake" and item.text_cleaned is False
    assert "text_cleaned" not in item.model_dump_json()
    assert KnowledgeItem.model_validate_json(item.model_dump_json()) == item


def test_each_workshop_output_item_is_cleaned_and_noted_on_its_own() -> None:
    event = workshop()
    event["items"][1]["text"] = "Omaishoidon\x00 vapaat"
    event["items"][2]["decision_ref"] = "PHA/123/2026\x1b[31m"
    cleaned = [(i.text, i.decision_ref, i.text_cleaned) for i in items(as_bytes(event))]
    assert cleaned[0][2] is False
    assert cleaned[1] == ("Omaishoidon vapaat", None, True)
    assert cleaned[2][1:] == ("PHA/123/2026", True)


def test_a_statements_text_topic_and_recommendations_are_cleaned() -> None:
    raw = as_bytes(statement(topic="Päihde\u202epalvelut", recommendations=["Säilyttäkää\x07."]))
    [item] = items(raw)
    assert (item.topic, item.recommendations, item.text_cleaned) == (
        "Päihdepalvelut", ("Säilyttäkää.",), True)
    assert json.loads(process(raw)[0].value)["item"]["text_cleaned"] is True

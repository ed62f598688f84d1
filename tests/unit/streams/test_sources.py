"""The kept copy of an accepted source event (streams/sources.py, schemas/sources.py): redacted,
pseudonymised, its contact sealed, deterministic; and what the sink makes of it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from schemas.dead_letter import Origin
from schemas.registry import InvalidEvent, parse
from schemas.sources import SourceRecorded
from schemas.topics import TopicNames
from sinks.projection import ConsumedRecord, project
from streams.privacy import MemoryKeyStore, Privacy
from streams.processing import Processor
from tests.factories import as_bytes, feedback, statement, workshop

T = TopicNames("kv.")
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
ORIGIN = Origin(topic="kv.intake", partition=1, offset=42)
CLIENT_ID, CONTACT, HETU = "asiakas-8842", "maisa.poistuva@example.fi", "240377-9425"


def kept(raw: bytes, privacy: Privacy | None = None) -> bytes:
    outs = Processor(T, privacy=privacy).process(raw, ORIGIN, NOW)
    [copy] = [o for o in outs if o.topic == T.sources]
    assert copy.key == str(copy.event.event_id).encode()
    return copy.value


def test_a_feedback_is_kept_without_its_client_id_contact_or_henkilotunnus() -> None:
    privacy = Privacy(b"k" * 32, MemoryKeyStore())
    raw = as_bytes(feedback(client_id=CLIENT_ID, contact=CONTACT,
                            text=f"Hetuni on {HETU}, soittakaa."))
    value = kept(raw, privacy)
    assert all(x.encode() not in value for x in (CLIENT_ID, CONTACT, HETU))
    event = parse(value)
    assert isinstance(event, SourceRecorded)
    source = event.source
    assert source.text == "Hetuni on [HETU], soittakaa."  # type: ignore[union-attr]
    assert source.client_pseudonym == privacy.client_pseudonym("lappi", CLIENT_ID)  # type: ignore[union-attr]
    assert source.contact_sealed is not None  # type: ignore[union-attr]
    assert (event.origin, event.received_at, event.caused_by) == (ORIGIN, NOW, source.event_id)
    assert kept(raw, privacy) == value  # a redelivery: the same bytes


def test_workshop_and_statement_words_are_redacted_their_facts_kept() -> None:
    raw = workshop()
    raw["items"][0]["text"] = f"Kehittäjäasiakas {HETU} ehdotti iltavastaanottoa."
    event = parse(kept(as_bytes(raw)))
    assert HETU not in event.source.items[0].text and "[HETU]" in event.source.items[0].text
    assert event.source.participants == parse(as_bytes(raw)).participants
    assert len(event.item_ids) == len(raw["items"])
    st = statement(text=f"Lausunto, yhteyshenkilö {CONTACT}.")
    assert CONTACT.encode() not in kept(as_bytes(st))


def test_the_contract_refuses_a_kept_copy_with_a_raw_contact() -> None:
    event = json.loads(kept(as_bytes(feedback())))
    event["source"]["contact"] = CONTACT
    with pytest.raises(InvalidEvent):
        parse(json.dumps(event).encode())


def test_the_sink_stores_the_source_row_where_it_arrived_and_no_payload() -> None:
    raw = workshop()
    value = kept(as_bytes(raw))
    batch = project([ConsumedRecord(T.sources, 0, 7, 1_800_000_000_000, value)], T, NOW)
    [row] = batch.events
    assert (row["event_id"], row["event_type"]) == (parse(as_bytes(raw)).event_id,
                                                    "workshop.output_recorded")
    assert (row["topic"], row["partition"], row["offset"]) == ("kv.intake", 1, 42)
    assert row["kafka_timestamp"] == NOW and row["payload"] is None
    assert [w["workshop_id"] for w in batch.workshops] == [raw["workshop_id"]]
    assert batch.offsets == {(T.sources, 0): 7}

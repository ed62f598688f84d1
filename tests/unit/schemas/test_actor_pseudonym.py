"""`actor_pseudonym`: who acted through the workplace. Absent from the JSON when unset (every
older event keeps the bytes it was sealed with), covered by the chain hash when set, kept by the
worker's sealing, and a lifecycle row's column in the store."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from schemas.chain import chain_hash, model_hash, seal
from schemas.lifecycle import ActorRole, ItemAcknowledged, ItemDecided, Outcome
from schemas.registry import parse

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
PS = "us-0123456789abcdef"


def ack(**extra: object) -> ItemAcknowledged:
    return ItemAcknowledged(event_id=uuid.UUID(int=1), occurred_at=NOW, recorded_at=NOW,
                            county="lappi", unit="kemin-terveysasema",
                            item_id="fb-0123456789abcdef", actor_role=ActorRole.UNIT_MANAGER,
                            **extra)  # type: ignore[arg-type]


def test_unset_it_is_not_in_the_json_so_older_events_keep_their_bytes() -> None:
    body = json.loads(ack().to_json_bytes())
    assert "actor_pseudonym" not in body
    assert "actor_pseudonym" not in ack().model_dump(mode="json")


def test_set_it_survives_sealing_and_a_round_trip_and_the_hash_covers_it() -> None:
    sealed = seal(ack(actor_pseudonym=PS), None)
    assert sealed.actor_pseudonym == PS
    again = parse(sealed.to_json_bytes())
    assert isinstance(again, ItemAcknowledged) and again.actor_pseudonym == PS
    assert chain_hash(json.loads(sealed.to_json_bytes())) == sealed.chain_hash
    other = seal(ack(actor_pseudonym="us-fedcba9876543210"), None)
    assert other.chain_hash != sealed.chain_hash
    assert model_hash(ack()) != model_hash(ack(actor_pseudonym=PS))


@pytest.mark.parametrize("bad", ["Maija Meikäläinen", "us-0123", "ps-0123456789abcdef",
                                 "us-0123456789ABCDEF"])
def test_only_a_pseudonym_is_taken_never_a_name(bad: str) -> None:
    with pytest.raises(ValidationError):
        ItemDecided(event_id=uuid.uuid4(), occurred_at=NOW, recorded_at=NOW, county="lappi",
                    unit=None, item_id="fb-0123456789abcdef", actor_role=ActorRole.LEADERSHIP,
                    outcome=Outcome.ADOPTED, rationale="x", actor_pseudonym=bad)


def test_the_store_row_has_it_in_its_column_not_in_details() -> None:
    from sinks.projection import Batch, ConsumedRecord, add_event

    batch = Batch()
    add_event(batch, seal(ack(actor_pseudonym=PS), None),
              ConsumedRecord("kv.lifecycle", 0, 7, None, None), NOW, keep_payload=True)
    row, = batch.lifecycle
    assert row["actor_pseudonym"] == PS and row["details"] is None

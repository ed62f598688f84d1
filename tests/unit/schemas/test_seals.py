"""Signatures and checkpoints (schemas/seals.py): only the key's holder can make them, they
cover what the hash chain covers, and they are deterministic."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from schemas.chain import chain_hash, seal
from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.lifecycle import ActorRole, ItemAcknowledged
from schemas.seals import (
    Checkpoint,
    PublishedKey,
    Seal,
    check_event_seal,
    checkpoint_now,
    digest_hex,
    event_digest,
    sign_event,
)
from tests.signers import MemorySigner

AT = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def acknowledged(role: ActorRole = ActorRole.UNIT_MANAGER) -> ItemAcknowledged:
    return seal(ItemAcknowledged(
        event_id=uuid.UUID(int=7), occurred_at=AT, recorded_at=AT, county="lappi",
        unit="rovaniemen-terveysasema", item_id="fb-0123456789abcdef", actor_role=role),
        "a" * 64)


def dead_letter() -> DeadLetterRecorded:
    return DeadLetterRecorded(
        event_id=uuid.UUID(int=8), occurred_at=AT, recorded_at=AT, county="lappi",
        reason=RejectionReason.NOT_JSON, detail="not JSON",
        origin=Origin(topic="kv.intake", partition=0, offset=3))


def test_a_signed_event_verifies_and_its_chain_hash_is_unchanged() -> None:
    signer = MemorySigner()
    event = acknowledged()
    signed = sign_event(event, signer)
    payload = signed.model_dump(mode="json")
    assert signed.seal_key_id == signer.key_id and signed.seal_signature
    assert chain_hash(payload) == event.chain_hash == signed.chain_hash
    assert check_event_seal(payload, {signer.key_id: signer.public()}) is Seal.VALID
    # Ed25519 is deterministic: a redelivered record seals to the same bytes.
    assert sign_event(event, signer).to_json_bytes() == signed.to_json_bytes()


def test_unsigned_foreign_and_altered_events_are_not_the_workers() -> None:
    worker, other = MemorySigner(), MemorySigner()
    keys = {worker.key_id: worker.public()}
    unsigned = acknowledged().model_dump(mode="json")
    assert check_event_seal(unsigned, keys) is Seal.UNSIGNED
    foreign = sign_event(acknowledged(), other).model_dump(mode="json")
    assert check_event_seal(foreign, keys) is Seal.UNKNOWN_KEY
    # Someone else's signature under the worker's key id.
    assert check_event_seal({**foreign, "seal_key_id": worker.key_id}, keys) is Seal.BAD_SIGNATURE
    signed = sign_event(acknowledged(), worker).model_dump(mode="json")
    # The role changed and the chain hash recomputed: the signature no longer holds.
    edited = {**signed, "actor_role": "leadership"}
    edited["chain_hash"] = chain_hash(edited)
    assert check_event_seal(edited, keys) is Seal.BAD_SIGNATURE
    assert check_event_seal({**signed, "seal_signature": "x" * 86}, keys) is Seal.BAD_SIGNATURE
    assert check_event_seal({**signed, "seal_signature": "!"}, keys) is Seal.BAD_SIGNATURE


def test_a_dead_letter_is_signed_over_its_own_hash() -> None:
    signer = MemorySigner()
    signed = sign_event(dead_letter(), signer)
    keys = {signer.key_id: signer.public()}
    assert check_event_seal(signed.model_dump(mode="json"), keys) is Seal.VALID
    other_reason = {**signed.model_dump(mode="json"), "reason": "too_large"}
    assert check_event_seal(other_reason, keys) is Seal.BAD_SIGNATURE


def test_a_published_key_must_carry_its_own_id() -> None:
    signer = MemorySigner()
    assert signer.published().key() is not None
    wrong = PublishedKey(key_id="0" * 16, public_key=signer.published().public_key,
                         created_at=AT)
    with pytest.raises(ValueError):
        wrong.key()


def test_checkpoints_are_signed_and_their_digest_ignores_order() -> None:
    signer = MemorySigner()
    keys = {signer.key_id: signer.public()}
    shares = [event_digest(str(uuid.UUID(int=i)), f"{i:064x}") for i in range(5)]
    assert digest_hex(sum(shares)) == digest_hex(sum(reversed(shares)))
    assert digest_hex(sum(shares[:4])) != digest_hex(sum(shares))
    cp = checkpoint_now("kv.lifecycle", 1, 40, 5, sum(shares), AT).signed(signer)
    assert cp.seal(keys) is Seal.VALID
    again = Checkpoint.model_validate_json(cp.model_dump_json())
    assert again.seal(keys) is Seal.VALID
    assert again.model_copy(update={"event_count": 6}).seal(keys) is Seal.BAD_SIGNATURE
    assert again.model_copy(update={"signature": None}).seal(keys) is Seal.UNSIGNED
    assert cp.seal({}) is Seal.UNKNOWN_KEY
    # A signature over an event cannot pass for a checkpoint's (domain separation).
    event_sig = sign_event(acknowledged(), signer).seal_signature
    assert cp.model_copy(update={"signature": event_sig}).seal(keys) is Seal.BAD_SIGNATURE

"""Seals only the worker can make: Ed25519 signatures and signed checkpoints (docs/design.md §7).

- **Signatures.** The worker signs each lifecycle event's `chain_hash` (and each dead letter's
  hash, computed the same way) with its Ed25519 key: `seal_key_id` names the key,
  `seal_signature` is the signature (hex). Ed25519 is deterministic, so a redelivered
  record still seals to the same bytes. The hash leaves both fields out (schemas/chain.py).
- **Public keys** are published on the compacted `<prefix>keys` topic, keyed by key id; a key id
  is the first 16 hex digits of the SHA-256 of the raw public key, so an id names one key.
- **Checkpoints.** Per partition the worker wrote to (lifecycle, dead letters), a signed
  statement on the compacted `<prefix>checkpoints` topic: the last offset it covers, how many
  distinct events the worker wrote up to it, and the sum (mod 2^256) of their digests. A sum is
  independent of order, and counting distinct event ids makes a redelivered copy count once.

Pure: no I/O. The private key stays in the key store (kokemusvirta/signing_keys.py) behind the
Signer protocol; verifying needs only the public keys.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, TypeVar, cast

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from schemas.chain import chain_hash, model_hash
from schemas.dead_letter import DeadLetterRecorded
from schemas.lifecycle import LifecycleEvent

ALGORITHM = "ed25519"
# Domain separation: a signature over an event's hash can never pass for a checkpoint's, or
# for anything else the key might sign.
EVENT_CONTEXT = b"kokemusvirta.seal.event.v1:"
CHECKPOINT_CONTEXT = b"kokemusvirta.seal.checkpoint.v1:"
DIGEST_MODULUS = 2**256

Signable = TypeVar("Signable", bound=LifecycleEvent | DeadLetterRecorded)


class Signer(Protocol):
    """The worker's signing key, handed in by the composition root."""

    @property
    def key_id(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...


def key_id_of(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


def encode(data: bytes) -> str:
    """Lowercase hex: a machine value like the chain hashes. (base64 looked like an IBAN to
    the store's identifier check now and then: mixed-case letters and digits pass mod 97 about
    once in a hundred.)"""
    return data.hex()


def decode(text: str) -> bytes:
    return bytes.fromhex(text)


def event_hash(payload: Mapping[str, Any]) -> str:
    """The hash a signature covers: for a lifecycle event its chain_hash, for a dead letter the
    same function over its JSON (neither includes the signature fields)."""
    return chain_hash(payload)


def sign_event(event: Signable, signer: Signer) -> Signable:
    """`event` with the worker's signature. A sealed lifecycle event signs its own chain_hash:
    no second serialisation; a dead letter is hashed here."""
    digest = event.chain_hash if isinstance(event, LifecycleEvent) else None
    if digest is None:
        digest = model_hash(event)
    signature = signer.sign(EVENT_CONTEXT + digest.encode())
    return cast(Signable, _with_seal(event, signer.key_id, encode(signature)))


_SEAL_FIELDS = frozenset({"seal_key_id", "seal_signature"})
_new, _set = object.__new__, object.__setattr__


def _with_seal(event: Signable, key_id: str, signature: str) -> Signable:
    """`event.model_copy(update={"seal_key_id": …, "seal_signature": …})`, the same copy (its
    fields, fields set, no extra, no private attributes: our events forbid extras and have none)
    made directly, at half the cost: three a source event. A model with either takes
    model_copy."""
    if event.__pydantic_extra__ is not None or event.__pydantic_private__ is not None:
        return cast(Signable, event.model_copy(
            update={"seal_key_id": key_id, "seal_signature": signature}))
    copied = _new(type(event))
    _set(copied, "__dict__", {**event.__dict__, "seal_key_id": key_id,
                              "seal_signature": signature})
    _set(copied, "__pydantic_extra__", None)
    _set(copied, "__pydantic_fields_set__", event.__pydantic_fields_set__ | _SEAL_FIELDS)
    _set(copied, "__pydantic_private__", None)
    return cast(Signable, copied)


class Seal(StrEnum):
    VALID = "valid"
    UNSIGNED = "unsigned"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"


def public_key(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def _valid(key: Ed25519PublicKey, signature: str, message: bytes) -> bool:
    try:
        key.verify(decode(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def check_event_seal(
    payload: Mapping[str, Any], keys: Mapping[str, Ed25519PublicKey]
) -> Seal:
    """Is this stored event (its JSON object) signed by one of `keys`? The hash is recomputed
    from the payload, never taken from it."""
    key_id, signature = payload.get("seal_key_id"), payload.get("seal_signature")
    if not isinstance(key_id, str) or not isinstance(signature, str):
        return Seal.UNSIGNED
    key = keys.get(key_id)
    if key is None:
        return Seal.UNKNOWN_KEY
    message = EVENT_CONTEXT + event_hash(payload).encode()
    return Seal.VALID if _valid(key, signature, message) else Seal.BAD_SIGNATURE


class PublishedKey(BaseModel):
    """A record of the keys topic (key: the key id)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key_id: str = Field(pattern=r"^[0-9a-f]{16}$")
    algorithm: str = ALGORITHM
    public_key: str = Field(description="The raw 32-byte Ed25519 public key, hex.")
    created_at: AwareDatetime

    def key(self) -> Ed25519PublicKey:
        raw = decode(self.public_key)
        if key_id_of(raw) != self.key_id:
            raise ValueError(f"key {self.key_id} is not the id of its public key")
        return public_key(raw)


def event_digest(event_id: str, digest: str) -> int:
    """One event's share of a checkpoint's running digest."""
    return int.from_bytes(hashlib.sha256(f"{event_id}|{digest}".encode()).digest(), "big")


def digest_hex(total: int) -> str:
    return f"{total % DIGEST_MODULUS:064x}"


class Checkpoint(BaseModel):
    """A record of the checkpoints topic (key: `<topic>:<partition>`): what the worker wrote
    to one partition, from offset 0 up to `last_offset`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    topic: str
    partition: int = Field(ge=0)
    last_offset: int = Field(ge=-1)
    # Where the worker began to sign in this partition: records before it are from before
    # signing (an upgraded deployment); one after it without a valid signature is forged.
    signed_from: int = Field(default=0, ge=0)
    event_count: int = Field(ge=0)
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    published_at: AwareDatetime
    key_id: str | None = None
    signature: str | None = None

    @property
    def record_key(self) -> bytes:
        return f"{self.topic}:{self.partition}".encode()

    def _message(self) -> bytes:
        body = self.model_dump(mode="json", exclude={"key_id", "signature"})
        return CHECKPOINT_CONTEXT + json.dumps(body, sort_keys=True,
                                               separators=(",", ":")).encode()

    def signed(self, signer: Signer) -> Checkpoint:
        return self.model_copy(update={"key_id": signer.key_id,
                                       "signature": encode(signer.sign(self._message()))})

    def seal(self, keys: Mapping[str, Ed25519PublicKey]) -> Seal:
        if self.key_id is None or self.signature is None:
            return Seal.UNSIGNED
        key = keys.get(self.key_id)
        if key is None:
            return Seal.UNKNOWN_KEY
        return Seal.VALID if _valid(key, self.signature, self._message()) \
            else Seal.BAD_SIGNATURE


def checkpoint_now(topic: str, partition: int, last_offset: int, count: int, total: int,
                   at: datetime, signed_from: int = 0) -> Checkpoint:
    return Checkpoint(topic=topic, partition=partition, last_offset=last_offset,
                      signed_from=signed_from, event_count=count, digest=digest_hex(total),
                      published_at=at)

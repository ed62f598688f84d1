"""An in-memory Ed25519 signer for tests: the worker's, without the key store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from schemas.seals import PublishedKey, encode, key_id_of


@dataclass
class MemorySigner:
    private: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    @property
    def raw_public(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_id(self) -> str:
        return key_id_of(self.raw_public)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    def published(self) -> PublishedKey:
        return PublishedKey(key_id=self.key_id, public_key=encode(self.raw_public),
                            created_at=datetime(2026, 10, 1, tzinfo=UTC))

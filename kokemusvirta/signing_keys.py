"""The worker's Ed25519 signing keys, in the key store beside the contact keys.

    $KOKEMUSVIRTA_KEY_STORE/_signing/<key_id>.key   {"key_id", "private_key", "created_at"}
    $KOKEMUSVIRTA_KEY_STORE/_signing/active         the active key's id

The folder is 0700 and the files 0600 (as kokemusvirta/keystore.py keeps the contact keys; the
leading underscore keeps the folder apart from the county folders). The worker signs with the
active key, made on its first start; `kokemusvirta keys rotate` makes a new active key and keeps
the old ones, whose public halves stay published, so events signed before a rotation still
verify. A running worker keeps the key it started with until it is restarted.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from kokemusvirta.keystore import _private_dir, _write_new
from schemas.seals import PublishedKey, decode, encode, key_id_of

FOLDER = "_signing"


@dataclass(frozen=True)
class WorkerKey:
    """Signer (schemas/seals.py) with one private key."""

    key_id: str
    created_at: datetime
    private: Ed25519PrivateKey = field(repr=False)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def published(self) -> PublishedKey:
        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return PublishedKey(key_id=self.key_id, public_key=encode(raw), created_at=self.created_at)


class SigningKeys:
    def __init__(self, key_store: Path) -> None:
        self.folder = key_store / FOLDER

    def _load(self, path: Path) -> WorkerKey:
        data = json.loads(path.read_bytes())
        private = Ed25519PrivateKey.from_private_bytes(decode(data["private_key"]))
        return WorkerKey(data["key_id"], datetime.fromisoformat(data["created_at"]), private)

    def all(self) -> list[WorkerKey]:
        """Every key ever made here, oldest first."""
        if not self.folder.is_dir():
            return []
        return sorted((self._load(p) for p in self.folder.glob("*.key")),
                      key=lambda k: (k.created_at, k.key_id))

    def active_id(self) -> str | None:
        try:
            return (self.folder / "active").read_text().strip() or None
        except FileNotFoundError:
            return None

    def active(self) -> WorkerKey:
        """The key the worker signs with; the first one is made on first use."""
        key_id = self.active_id()
        if key_id is None:
            return self.rotate()
        return self._load(self.folder / f"{key_id}.key")

    def rotate(self) -> WorkerKey:
        """A new key, made the active one; the old keys stay (their events stay verifiable)."""
        _private_dir(self.folder.parent)
        _private_dir(self.folder)
        private = Ed25519PrivateKey.generate()
        raw_public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        key = WorkerKey(key_id_of(raw_public), datetime.now(UTC),
                        private)
        raw_private = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        record = {"key_id": key.key_id, "private_key": encode(raw_private),
                  "created_at": key.created_at.isoformat()}
        _write_new(self.folder / f"{key.key_id}.key", json.dumps(record).encode())
        tmp = self.folder / f".active.{secrets.token_hex(6)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, key.key_id.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.folder / "active")
        return key

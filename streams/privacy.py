"""Pseudonyms and sealed contacts (docs/design.md §4): deciding logic, no file or network I/O.

- A client id becomes `ps-` + 128 bits of HMAC-SHA256 under the pseudonym key (a secret from the
  settings) over the county and the id: the same client gets the same pseudonym within a county
  and an unrelated one in another. A feedback without a client id but with a contact is given the
  pseudonym of its normalised contact, so the same phone number is the same person.
- A contact is sealed with the person's own key (AES-SIV, deterministic: a redelivered record
  seals to the same bytes, which the item's hash chain needs). Erasing that key in the key store
  (`kokemusvirta forget`) makes every copy unreadable: in Kafka, in DuckDB, in backups.
- The key store is injected (kokemusvirta/keystore.py keeps keys in files; tests use
  MemoryKeyStore), so the worker's processing stays deterministic and testable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from schemas.feedback import FeedbackSubmitted
from schemas.knowledge import KnowledgeItem
from schemas.privacy import SealedContact
from schemas.registry import parse_source

_PSEUDONYM_CONTEXT = b"kokemusvirta.pseudonym.v1"
_CONTACT_CONTEXT = b"kokemusvirta.contact.v1"


class ContactErased(Exception):
    """The person's key is gone (they were forgotten): the contact cannot be read by anyone."""


class Forgotten(Exception):
    """Sealing refused: the person was forgotten after this record was made (a replay)."""


@dataclass(frozen=True)
class PersonKey:
    version: str  # 16 hex digits; a new key after an erasure has a new version
    secret: bytes = field(repr=False)  # 64 bytes: AES-256-SIV

    @staticmethod
    def generate() -> PersonKey:
        return PersonKey(secrets.token_hex(8), AESSIV.generate_key(512))


class KeyStore(Protocol):
    def get(self, county: str, pseudonym: str) -> PersonKey | None: ...

    def get_or_create(self, county: str, pseudonym: str, recorded_at: datetime) -> PersonKey:
        """The person's key, made if missing; raises Forgotten if the person was forgotten at or
        after `recorded_at` (so a replayed old record cannot give them a key again)."""
        ...

    def erase(self, county: str, pseudonym: str, at: datetime) -> bool:
        """Destroy the person's key and remember when; True if there was a key to destroy."""
        ...

    def forgotten_at(self, county: str, pseudonym: str) -> datetime | None: ...

    def make_durable(self) -> None:
        """Every key get_or_create handed out so far durable (kept through a power loss): to be
        called before anything sealed with them is sent. A store that makes each key durable
        before handing it out does nothing here."""
        ...


@dataclass
class MemoryKeyStore:
    """A KeyStore in memory, for tests and tools that need no persistence."""

    keys: dict[tuple[str, str], PersonKey] = field(default_factory=dict)
    tombstones: dict[tuple[str, str], datetime] = field(default_factory=dict)

    def get(self, county: str, pseudonym: str) -> PersonKey | None:
        return self.keys.get((county, pseudonym))

    def get_or_create(self, county: str, pseudonym: str, recorded_at: datetime) -> PersonKey:
        forgotten = self.tombstones.get((county, pseudonym))
        if forgotten is not None and forgotten >= recorded_at:
            raise Forgotten(pseudonym)
        return self.keys.setdefault((county, pseudonym), PersonKey.generate())

    def erase(self, county: str, pseudonym: str, at: datetime) -> bool:
        self.tombstones[county, pseudonym] = at
        return self.keys.pop((county, pseudonym), None) is not None

    def forgotten_at(self, county: str, pseudonym: str) -> datetime | None:
        return self.tombstones.get((county, pseudonym))

    def make_durable(self) -> None:
        """Nothing to keep: the keys live only as long as the process."""


@lru_cache(maxsize=8)
def _keyed(key: bytes) -> hmac.HMAC:
    """HMAC-SHA256 with the key already mixed in: a copy of it per pseudonym saves the key's
    set-up (about half of the pseudonym's cost). The pseudonym key is held by Privacy anyway."""
    return hmac.new(key, digestmod=hashlib.sha256)


def _pseudonym(key: bytes, county: str, kind: str, value: str) -> str:
    message = b"\x1f".join((_PSEUDONYM_CONTEXT, county.encode(), kind.encode(), value.encode()))
    mac = _keyed(key).copy()
    mac.update(message)
    return "ps-" + mac.hexdigest()[:32]


_NOT_DIGIT = re.compile(r"\D")


def normalised_contact(contact: str) -> str:
    """One spelling per contact: e-mail lower-case; a phone's digits, +358 and 00358 as 0."""
    contact = contact.strip()
    if "@" in contact:
        return contact.lower()
    digits = _NOT_DIGIT.sub("", contact)
    if contact.startswith("+358") or digits.startswith("00358"):
        digits = "0" + digits.removeprefix("00").removeprefix("358")
    return digits or contact.lower()


def _associated(county: str, pseudonym: str, version: str) -> list[bytes]:
    return [_CONTACT_CONTEXT, county.encode(), pseudonym.encode(), version.encode()]


def seal(key: PersonKey, county: str, pseudonym: str, contact: str) -> SealedContact:
    ciphertext = AESSIV(key.secret).encrypt(
        contact.encode(), _associated(county, pseudonym, key.version))
    return SealedContact(key_id=pseudonym, key_version=key.version,
                         ciphertext=base64.urlsafe_b64encode(ciphertext).decode())


def unseal(key: PersonKey, county: str, sealed: SealedContact) -> str:
    try:
        return AESSIV(key.secret).decrypt(
            base64.urlsafe_b64decode(sealed.ciphertext),
            _associated(county, sealed.key_id, sealed.key_version),
        ).decode()
    except InvalidTag:
        raise ContactErased(f"the sealed contact of {sealed.key_id} does not open with its "
                            "key: it was altered, or sealed for another county") from None


@dataclass(frozen=True)
class Protected:
    client_pseudonym: str | None
    contact_sealed: SealedContact | None


@dataclass(frozen=True)
class Privacy:
    """Everything the intake gateway and the worker need to keep identifiers out of the stream."""

    pseudonym_key: bytes = field(repr=False)
    keys: KeyStore

    def client_pseudonym(self, county: str, client_id: str) -> str:
        return _pseudonym(self.pseudonym_key, county, "client", client_id.strip())

    def contact_pseudonym(self, county: str, contact: str) -> str:
        return _pseudonym(self.pseudonym_key, county, "contact", normalised_contact(contact))

    def person_pseudonym(self, e: FeedbackSubmitted) -> str | None:
        if e.client_id:
            return self.client_pseudonym(e.county, e.client_id)
        if e.client_pseudonym:
            return e.client_pseudonym
        if e.contact:
            return self.contact_pseudonym(e.county, e.contact)
        return e.contact_sealed.key_id if e.contact_sealed else None

    def protect(self, e: FeedbackSubmitted) -> Protected:
        """The pseudonym and the sealed contact for a feedback's knowledge item."""
        pseudonym = self.person_pseudonym(e)
        sealed = e.contact_sealed
        if e.contact and pseudonym and sealed is None:
            try:
                key = self.keys.get_or_create(e.county, pseudonym, e.recorded_at)
            except Forgotten:
                sealed = None  # a replay from before the person was forgotten: drop it
            else:
                sealed = seal(key, e.county, pseudonym, e.contact)
        return Protected(pseudonym, sealed)

    def make_keys_durable(self) -> None:
        """The keys behind every seal made so far durable: call it before sending them."""
        self.keys.make_durable()

    def seal_intake(self, e: FeedbackSubmitted) -> FeedbackSubmitted:
        """The intake gateway's copy: client id and contact replaced by pseudonym and seal."""
        if not (e.client_id or e.contact):
            return e
        p = self.protect(e)
        return e.model_copy(update={
            "client_id": None, "contact": None,
            "client_pseudonym": p.client_pseudonym, "contact_sealed": p.contact_sealed,
        })


    def seal_intake_record(self, raw: bytes) -> bytes:
        """For `kokemusvirta publish`: a valid source record with the feedback's client id and
        contact replaced, so not even the intake topic holds them; other records unchanged."""
        event = parse_source(raw)
        if not isinstance(event, FeedbackSubmitted) or not (event.client_id or event.contact):
            return raw
        return self.seal_intake(event).to_json_bytes()


def passthrough(e: FeedbackSubmitted) -> Protected:
    """Without a Privacy object: keep only what the gateway already protected; drop the rest."""
    return Protected(e.client_pseudonym, e.contact_sealed)


def reveal_contact(item: KnowledgeItem, keys: KeyStore) -> str:
    """The contact a client left for a reply, for the unit that answers them.

    Raises ContactErased when the person has been forgotten, LookupError when the item has none.
    """
    sealed = item.contact_sealed
    if sealed is None:
        raise LookupError(f"item {item.item_id} has no sealed contact")
    key = keys.get(item.county, sealed.key_id)
    if key is None or key.version != sealed.key_version:
        when = keys.forgotten_at(item.county, sealed.key_id)
        erased = f" on {when:%Y-%m-%d %H:%M %Z}" if when else ""
        raise ContactErased(
            f"the contact of item {item.item_id} cannot be read: the key of {sealed.key_id} "
            f"was erased{erased} (the person was forgotten); it cannot be recovered")
    return unseal(key, item.county, sealed)

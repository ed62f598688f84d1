"""Pseudonyms, sealed contacts and erasure (docs/design.md §4).

A person is known downstream only by a pseudonym: a keyed HMAC of their client id (or, when the
source system gave none, of their contact) within one county. A contact for a requested reply
travels only sealed with that person's own key; `person.forgotten` says the key was erased.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from schemas.envelope import Envelope

Pseudonym = Annotated[str, StringConstraints(pattern=r"^ps-[0-9a-f]{32}$")]


class SealedContact(BaseModel):
    """A contact encrypted with one person's key (AES-SIV); unreadable once the key is erased."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key_id: Pseudonym = Field(description="The person's pseudonym: whose key sealed this.")
    key_version: str = Field(
        pattern=r"^[0-9a-f]{16}$",
        description="Which of the person's keys (a new one is made after an erasure).",
    )
    algorithm: Literal["AES-SIV-512"] = "AES-SIV-512"
    ciphertext: str = Field(pattern=r"^[A-Za-z0-9_-]+={0,2}$", max_length=2_000,
                            description="URL-safe base64.")


class PersonForgotten(Envelope):
    """A person's key was erased: their sealed contacts everywhere are unreadable, and their
    items are to be marked erased. Published by `kokemusvirta forget` to the lifecycle topic."""

    event_type: Literal["person.forgotten"] = "person.forgotten"
    schema_version: Literal[1] = 1
    client_pseudonym: Pseudonym
    key_erased: bool = Field(
        description="False when no key was left to erase (already forgotten, or no contact).")

    def kafka_key(self) -> bytes:
        return self.client_pseudonym.encode()

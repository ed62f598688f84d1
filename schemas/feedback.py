"""Client feedback (asiakaspalaute): the first intake family."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from schemas.envelope import Code, Envelope
from schemas.privacy import Pseudonym, SealedContact


class Channel(StrEnum):
    ORAL = "oral"
    ELECTRONIC = "electronic"
    WRITTEN = "written"


class Language(StrEnum):
    FI = "fi"
    SV = "sv"
    EN = "en"
    SE = "se"  # Northern Sámi (davvisámegiella)


class RespondentRole(StrEnum):
    CLIENT = "client"  # asiakas
    CLOSE_ONE = "close_one"  # läheinen


class FeedbackSubmitted(Envelope):
    """A client or a close one gave feedback after a service event."""

    event_type: Literal["feedback.submitted"] = "feedback.submitted"
    schema_version: Literal[2] = 2
    unit: Code
    service_area: Code = Field(description="Palvelualue code.")
    channel: Channel
    language: Language | None = Field(default=None, description="None when not known.")
    rating: int | None = Field(default=None, ge=1, le=5)
    text: str = Field(min_length=1, max_length=10_000)
    respondent_role: RespondentRole = RespondentRole.CLIENT
    reply_requested: bool = False
    contact: str | None = Field(
        default=None,
        max_length=300,
        description="Contact for the requested reply, raw. Never leaves the intake topic: the "
        "worker seals it (contact_sealed); `kokemusvirta publish` seals it before producing.",
    )
    # Added in schema version 2 as optional fields, so every earlier version-2 payload stays valid.
    client_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="The source system's client identifier, raw. Never leaves the intake topic: "
        "it becomes client_pseudonym (keyed HMAC within the county).",
    )
    client_pseudonym: Pseudonym | None = Field(
        default=None,
        description="Set by the intake gateway (`kokemusvirta publish`) in place of client_id.",
    )
    contact_sealed: SealedContact | None = Field(
        default=None,
        description="Set by the intake gateway in place of contact: encrypted with the person's "
        "key.",
    )

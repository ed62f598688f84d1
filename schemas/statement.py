"""Statements (lausunto) by experts by experience (kokemusasiantuntija)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from schemas.envelope import Code, Envelope
from schemas.feedback import Language


class AuthorRole(StrEnum):
    EXPERT_BY_EXPERIENCE = "expert_by_experience"
    DEVELOPER_CLIENT_GROUP = "developer_client_group"
    INFLUENCE_BODY = "influence_body"  # vaikuttamistoimielin


class ExpertStatementIssued(Envelope):
    event_type: Literal["expert_statement.issued"] = "expert_statement.issued"
    schema_version: Literal[1] = 1
    author_role: AuthorRole
    service_area: Code
    topic: str = Field(min_length=1, max_length=300)
    decision_ref: str | None = Field(
        default=None, max_length=100, description="Decision under preparation it comments on."
    )
    county_wide: bool = Field(default=False, description="Concerns county-wide policy.")
    language: Language | None = None
    text: str = Field(min_length=1, max_length=20_000)
    recommendations: tuple[str, ...] = ()

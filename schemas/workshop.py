"""Outputs of co-development workshops and forums (työpaja, foorumi)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.envelope import Code, Envelope


class ForumType(StrEnum):
    POP_UP = "pop_up"
    STRUCTURAL = "structural"
    DIGITAL = "digital"


class ParticipantRole(StrEnum):
    DEVELOPER_CLIENT = "developer_client"  # kehittäjäasiakas
    EXPERT_BY_EXPERIENCE = "expert_by_experience"  # kokemusasiantuntija
    CLIENT = "client"
    CLOSE_ONE = "close_one"
    STAFF = "staff"
    OTHER = "other"


class OutputTarget(StrEnum):
    """Whom an output item is meant for; decides how far it is routed."""

    UNIT = "unit"
    SERVICE_AREA = "service_area"
    COUNTY_POLICY = "county_policy"
    DECISION_UNDER_PREPARATION = "decision_under_preparation"


class WorkshopOutputItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(min_length=1, max_length=5_000)
    target: OutputTarget
    decision_ref: str | None = Field(default=None, max_length=100)


class WorkshopOutputRecorded(Envelope):
    """The outputs (ideas, proposals) of one workshop meeting; each item becomes a knowledge
    item."""

    event_type: Literal["workshop.output_recorded"] = "workshop.output_recorded"
    schema_version: Literal[1] = 1
    workshop_id: Code
    group_id: Code | None = Field(default=None, description="Developer-client group, if any.")
    meeting_number: int | None = Field(default=None, ge=1)
    forum_type: ForumType
    held_on: date
    service_area: Code
    facilitator_count: int = Field(ge=0, le=50)
    participants: dict[ParticipantRole, int] = Field(
        description="Participant counts by role."
    )
    items: tuple[WorkshopOutputItem, ...] = Field(min_length=1, max_length=200)

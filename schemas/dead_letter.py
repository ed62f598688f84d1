"""Dead letters: input that could not be accepted, with reason and origin, without its payload."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.envelope import Envelope


class RejectionReason(StrEnum):
    NOT_JSON = "not_json"
    NOT_AN_OBJECT = "not_an_object"
    UNKNOWN_EVENT_TYPE = "unknown_event_type"
    UNSUPPORTED_SCHEMA_VERSION = "unsupported_schema_version"
    SCHEMA_VIOLATION = "schema_violation"
    ILLEGAL_TRANSITION = "illegal_transition"
    PROCESSING_ERROR = "processing_error"
    EMPTY_RECORD = "empty_record"  # a tombstone (null value) or nothing but whitespace
    TOO_LARGE = "too_large"  # more bytes than schemas.registry.MAX_RECORD_BYTES
    TOO_DEEP = "too_deep"  # nested deeper than schemas.registry.MAX_NESTING
    UNAUTHORISED_REQUEST = "unauthorised_request"  # outside the requester's role or scope
    UNKNOWN_UNIT = "unknown_unit"  # a unit the organisation registry does not know


class FieldProblem(BaseModel):
    """Where and what kind of problem, never the offending value (it may be personal data)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    location: str
    problem: str


class Origin(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    topic: str
    partition: int
    offset: int


class DeadLetterRecorded(Envelope):
    event_type: Literal["dead_letter.recorded"] = "dead_letter.recorded"
    schema_version: Literal[1] = 1
    reason: RejectionReason
    detail: str = Field(max_length=1_000, description="Human explanation without payload values.")
    problems: tuple[FieldProblem, ...] = ()
    origin: Origin
    original_event_type: str | None = None
    original_event_id: str | None = None
    seal_key_id: str | None = Field(
        default=None, max_length=64,
        description="The worker key that signed this dead letter (schemas/seals.py).",
    )
    seal_signature: str | None = Field(
        default=None, max_length=200,
        description="Ed25519 signature of the dead letter's hash, hex.",
    )

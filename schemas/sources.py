"""The archive of accepted source events: `source.recorded` on the sources topic (issue 12).

Raw intake is a landing zone with a short retention (kokemusvirta/kafka.py): the record as the
source system sent it may hold a contact, a client id and a henkilötunnus in the text. What is
kept for ever is the worker's copy of every source event it accepted, made by the same privacy
service as the knowledge items (streams/sources.py): the words cleaned and redacted, the client
id replaced by its pseudonym, the contact sealed with the person's key. The sink and `replay`
rebuild the store from this topic, the lifecycle, routed and dead-letter topics, never from
intake.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, model_validator

from schemas.dead_letter import Origin
from schemas.envelope import Envelope, ItemId, derived_uuid
from schemas.feedback import FeedbackSubmitted
from schemas.signal import SignalDetected
from schemas.statement import ExpertStatementIssued
from schemas.workshop import WorkshopOutputRecorded

RecordedSource = Annotated[
    FeedbackSubmitted | WorkshopOutputRecorded | ExpertStatementIssued | SignalDetected,
    Field(discriminator="event_type"),
]


@lru_cache(maxsize=64, typed=True)
def source_recorded_id(source_event_id: object) -> uuid.UUID:
    """One id per source event: a redelivered or republished record gives the same id, so
    the sink keeps one copy. Remembered for the last few ids: the worker asks twice for each
    source event (streams/sources.py `recorded`, then this model's validator), and the answer
    is a pure function of the id (typed: 1 and True join to different strings)."""
    return derived_uuid("source.recorded", source_event_id)


class SourceRecorded(Envelope):
    """An accepted source event as the worker kept it: redacted, pseudonymised, its contact
    sealed. Envelope: `occurred_at`, `county` and `unit` are the source event's, `recorded_at` is
    the intake record's receipt, `caused_by` the source event's id."""

    event_type: Literal["source.recorded"] = "source.recorded"
    schema_version: Literal[1] = 1
    source: RecordedSource = Field(
        description="The source event (its kind, id, times, county and unit as sent) with its "
        "words cleaned and redacted, no client id and no contact: client_pseudonym and "
        "contact_sealed in their place. A text the redaction made longer than its field allows "
        "is clipped to it.")
    origin: Origin = Field(description="Where the raw record was on intake (kept only for the "
                                       "intake retention).")
    received_at: AwareDatetime | None = Field(
        default=None, description="The intake record's Kafka timestamp, when it had one.")
    item_ids: tuple[ItemId, ...] = Field(default=(), description="The knowledge items made of it.")

    @model_validator(mode="after")
    def _no_raw_identifiers(self) -> SourceRecorded:
        # The contract itself refuses a raw identifier: a reader rejects such a record rather
        # than store it.
        s = self.source
        if isinstance(s, FeedbackSubmitted) and (s.client_id is not None or s.contact is not None):
            raise ValueError("a recorded source holds no raw client id or contact")
        if self.event_id != source_recorded_id(s.event_id) or self.caused_by != s.event_id:
            raise ValueError("event_id and caused_by must follow from the source event's id")
        return self

"""Knowledge items and the copies routed to their recipients."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from schemas.envelope import Code, Envelope, ItemId
from schemas.feedback import Channel, Language, RespondentRole
from schemas.privacy import Pseudonym, SealedContact
from schemas.statement import AuthorRole
from schemas.taxonomy import Severity, Stance, Theme
from schemas.workshop import ForumType, OutputTarget


class SourceFamily(StrEnum):
    FEEDBACK = "feedback"
    WORKSHOP_OUTPUT = "workshop_output"
    EXPERT_STATEMENT = "expert_statement"
    AGGREGATE = "aggregate"  # a weekly signal summarising items (schemas/signal.py)


class KnowledgeItem(BaseModel):
    """One piece of clients' knowledge: a feedback, one workshop output item, or a statement.

    The text is redacted and cleaned of control characters; contact details and client
    identifiers never appear here, only the client's pseudonym and the contact sealed with the
    person's own key.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    item_id: ItemId
    source_family: SourceFamily
    source_event_id: str
    county: Code
    service_area: Code
    unit: Code | None = None
    language: Language | None = None
    text: str
    # feedback
    channel: Channel | None = None
    rating: int | None = None
    respondent_role: RespondentRole | None = None
    reply_requested: bool = False
    contact_given: bool = False
    client_pseudonym: Pseudonym | None = Field(
        default=None, description="Keyed HMAC of the client (within the county); never the id.")
    contact_sealed: SealedContact | None = Field(
        default=None,
        description="The contact for the reply, encrypted with the person's key (key_id = "
        "client_pseudonym); unreadable once the person is forgotten.",
    )
    # workshop output
    workshop_id: Code | None = None
    forum_type: ForumType | None = None
    target: OutputTarget | None = None
    # statement
    author_role: AuthorRole | None = None
    topic: str | None = None
    recommendations: tuple[str, ...] = ()
    decision_ref: str | None = None
    county_wide: bool = False
    # aggregate (weekly signal)
    members: tuple[ItemId, ...] = ()
    week: str | None = None
    text_cleaned: bool = Field(
        default=False,
        description="True when control characters (terminal escape sequences, NUL and other C0 "
        "and C1 controls, bidirectional overrides) were removed from the item's text, topic, "
        "recommendations or decision reference at intake. Written only when true.",
    )

    @model_serializer(mode="wrap")
    def _without_default_note(self, handler: SerializerFunctionWrapHandler):
        """Leave text_cleaned out when false, so an item received before the field existed
        serialises to the bytes it was sealed with (its chain hash still verifies on replay).
        No return annotation: pydantic then keeps the model's own JSON Schema."""
        out = handler(self)
        if not self.text_cleaned:
            out.pop("text_cleaned", None)
        return out


class Classification(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    themes: tuple[Theme, ...]
    stance: Stance
    severity: Severity
    rules: tuple[str, ...] = Field(description="Ids of the rules that fired, for explanation.")
    classifier_version: str
    language: str | None = Field(
        default=None, max_length=20,
        description="The text's language as the classifier read it: fi, sv, en, "
        "se (Northern Sámi: recognised and routed), or 'unsupported' (a language without rules: "
        "still classified and routed).",
    )
    explanation: str | None = Field(
        default=None, max_length=2_000,
        description="One line for a person: the labels and the words that decided severity.",
    )
    critical_triggers: tuple[str, ...] = Field(
        default=(), description="The (redacted) text's words that made the item critical.",
    )
    critical_suspected: bool = Field(
        default=False,
        description="Severity is critical on partial evidence (a harm frame without its "
        "vulnerable person, or the other way round): routed as critical and waiting for a "
        "person to confirm or down-grade it (lifecycle step item.severity_confirmed).",
    )


class RecipientLevel(StrEnum):
    UNIT = "unit"  # yksikön esihenkilö
    LEADERSHIP = "leadership"  # palvelualuejohto
    DECISION_MAKERS = "decision_makers"  # poliittiset päättäjät


class Route(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    level: RecipientLevel
    topic: str
    reason: str = Field(description="Why the item goes here, in words a recipient understands.")
    immediate_attention: bool = False


class ItemForwarded(Envelope):
    """What a recipient reads on its routed topic: the item, its classification and why it came."""

    event_type: Literal["item.forwarded"] = "item.forwarded"
    schema_version: Literal[2] = 2  # 2: classification has language, explanation, triggers
    item_id: ItemId
    item: KnowledgeItem
    classification: Classification
    route: Route

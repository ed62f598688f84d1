"""Turn a source event into knowledge items: one per feedback, workshop output item, statement.

A person's words are cleaned of control characters first (schemas/cleaning.py) and redacted
after, so no control character can split a henkilötunnus or a phone number past the redaction;
an item whose words lost any says so (`text_cleaned`).
"""

from __future__ import annotations

from schemas.cleaning import clean_text
from schemas.envelope import derived_uuid
from schemas.feedback import FeedbackSubmitted
from schemas.knowledge import KnowledgeItem, SourceFamily
from schemas.redaction import redact
from schemas.registry import SourceEvent
from schemas.signal import SignalDetected
from schemas.statement import ExpertStatementIssued
from schemas.workshop import WorkshopOutputRecorded
from streams.privacy import Privacy, passthrough

_PREFIX = {
    SourceFamily.FEEDBACK: "fb",
    SourceFamily.WORKSHOP_OUTPUT: "ws",
    SourceFamily.EXPERT_STATEMENT: "st",
    SourceFamily.AGGREGATE: "ag",
}


def item_id_for(family: SourceFamily, source_event_id: object, index: int = 0) -> str:
    """Stable id: the same source event always yields the same item ids."""
    return f"{_PREFIX[family]}-{derived_uuid('item', source_event_id, index).hex[:16]}"


def knowledge_items(event: SourceEvent, privacy: Privacy | None = None) -> list[KnowledgeItem]:
    """Without `privacy` a raw client id or contact is dropped (only what the intake gateway
    already pseudonymised and sealed is kept); with it they are pseudonymised and sealed."""
    if isinstance(event, FeedbackSubmitted):
        return [_from_feedback(event, privacy)]
    if isinstance(event, WorkshopOutputRecorded):
        return _from_workshop(event)
    if isinstance(event, ExpertStatementIssued):
        return [_from_statement(event)]
    if isinstance(event, SignalDetected):
        return [_from_signal(event)]
    raise TypeError(f"not a source event: {type(event).__name__}")


class _Cleaner:
    """Cleans and redacts a person's words, remembering whether any control character went."""

    def __init__(self) -> None:
        self.cleaned = False

    def __call__(self, text: str) -> str:
        return redact(self.clean(text))

    def clean(self, text: str) -> str:
        cleaned = clean_text(text)
        self.cleaned = self.cleaned or cleaned != text
        return cleaned

    def reference(self, ref: str | None) -> str | None:
        """A decision reference (e.g. "AHS 12.3.2026 § 45") is cleaned but not redacted: its
        digits are no phone number."""
        return None if ref is None else self.clean(ref)


def _from_feedback(e: FeedbackSubmitted, privacy: Privacy | None) -> KnowledgeItem:
    protected = privacy.protect(e) if privacy is not None else passthrough(e)
    words = _Cleaner()
    text = words(e.text)
    source_event_id = str(e.event_id)  # once: item_id_for joins the id's str as well
    return KnowledgeItem(
        item_id=item_id_for(SourceFamily.FEEDBACK, source_event_id),
        source_family=SourceFamily.FEEDBACK,
        source_event_id=source_event_id,
        county=e.county,
        service_area=e.service_area,
        unit=e.unit,
        language=e.language,
        text=text,
        channel=e.channel,
        rating=e.rating,
        respondent_role=e.respondent_role,
        reply_requested=e.reply_requested,
        contact_given=bool(e.contact or e.contact_sealed),
        client_pseudonym=protected.client_pseudonym,
        contact_sealed=protected.contact_sealed,
        text_cleaned=words.cleaned,
    )


def _from_workshop(e: WorkshopOutputRecorded) -> list[KnowledgeItem]:
    items = []
    source_event_id = str(e.event_id)
    for i, out in enumerate(e.items):
        words = _Cleaner()
        text, decision_ref = words(out.text), words.reference(out.decision_ref)
        items.append(KnowledgeItem(
            item_id=item_id_for(SourceFamily.WORKSHOP_OUTPUT, source_event_id, i),
            source_family=SourceFamily.WORKSHOP_OUTPUT,
            source_event_id=source_event_id,
            county=e.county,
            service_area=e.service_area,
            unit=e.unit,
            text=text,
            workshop_id=e.workshop_id,
            forum_type=e.forum_type,
            target=out.target,
            decision_ref=decision_ref,
            text_cleaned=words.cleaned,
        ))
    return items


def _from_statement(e: ExpertStatementIssued) -> KnowledgeItem:
    words = _Cleaner()
    text, topic = words(e.text), words(e.topic)
    recommendations = tuple(words(r) for r in e.recommendations)
    decision_ref = words.reference(e.decision_ref)
    return KnowledgeItem(
        item_id=item_id_for(SourceFamily.EXPERT_STATEMENT, e.event_id),
        source_family=SourceFamily.EXPERT_STATEMENT,
        source_event_id=str(e.event_id),
        county=e.county,
        service_area=e.service_area,
        unit=e.unit,
        language=e.language,
        text=text,
        author_role=e.author_role,
        topic=topic,
        recommendations=recommendations,
        decision_ref=decision_ref,
        county_wide=e.county_wide,
        text_cleaned=words.cleaned,
    )


def _from_signal(e: SignalDetected) -> KnowledgeItem:
    """A weekly signal is an item of its own; its text is generated, no client's words."""
    return KnowledgeItem(
        item_id=item_id_for(SourceFamily.AGGREGATE, e.event_id),
        source_family=SourceFamily.AGGREGATE,
        source_event_id=str(e.event_id),
        county=e.county,
        service_area=e.service_area,
        unit=e.unit,
        language=None,
        text=e.text,
        members=e.members,
        week=e.week,
    )

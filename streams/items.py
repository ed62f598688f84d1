"""Turn a source event into knowledge items: one per feedback, workshop output item, statement."""

from __future__ import annotations

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


def _from_feedback(e: FeedbackSubmitted, privacy: Privacy | None) -> KnowledgeItem:
    protected = privacy.protect(e) if privacy is not None else passthrough(e)
    return KnowledgeItem(
        item_id=item_id_for(SourceFamily.FEEDBACK, e.event_id),
        source_family=SourceFamily.FEEDBACK,
        source_event_id=str(e.event_id),
        county=e.county,
        service_area=e.service_area,
        unit=e.unit,
        language=e.language,
        text=redact(e.text),
        channel=e.channel,
        rating=e.rating,
        respondent_role=e.respondent_role,
        reply_requested=e.reply_requested,
        contact_given=bool(e.contact or e.contact_sealed),
        client_pseudonym=protected.client_pseudonym,
        contact_sealed=protected.contact_sealed,
    )


def _from_workshop(e: WorkshopOutputRecorded) -> list[KnowledgeItem]:
    return [
        KnowledgeItem(
            item_id=item_id_for(SourceFamily.WORKSHOP_OUTPUT, e.event_id, i),
            source_family=SourceFamily.WORKSHOP_OUTPUT,
            source_event_id=str(e.event_id),
            county=e.county,
            service_area=e.service_area,
            unit=e.unit,
            text=redact(out.text),
            workshop_id=e.workshop_id,
            forum_type=e.forum_type,
            target=out.target,
            decision_ref=out.decision_ref,
        )
        for i, out in enumerate(e.items)
    ]


def _from_statement(e: ExpertStatementIssued) -> KnowledgeItem:
    return KnowledgeItem(
        item_id=item_id_for(SourceFamily.EXPERT_STATEMENT, e.event_id),
        source_family=SourceFamily.EXPERT_STATEMENT,
        source_event_id=str(e.event_id),
        county=e.county,
        service_area=e.service_area,
        unit=e.unit,
        language=e.language,
        text=redact(e.text),
        author_role=e.author_role,
        topic=redact(e.topic),
        recommendations=tuple(redact(r) for r in e.recommendations),
        decision_ref=e.decision_ref,
        county_wide=e.county_wide,
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

"""The kept copy of an accepted source event (schemas/sources.py): pure, deterministic, no I/O.

Built from the knowledge items the event made (streams/items.py), so the archive holds exactly
what the items hold: the words cleaned and redacted by the same rule, the pseudonym and the
sealed contact the privacy service gave (streams/privacy.py), and no raw client id or contact.
A redelivered record builds the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from schemas.dead_letter import Origin
from schemas.feedback import FeedbackSubmitted
from schemas.knowledge import KnowledgeItem
from schemas.registry import SourceEvent
from schemas.sources import SourceRecorded, source_recorded_id
from schemas.statement import ExpertStatementIssued
from schemas.workshop import WorkshopOutputItem, WorkshopOutputRecorded

# A text emptied by cleaning (nothing but control characters) still needs a character: the
# source event's fields require one.
EMPTIED = "[TYHJÄ]"


def _fit(text: str, limit: int) -> str:
    """Redaction's placeholders may be longer than what they replaced: clip to the field."""
    return text[:limit] if text else EMPTIED


def _limit(model: type[object], name: str) -> int:
    for m in model.model_fields[name].metadata:  # type: ignore[attr-defined]
        if getattr(m, "max_length", None) is not None:
            return int(m.max_length)
    raise LookupError(f"{model.__name__}.{name} has no max_length")


_FEEDBACK_TEXT = _limit(FeedbackSubmitted, "text")
_OUTPUT_TEXT = _limit(WorkshopOutputItem, "text")
_STATEMENT_TEXT = _limit(ExpertStatementIssued, "text")
_STATEMENT_TOPIC = _limit(ExpertStatementIssued, "topic")


def redacted_source(source: SourceEvent, items: Sequence[KnowledgeItem]) -> SourceEvent:
    """The source event with the items' words, pseudonym and sealed contact in place of its own."""
    if isinstance(source, FeedbackSubmitted):
        [item] = items
        return source.model_copy(update={
            "text": _fit(item.text, _FEEDBACK_TEXT), "client_id": None, "contact": None,
            "client_pseudonym": item.client_pseudonym, "contact_sealed": item.contact_sealed,
        })
    if isinstance(source, WorkshopOutputRecorded):
        outputs = tuple(
            WorkshopOutputItem(text=_fit(item.text, _OUTPUT_TEXT), target=out.target,
                               decision_ref=item.decision_ref)
            for out, item in zip(source.items, items, strict=True))
        return source.model_copy(update={"items": outputs})
    if isinstance(source, ExpertStatementIssued):
        [item] = items
        return source.model_copy(update={
            "text": _fit(item.text, _STATEMENT_TEXT),
            "topic": _fit(item.topic or "", _STATEMENT_TOPIC),
            "recommendations": item.recommendations, "decision_ref": item.decision_ref,
        })
    return source  # a signal: generated text and item ids, no one's words


def recorded(
    source: SourceEvent, items: Sequence[KnowledgeItem], origin: Origin, now: datetime,
    received_at: datetime | None,
) -> SourceRecorded:
    """`now` is the record's receipt (as for the item's steps); `received_at` its Kafka
    timestamp, None when it had none."""
    return SourceRecorded(
        event_id=source_recorded_id(source.event_id), occurred_at=source.occurred_at,
        recorded_at=now, county=source.county, unit=source.unit, caused_by=source.event_id,
        source=redacted_source(source, items), origin=origin, received_at=received_at,
        item_ids=tuple(i.item_id for i in items),
    )

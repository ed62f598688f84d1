"""Where a classified knowledge item goes (docs/design.md §2.4, routing defaults), and whether
it may go anywhere at all: only to the organisations the registry knows."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.dead_letter import FieldProblem, RejectionReason
from schemas.knowledge import Classification, KnowledgeItem, RecipientLevel, Route, SourceFamily
from schemas.organisations import OrganisationRegistry
from schemas.registry import InvalidEvent, SourceEvent
from schemas.taxonomy import Severity
from schemas.topics import TopicNames
from schemas.workshop import OutputTarget


@dataclass(frozen=True)
class RoutingPolicy:
    """Defaults of docs/design.md §2.4; a county can pass its own."""

    leadership_from_severity: Severity = Severity.HIGH
    immediate_from_severity: Severity = Severity.CRITICAL
    participation_outputs_to_leadership: bool = True


DECISION_TARGETS = {OutputTarget.COUNTY_POLICY, OutputTarget.DECISION_UNDER_PREPARATION}
# Severity.rank, looked up: the property lists the enum at every call (three a source event).
_RANK = {severity: severity.rank for severity in Severity}
_PARTICIPATION = frozenset({SourceFamily.WORKSHOP_OUTPUT, SourceFamily.EXPERT_STATEMENT})


def route(
    item: KnowledgeItem,
    classification: Classification,
    topics: TopicNames,
    policy: RoutingPolicy = RoutingPolicy(),
) -> tuple[Route, ...]:
    severity = classification.severity
    rank = _RANK[severity]
    immediate = rank >= _RANK[policy.immediate_from_severity]
    participation = item.source_family in _PARTICIPATION
    routes: list[Route] = []
    if item.source_family is SourceFamily.AGGREGATE:
        return (Route(
            level=RecipientLevel.LEADERSHIP,
            topic=topics.leadership(item.county, item.service_area),
            reason=f"Viikkosignaali {item.week}: {len(item.members)} asiaa samasta teemasta "
            f"yksikössä {item.unit} (weekly signal: {len(item.members)} items on one theme)",
            immediate_attention=immediate,
        ),)

    if item.unit is not None:
        routes.append(Route(
            level=RecipientLevel.UNIT,
            topic=topics.unit(item.county, item.unit),
            reason="Yksikön oma palaute ja tieto (every item goes to its unit)",
            immediate_attention=immediate,
        ))

    leadership_reasons = []
    if rank >= _RANK[policy.leadership_from_severity]:
        leadership_reasons.append(
            "Kriittinen: välitön huomio (critical severity, immediate attention)" if immediate
            else f"Vakavuus {severity.value} (severity {severity.value})"
        )
    if participation and policy.participation_outputs_to_leadership:
        leadership_reasons.append("Osallisuustoiminnan tuotos (participation output)")
    if item.unit is None and not leadership_reasons:
        leadership_reasons.append("Ei yksikköä: palvelualueelle (no unit given)")
    if leadership_reasons:
        routes.append(Route(
            level=RecipientLevel.LEADERSHIP,
            topic=topics.leadership(item.county, item.service_area),
            reason="; ".join(leadership_reasons),
            immediate_attention=immediate,
        ))

    if participation and _concerns_decision_makers(item):
        routes.append(Route(
            level=RecipientLevel.DECISION_MAKERS,
            topic=topics.decision_makers(item.county),
            reason=_decision_reason(item),
            immediate_attention=immediate,
        ))
    return tuple(routes)


def _concerns_decision_makers(item: KnowledgeItem) -> bool:
    return bool(item.decision_ref) or item.county_wide or item.target in DECISION_TARGETS


def _decision_reason(item: KnowledgeItem) -> str:
    if item.decision_ref:
        return f"Koskee valmisteltavaa päätöstä {item.decision_ref} (decision under preparation)"
    return "Koskee koko hyvinvointialueen linjausta (county-wide policy)"


def unknown_organisation(
    source: SourceEvent, registry: OrganisationRegistry
) -> InvalidEvent | None:
    """Why the event names a county, service area or unit the registry does not know, as the
    `unknown_unit` rejection; None when every one it names is known and belongs where it says.

    Every topic name is made of these codes, so an unknown one would make a new topic, kept for
    ever, and a code may be anything a source system put there (a name, an identifier): the
    rejection names only what the registry knows, never the unknown code."""
    meta = {"event_type": source.event_type, "event_id": str(source.event_id)}
    county = registry.county(source.county)
    if county is None:
        return InvalidEvent(
            RejectionReason.UNKNOWN_UNIT,
            "tuntematon hyvinvointialue (unknown county): not in the organisation registry",
            (FieldProblem(location="county", problem="unknown_county"),), **meta)
    meta["county"] = county.code
    area = source.service_area
    if registry.service_area(county.code, area) is None:
        return InvalidEvent(
            RejectionReason.UNKNOWN_UNIT,
            f"tuntematon palvelualue (unknown service area): not one of {county.code}'s "
            "service areas in the organisation registry",
            (FieldProblem(location="service_area", problem="unknown_service_area"),), **meta)
    if source.unit is None:
        return None
    unit = registry.unit(county.code, source.unit)
    if unit is None:
        return InvalidEvent(
            RejectionReason.UNKNOWN_UNIT,
            f"tuntematon yksikkö (unknown unit): not one of {county.code}'s units in the "
            "organisation registry",
            (FieldProblem(location="unit", problem="unknown_unit"),), **meta)
    if unit.service_area != area:
        return InvalidEvent(
            RejectionReason.UNKNOWN_UNIT,
            f"yksikkö kuuluu toiseen palvelualueeseen (the unit belongs to service area "
            f"{unit.service_area} in the organisation registry, not {area})",
            (FieldProblem(location="service_area", problem="unit_not_in_service_area"),),
            **meta)
    return None

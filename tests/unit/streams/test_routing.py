from schemas.knowledge import Classification, KnowledgeItem, RecipientLevel, SourceFamily
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from schemas.workshop import OutputTarget
from streams.routing import route

T = TopicNames("kv.")


def item(**kw: object) -> KnowledgeItem:
    base: dict[str, object] = dict(
        item_id="fb-0123456789abcdef", source_family=SourceFamily.FEEDBACK, source_event_id="x",
        county="lappi", service_area="perusterveydenhuolto", unit="kemin-terveysasema", text="t",
    )
    base.update(kw)
    return KnowledgeItem(**base)  # type: ignore[arg-type]


def classified(severity: Severity) -> Classification:
    return Classification(themes=(Theme.ACCESS,), stance=Stance.COMPLAINT, severity=severity,
                          rules=("r",), classifier_version="test")


def levels(routes: tuple) -> list[RecipientLevel]:  # type: ignore[type-arg]
    return [r.level for r in routes]


def test_every_item_goes_to_its_unit() -> None:
    routes = route(item(), classified(Severity.LOW), T)
    assert levels(routes) == [RecipientLevel.UNIT]
    assert routes[0].topic == "kv.routed.unit.lappi.kemin-terveysasema"
    assert not routes[0].immediate_attention


def test_high_severity_also_goes_to_leadership() -> None:
    routes = route(item(), classified(Severity.HIGH), T)
    assert levels(routes) == [RecipientLevel.UNIT, RecipientLevel.LEADERSHIP]
    assert routes[1].topic == "kv.routed.leadership.lappi.perusterveydenhuolto"
    assert not any(r.immediate_attention for r in routes)


def test_critical_is_marked_for_immediate_attention_everywhere() -> None:
    routes = route(item(), classified(Severity.CRITICAL), T)
    assert levels(routes) == [RecipientLevel.UNIT, RecipientLevel.LEADERSHIP]
    assert all(r.immediate_attention for r in routes)
    assert "Kriittinen" in routes[1].reason


def test_workshop_output_for_the_unit_goes_to_unit_and_leadership_only() -> None:
    w = item(source_family=SourceFamily.WORKSHOP_OUTPUT, target=OutputTarget.UNIT)
    assert levels(route(w, classified(Severity.NONE), T)) == [
        RecipientLevel.UNIT, RecipientLevel.LEADERSHIP]


def test_outputs_on_policy_or_a_decision_reach_decision_makers() -> None:
    for kw in ({"target": OutputTarget.COUNTY_POLICY},
               {"target": OutputTarget.DECISION_UNDER_PREPARATION, "decision_ref": "A/1/2026"}):
        w = item(source_family=SourceFamily.WORKSHOP_OUTPUT, unit=None, **kw)
        routes = route(w, classified(Severity.NONE), T)
        assert levels(routes) == [RecipientLevel.LEADERSHIP, RecipientLevel.DECISION_MAKERS]
        assert routes[1].topic == "kv.routed.decision-makers.lappi"


def test_statement_on_a_decision_names_it() -> None:
    s = item(source_family=SourceFamily.EXPERT_STATEMENT, unit=None, decision_ref="LAPHA/7/2026")
    routes = route(s, classified(Severity.NONE), T)
    assert levels(routes) == [RecipientLevel.LEADERSHIP, RecipientLevel.DECISION_MAKERS]
    assert "LAPHA/7/2026" in routes[1].reason


def test_topic_prefix_goes_before_every_name() -> None:
    t = TopicNames("hva.prod.")
    assert route(item(), classified(Severity.LOW), t)[0].topic.startswith("hva.prod.routed.")
    assert t.intake == "hva.prod.intake"

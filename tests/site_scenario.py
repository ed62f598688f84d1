""""You said, we did" scenario: a store with decided and returned items, built through the
sink's own path (project + Store.write) from events, without a broker. Used by the site's
integration and browser tests.

Rovaniemi: six feedback in November 2026 (a big enough group: the words are shown), one decided
and returned; Kemi: two (small: summarised, its figures suppressed), one decided; Vaasa
(Finnish and Swedish): five in Swedish, one decided with a Finnish rationale.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from schemas.dead_letter import Origin
from schemas.knowledge import Classification, SourceFamily
from schemas.lifecycle import (
    ActorRole,
    ItemAcknowledged,
    ItemDecided,
    ItemReturned,
    LifecycleEvent,
    Outcome,
    ReturnedTo,
)
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from sinks.projection import ConsumedRecord, project
from sinks.store import Store
from streams.items import item_id_for
from streams.processing import Processor
from tests.factories import as_bytes, feedback

T = TopicNames("kv.")
HEL = ZoneInfo("Europe/Helsinki")
NS = uuid.UUID("5d0c6a1e-2b7f-4c3d-8e9a-0f1e2d3c4b5a")
ROV, KEMI, VAASA = "rovaniemen-terveysasema", "kemin-terveysasema", "vaasan-terveysasema"
PSEUDONYM = "ps-" + "ab" * 16

WORDS_ROV = "Jonotin puhelimessa tunnin, eikä kukaan vastannut takaisin."
WORDS_KEMI = "Ajanvaraus kesti kuukauden ja kukaan ei kertonut miksi."
WORDS_VAASA = "Jag fick vänta i telefonkö i en timme utan svar."
RATIONALE_ROV = "Puhelinpalveluun lisätään takaisinsoitto arkisin klo 8–16."
RATIONALE_VAASA = "Ajanvaraukseen palkataan kaksi ruotsinkielistä hoitajaa."


def _id(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def _fb(name: str, unit: str, day: int, text: str, language: str = "fi",
        area: str = "perusterveydenhuolto", county: str = "lappi") -> dict[str, Any]:
    when = datetime(2026, 11, day, 10, tzinfo=HEL)
    return feedback(event_id=_id(name), occurred_at=when.isoformat(),
                    recorded_at=(when + timedelta(minutes=5)).isoformat(), county=county,
                    unit=unit, service_area=area, text=text, language=language,
                    reply_requested=False, contact=None, client_pseudonym=PSEUDONYM)


SOURCES: dict[str, dict[str, Any]] = {
    **{f"R{i}": _fb(f"R{i}", ROV, 2 + i, WORDS_ROV if i == 0 else f"Odotin {i + 2} viikkoa.")
       for i in range(6)},
    "K0": _fb("K0", KEMI, 3, WORDS_KEMI), "K1": _fb("K1", KEMI, 4, "Jono oli pitkä."),
    **{f"V{i}": _fb(f"V{i}", VAASA, 3 + i, WORDS_VAASA if i == 0 else f"Kön var lång {i}.",
                    "sv", county="pohjanmaa") for i in range(5)},
}
ITEM = {name: item_id_for(SourceFamily.FEEDBACK, e["event_id"]) for name, e in SOURCES.items()}


def classify(text: str, language: str | None) -> Classification:
    return Classification(themes=(Theme.ACCESS,), stance=Stance.COMPLAINT,
                          severity=Severity.MEDIUM, rules=("t",), classifier_version="test")


def _step(cls: type[LifecycleEvent], name: str, day: int, **fields: Any) -> LifecycleEvent:
    when = datetime(2026, 11, day, 12, tzinfo=HEL)
    source = SOURCES[name]
    return cls(event_id=uuid.uuid5(NS, f"{name}|{cls.__name__}"), occurred_at=when,
               recorded_at=when + timedelta(minutes=1), county=source["county"],
               unit=source["unit"], item_id=ITEM[name], actor_role=ActorRole.UNIT_MANAGER,
               **fields)


def steps() -> list[LifecycleEvent]:
    out: list[LifecycleEvent] = []
    for name, day, rationale in (("R0", 20, RATIONALE_ROV), ("K0", 21, "Ajanvarausta lisätään."),
                                 ("V0", 22, RATIONALE_VAASA)):
        out += [_step(ItemAcknowledged, name, day - 5),
                _step(ItemDecided, name, day, outcome=Outcome.ADOPTED, rationale=rationale,
                      decision_ref="LAPHA/12/2026" if name == "R0" else None)]
    out.append(_step(ItemReturned, "R0", 25, returned_to=ReturnedTo.PUBLIC_DIGEST,
                     channel="web"))
    return out


def records() -> list[ConsumedRecord]:
    out: list[ConsumedRecord] = []
    offsets: Counter[str] = Counter()
    processor = Processor(T, classify=classify)
    for event in SOURCES.values():
        origin = Origin(topic=T.intake, partition=0, offset=offsets[T.intake])
        offsets[T.intake] += 1
        for o in processor.process(as_bytes(event), origin,
                                   datetime.fromisoformat(event["recorded_at"])):
            out.append(ConsumedRecord(o.topic, 0, offsets[o.topic], None, o.value))
            offsets[o.topic] += 1
    for step in steps():
        out.append(ConsumedRecord(T.lifecycle, 0, offsets[T.lifecycle], None,
                                  step.to_json_bytes()))
        offsets[T.lifecycle] += 1
    return out


def build_store(path: Path) -> Path:
    """The scenario's store at `path` (closed again, for readers)."""
    store = Store(path)
    store.write(project(records(), T, datetime.now(UTC)))
    store.con.close()
    return path

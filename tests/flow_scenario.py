"""A hand-made flow-metrics scenario with expected figures computed by hand (issue 3).

Ten client knowledge items and one weekly signal in Lapland and Pirkanmaa, autumn 2024, looked at
on Tuesday 31.12.2024 12:00 Finnish time. Finnish working days around it (Europe/Helsinki):

    Nov 2024: 4-8, 11-15, 18-22, 25-29           (Mon-Fri, no holiday)
    Dec 2024: 2-5, 9-13, 16-20, 23, 27, 30, 31   (Fri 6.12 itsenäisyyspäivä; 24-26.12 joulu)
    Jan 2025: 2, 3, 7, ...                        (1.1 uudenvuodenpäivä, Mon 6.1 loppiainen)

item  county/unit theme          received      what happened (actor role), dates 2024
F1    lappi/R access, reply      Mon 2.12 9:00 ack 4.12 9 (unit), escalated 4.12 10, ack 5.12 9
                                               (leadership), presented 10.12 9 (leadership),
                                               decided 12.12 9 (decision_maker), returned to
                                               the client 16.12 9, closed 17.12 9
F2    lappi/R access, oral       Wed 4.12 14   ack 10.12 14 (unit)
F3    lappi/K access, reply      Thu 5.12 10   nothing: ack due 11.12 (3 wd over 6.12)
F4    lappi/R access, written    Mon 4.11 10   ack 5.11 10 (unit); in AG, whose leadership ack
                                               12.11 10 makes it reach leadership; decide due 4.12
F5    lappi/R access             Tue 5.11 10   ack 6.11 10 (leadership), decided 20.11 10
                                               (leadership), returned public_digest 20.12 10; in AG
F6    lappi/R respect, reply     Mon 9.12 8    ack 9.12 12 (unit), returned to the client 11.12 8
                                               (thanks, no decision), closed 11.12 9
F7    pirkanmaa/H fees           Fri 20.12 10  ack 23.12 10 (unit)
F8    lappi/K access+communication, reply
                                 Thu 19.12 15  nothing: ack due 27.12 (3 wd over joulu)
F9    lappi/R access             Fri 20.9 10   ack 23.9 10 (leadership), closed 24.9 10
S1    lappi statement, no theme  Mon 2.12 9    ack 3.12 9 (participation_coordinator), presented
                                               9.12 9 (same), decided 16.12 9 (decision_maker),
                                               returned to the expert 18.12 9
AG    signal lappi/R access      Mon 11.11 8   ack 12.11 10 (leadership); members F4, F5

R = rovaniemen-terveysasema, K = kemin-terveysasema, H = hervannan-terveysasema; "reply" = the
client asked for a reply and gave contact details. Each lifecycle event is recorded one minute
after it occurred.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from schemas.knowledge import SourceFamily
from schemas.lifecycle import (
    ActorRole,
    ItemAcknowledged,
    ItemClosed,
    ItemDecided,
    ItemEscalated,
    ItemPresented,
    ItemReturned,
    LifecycleEvent,
    Outcome,
    ReturnedTo,
)
from streams.items import item_id_for
from tests.factories import feedback, statement

HEL = ZoneInfo("Europe/Helsinki")
NOW = datetime(2024, 12, 31, 12, 0, tzinfo=HEL)
NS = uuid.UUID("0b5f8a52-3c1e-4d7a-9f62-1a2b3c4d5e6f")
R, K, H = "rovaniemen-terveysasema", "kemin-terveysasema", "hervannan-terveysasema"
PTH, MTP = "perusterveydenhuolto", "mielenterveys-ja-paihde"


def at(day: int, month: int, hour: int, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, tzinfo=HEL)


def sql_ts(moment: datetime) -> str:
    return f"TIMESTAMPTZ '{moment.isoformat()}'"


def _event_id(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def _times(when: datetime) -> dict[str, str]:
    return {"occurred_at": when.isoformat(),
            "recorded_at": (when + timedelta(minutes=5)).isoformat()}


def _fb(name: str, when: datetime, text: str, *, county: str = "lappi", unit: str = R,
        channel: str = "electronic", reply: bool = False) -> dict[str, Any]:
    return feedback(event_id=_event_id(name), **_times(when), county=county, unit=unit,
                    service_area=PTH, channel=channel, text=text, reply_requested=reply,
                    contact="asiakas@example.fi" if reply else None)


# Texts the rule-based classifier labels with the themes given (checked by the broker test).
THEMES: dict[str, tuple[str, ...]] = {
    "F1": ("access",), "F2": ("access",), "F3": ("access",), "F4": ("access",),
    "F5": ("access",), "F6": ("respect",), "F7": ("fees",), "F8": ("access", "communication"),
    "F9": ("access",), "S1": (),
}
SOURCES: dict[str, dict[str, Any]] = {
    "F1": _fb("F1", at(2, 12, 9), "Odotin vastaanotolle kolme viikkoa.", reply=True),
    "F2": _fb("F2", at(4, 12, 14), "Jonotin puhelimessa tunnin, eikä kukaan vastannut.",
              channel="oral"),
    "F3": _fb("F3", at(5, 12, 10),
              "Ajanvaraus kesti kuukauden ja lääkäriin pääsi vasta kuukauden päästä.",
              unit=K, reply=True),
    "F4": _fb("F4", at(4, 11, 10), "Jono päivystykseen oli viisi tuntia.", channel="written"),
    "F5": _fb("F5", at(5, 11, 10), "Odotusaika leikkaukseen on liian pitkä."),
    "F6": _fb("F6", at(9, 12, 8), "Hoitaja oli ystävällinen, kiitos!", reply=True),
    "F7": _fb("F7", at(20, 12, 10), "Laskussa oli virhe, maksu liian suuri.",
              county="pirkanmaa", unit=H),
    "F8": _fb("F8", at(19, 12, 15), "Jonotin tunnin, eikä kukaan kertonut mitään.", unit=K,
              reply=True),
    "F9": _fb("F9", at(20, 9, 10), "Odotin puhelinjonossa puoli tuntia."),
    "S1": statement(event_id=_event_id("S1"), **_times(at(2, 12, 9)), county="lappi",
                    service_area=MTP, text="Kokemusasiantuntijoina esitämme, että matalan "
                    "kynnyksen palvelut säilytetään."),
}
ITEM: dict[str, str] = {
    name: item_id_for(SourceFamily.EXPERT_STATEMENT if name == "S1" else SourceFamily.FEEDBACK,
                      e["event_id"])
    for name, e in SOURCES.items()
}
SOURCES["AG"] = {
    "event_type": "signal.detected", "schema_version": 1, "event_id": _event_id("AG"),
    **_times(at(11, 11, 8)), "county": "lappi", "unit": R, "service_area": PTH,
    "theme": "access", "week": "2024-W45", "threshold": 2, "members": [ITEM["F4"], ITEM["F5"]],
    "stance": "complaint", "severity": "medium",
    "text": "Viikolla 45 kaksi palautetta odottamisesta Rovaniemen terveysasemalla.",
}
ITEM["AG"] = item_id_for(SourceFamily.AGGREGATE, SOURCES["AG"]["event_id"])

UNIT, LEAD = ActorRole.UNIT_MANAGER, ActorRole.LEADERSHIP
DM, PC = ActorRole.DECISION_MAKER, ActorRole.PARTICIPATION_COORDINATOR


def _step(cls: type[LifecycleEvent], name: str, when: datetime, role: ActorRole,
          **fields: Any) -> LifecycleEvent:
    source = SOURCES[name]
    return cls(event_id=uuid.uuid5(NS, f"{name}|{cls.__name__}|{when.isoformat()}"),
               occurred_at=when, recorded_at=when + timedelta(minutes=1),
               county=source["county"], unit=source.get("unit"), item_id=ITEM[name],
               actor_role=role, **fields)


def lifecycle_events() -> list[LifecycleEvent]:
    """The steps after received/classified/routed, each item's in order."""
    decided = {"outcome": Outcome.ADOPTED, "rationale": "Toimenpiteet käynnistetty."}
    return [
        _step(ItemAcknowledged, "F1", at(4, 12, 9), UNIT),
        _step(ItemEscalated, "F1", at(4, 12, 10), UNIT, reason="Toistuva ongelma."),
        _step(ItemAcknowledged, "F1", at(5, 12, 9), LEAD),
        _step(ItemPresented, "F1", at(10, 12, 9), LEAD, body="aluehallitus", agenda_ref="§ 12"),
        _step(ItemDecided, "F1", at(12, 12, 9), DM, **decided),
        _step(ItemReturned, "F1", at(16, 12, 9), UNIT, returned_to=ReturnedTo.CLIENT,
              channel="email"),
        _step(ItemClosed, "F1", at(17, 12, 9), UNIT),
        _step(ItemAcknowledged, "F2", at(10, 12, 14), UNIT),
        _step(ItemAcknowledged, "F4", at(5, 11, 10), UNIT),
        _step(ItemAcknowledged, "F5", at(6, 11, 10), LEAD),
        _step(ItemDecided, "F5", at(20, 11, 10), LEAD, **decided),
        _step(ItemReturned, "F5", at(20, 12, 10), LEAD, returned_to=ReturnedTo.PUBLIC_DIGEST,
              channel="web"),
        _step(ItemAcknowledged, "F6", at(9, 12, 12), UNIT),
        _step(ItemReturned, "F6", at(11, 12, 8), UNIT, returned_to=ReturnedTo.CLIENT,
              channel="email", no_decision_reason="Kiitos, välitetty henkilökunnalle."),
        _step(ItemClosed, "F6", at(11, 12, 9), UNIT),
        _step(ItemAcknowledged, "F7", at(23, 12, 10), UNIT),
        _step(ItemAcknowledged, "F9", at(23, 9, 10), LEAD),
        _step(ItemClosed, "F9", at(24, 9, 10), LEAD),
        _step(ItemAcknowledged, "S1", at(3, 12, 9), PC),
        _step(ItemPresented, "S1", at(9, 12, 9), PC, body="aluevaltuusto", agenda_ref="§ 40"),
        _step(ItemDecided, "S1", at(16, 12, 9), DM, **decided),
        _step(ItemReturned, "S1", at(18, 12, 9), PC, returned_to=ReturnedTo.EXPERT,
              channel="meeting"),
        _step(ItemAcknowledged, "AG", at(12, 11, 10), LEAD),
    ]

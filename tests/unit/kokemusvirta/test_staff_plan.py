"""Telling staff, planned (kokemusvirta/notify/staff.py): critical items at once to the unit and
its leadership, reminders before the deadlines on Finnish working days, the automatic escalation
when the deadline to acknowledge passed, the daily digest per unit; each once, in the unit's
languages, to the registry's addresses."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from kokemusvirta.notify.staff import Obligation, OpenItem, Plan, Told, plan
from kokemusvirta.notify.staff_rules import StaffRules
from schemas.deadlines import FINNISH_TIME
from schemas.organisations import OrganisationRegistry, parse_yaml

REGISTRY = parse_yaml("""\
counties:
  - {code: lappi, fi: Lapin hyvinvointialue, sv: Lapplands välfärdsområde}
  - {code: pohjanmaa, fi: Pohjanmaan hyvinvointialue, sv: Österbottens välfärdsområde}
service_areas:
  - {code: perus, county: lappi, fi: Perusterveydenhuolto, sv: Primärvård,
     email: johto.perus@lappi.example.fi}
  - {code: perus, county: pohjanmaa, fi: Perusterveydenhuolto, sv: Primärvård}
units:
  - {code: rovaniemi, county: lappi, service_area: perus, fi: Rovaniemen terveysasema,
     sv: Rovaniemi hälsostation, languages: [fi],
     email: esihenkilot.rovaniemi@lappi.example.fi}
  - {code: kemi, county: lappi, service_area: perus, fi: Kemin terveysasema,
     sv: Kemi hälsostation, languages: [fi]}
  - {code: vaasa, county: pohjanmaa, service_area: perus, fi: Vaasan terveysasema,
     sv: Vasa hälsostation, languages: [fi, sv], email: chefer.vasa@pohjanmaa.example.fi}
  - {code: narpes, county: pohjanmaa, service_area: perus, fi: Närpiön terveysasema,
     sv: Närpes hälsostation, languages: [sv], email: chefer.narpes@pohjanmaa.example.fi}
""")
RULES = StaffRules()
UNIT = "unit.lappi.rovaniemi"
LEADERSHIP = "leadership.lappi.perus"
# Received Thursday 31.12.2026: the deadline to acknowledge (3 working days) skips New Year's
# Day, the weekend and Epiphany (Wednesday 6.1.2027): Monday, Tuesday, Thursday 7.1.2027.
ACK_DUE = date(2027, 1, 7)


def at(day: date, hour: int = 7, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=FINNISH_TIME)


def item(item_id: str = "fb-0000000000000001", *, county: str = "lappi",
         unit: str | None = "rovaniemi", severity: str = "medium", suspected: bool = False,
         acknowledged: bool = False, escalated: bool = False,
         obligations: tuple[Obligation, ...] = (Obligation("acknowledge", ACK_DUE),
                                                Obligation("decide_or_answer",
                                                           date(2027, 2, 1)))) -> OpenItem:
    return OpenItem(item_id, county, "perus", unit, ("access", "safety"), severity, suspected,
                    acknowledged, escalated, obligations)


def kinds(result: Plan) -> list[tuple[str, str]]:
    """The notices but the digest (which every working day from 8 o'clock brings)."""
    return [(n.kind, n.detail) for n in result.notices if n.kind != "digest"]


def run(items: list[OpenItem], now: datetime, told: tuple[Told, ...] = (),
        rules: StaffRules = RULES, registry: OrganisationRegistry = REGISTRY) -> Plan:
    return plan(items, told, rules, registry, now)


# --- critical ---------------------------------------------------------------------------------

def test_a_critical_item_tells_the_unit_and_the_leadership_at_once_and_only_once() -> None:
    now = at(date(2027, 1, 2), 3)  # a Saturday night: critical waits for no working day
    result = run([item(severity="critical")], now)
    (notice,) = result.notices
    assert notice.kind == "critical" and notice.detail == "critical"
    assert [(r.scope, r.address) for r in notice.recipients] == [
        (UNIT, "esihenkilot.rovaniemi@lappi.example.fi"),
        (LEADERSHIP, "johto.perus@lappi.example.fi")]
    assert notice.item_ids == ("fb-0000000000000001",) and notice.escalation is None
    told = (Told("fb-0000000000000001", "critical", "critical"),)
    assert run([item(severity="critical")], now, told).notices == ()
    # a suspected critical item is told too, and says it is only suspected
    (suspected,) = run([item(severity="critical", suspected=True)], now).notices
    assert suspected.detail == "critical_suspected"
    assert "odottaa ihmisen vahvistusta" in suspected.letter.body
    # a person's down-grade counts: the item is no longer critical
    assert run([item(severity="high", suspected=True)], now).notices == ()


def test_critical_to_leadership_is_the_countys_choice() -> None:
    rules = replace(RULES, critical_to_leadership=False)
    (notice,) = run([item(severity="critical")], at(date(2027, 1, 2)), rules=rules).notices
    assert [r.scope for r in notice.recipients] == [UNIT]


def test_a_recipient_without_an_address_waits_and_is_reported_by_scope() -> None:
    result = run([item(unit="kemi", severity="critical")], at(date(2027, 1, 2)))
    (notice,) = result.notices
    assert [r.scope for r in notice.recipients] == [LEADERSHIP]
    assert result.waiting == ("unit.lappi.kemi",)
    nobody = run([item(county="pohjanmaa", unit=None, severity="critical")],
                 at(date(2027, 1, 2)))
    assert nobody.notices == () and nobody.waiting == ("leadership.pohjanmaa.perus",)


# --- reminders --------------------------------------------------------------------------------

def test_the_acknowledge_reminder_counts_finnish_working_days_and_holidays() -> None:
    early = [item()]
    assert kinds(run(early, at(date(2027, 1, 4)))) == []  # Monday: 2 working days left
    (reminder,) = run(early, at(date(2027, 1, 5))).notices  # Tuesday: Epiphany, then the day
    assert (reminder.kind, reminder.detail) == ("reminder", "acknowledge:2027-01-07")
    assert [r.scope for r in reminder.recipients] == [UNIT]
    assert reminder.deadline == ACK_DUE
    assert "Kuittauksen määräaika: 7.1.2027 (1 työpäivä jäljellä)" in reminder.letter.body
    assert kinds(run(early, at(date(2027, 1, 6)))) == []  # Epiphany: no reminder on a holiday
    # the due day itself is still in time, but a reminder already given is not repeated
    assert kinds(run(early, at(date(2027, 1, 7)))) == [("reminder", "acknowledge:2027-01-07")]
    told = (Told("fb-0000000000000001", "reminder", "acknowledge:2027-01-07"),)
    assert kinds(run(early, at(date(2027, 1, 7)), told)) == []
    # an acknowledged item has no acknowledge obligation left: nothing to remind of
    met = [item(acknowledged=True, obligations=(Obligation("decide_or_answer",
                                                           date(2027, 2, 1)),))]
    assert kinds(run(met, at(date(2027, 1, 5)))) == []


def test_the_reply_reminder_and_no_reminder_when_the_rules_say_none() -> None:
    owed = [item(acknowledged=True, obligations=(Obligation("reply_to_client",
                                                            date(2027, 2, 1)),))]
    assert kinds(run(owed, at(date(2027, 1, 27)))) == [
        ("reminder", "reply_to_client:2027-02-01")]  # Wed 27.1: 3 working days before Mon 1.2
    assert kinds(run(owed, at(date(2027, 1, 26)))) == []
    none = replace(RULES, remind_before_reply_working_days=None)
    assert kinds(run(owed, at(date(2027, 1, 27)), rules=none)) == []
    assert kinds(run(owed, at(date(2027, 2, 2)))) == []  # past: the digest shows it


# --- escalation -------------------------------------------------------------------------------

def test_an_overdue_acknowledgement_escalates_to_leadership_once() -> None:
    assert kinds(run([item()], at(date(2027, 1, 7), 23))) == [
        ("reminder", "acknowledge:2027-01-07")]  # the due day: not overdue yet
    (notice,) = run([item()], at(date(2027, 1, 8))).notices
    assert (notice.kind, notice.detail) == ("escalation", "acknowledge")
    assert [r.scope for r in notice.recipients] == [LEADERSHIP]
    assert notice.escalation is not None
    assert notice.escalation.item_id == "fb-0000000000000001"
    assert notice.escalation.reason == (
        "Kuittauksen määräaika 7.1.2027 umpeutui ilman kuittausta (1 työpäivää myöhässä): "
        "automaattinen siirto palvelualuejohdolle.")
    assert "Siirretty johdolle" in notice.letter.subject
    later = at(date(2027, 1, 12))
    for done in (item(escalated=True), item(acknowledged=True)):
        assert kinds(run([done], later)) == []
    assert kinds(run([item()], later, (Told("fb-0000000000000001", "escalation",
                                            "acknowledge"),))) == []


def test_escalation_grace_and_switch_are_the_countys() -> None:
    grace = replace(RULES, escalate_after_working_days=1)
    assert kinds(run([item()], at(date(2027, 1, 8)), rules=grace)) == []
    assert kinds(run([item()], at(date(2027, 1, 10)), rules=grace)) == []  # Sunday
    assert kinds(run([item()], at(date(2027, 1, 11)), rules=grace)) == [
        ("escalation", "acknowledge")]
    off = replace(RULES, escalate_when_acknowledge_overdue=False)
    assert kinds(run([item()], at(date(2027, 1, 11)), rules=off)) == []


def test_the_escalation_is_planned_even_when_leadership_has_no_address() -> None:
    (notice,) = run([item(county="pohjanmaa", unit="vaasa")], at(date(2027, 1, 8))).notices
    assert notice.recipients == () and notice.escalation is not None
    assert "leadership.pohjanmaa.perus" in run([item(county="pohjanmaa", unit="vaasa")],
                                               at(date(2027, 1, 8))).waiting


# --- digest -----------------------------------------------------------------------------------

def digest_items() -> list[OpenItem]:
    late = (Obligation("acknowledge", date(2027, 1, 20)),)
    soon = (Obligation("acknowledge", date(2027, 1, 15)),)
    return [item("fb-000000000000000a", obligations=soon, acknowledged=False),
            item("fb-000000000000000b", severity="critical", obligations=late),
            item("fb-000000000000000c", obligations=(Obligation("reply_to_client",
                                                                date(2027, 1, 14)),),
                 acknowledged=True),
            item("fb-000000000000000d", unit="kemi")]


def test_the_digest_lists_a_units_open_items_critical_first_once_a_day() -> None:
    wednesday = date(2027, 1, 13)
    before = [n for n in run(digest_items(), at(wednesday, 7, 59)).notices if n.kind == "digest"]
    assert before == []
    result = run(digest_items(), at(wednesday, 8))
    (digest,) = [n for n in result.notices if n.kind == "digest"]  # kemi has no address
    assert digest.item_ids == ("fb-000000000000000b", "fb-000000000000000c",
                               "fb-000000000000000a")
    assert digest.detail == "2027-01-13" and digest.key == "staff:digest:lappi.rovaniemi:2027-01-13"
    assert [r.scope for r in digest.recipients] == [UNIT]
    body = digest.letter.body
    assert body.index("fb-000000000000000b") < body.index("fb-000000000000000c") \
        < body.index("fb-000000000000000a")
    assert digest.letter.subject == "Avoimet asiat 13.1.2027: Rovaniemen terveysasema (3)"
    assert "Vastauksen määräaika asiakkaalle: 14.1.2027 (1 työpäivä jäljellä)" in body
    assert "unit.lappi.kemi" in result.waiting
    told = tuple(Told(i, "digest", "2027-01-13") for i in digest.item_ids)
    assert [n for n in run(digest_items(), at(wednesday, 15), told).notices
            if n.kind == "digest"] == []
    assert [n.detail for n in run(digest_items(), at(date(2027, 1, 14), 8), told).notices
            if n.kind == "digest"] == ["2027-01-14"]


def test_the_digest_waits_for_a_working_day_unless_the_rules_say_otherwise() -> None:
    saturday = at(date(2027, 1, 16), 9)
    assert [n for n in run(digest_items(), saturday).notices if n.kind == "digest"] == []
    every_day = replace(RULES, digest_on_working_days_only=False)
    assert [n.kind for n in run(digest_items(), saturday, rules=every_day).notices
            if n.kind == "digest"] == ["digest"]


# --- languages --------------------------------------------------------------------------------

def test_notices_are_in_the_units_languages_finnish_first() -> None:
    now = at(date(2027, 1, 2))
    (fi,) = run([item(severity="critical")], now).notices
    assert fi.letter.subject == "Kriittinen palaute fb-0000000000000001: Rovaniemen terveysasema"
    assert "Rovaniemi hälsostation" not in fi.letter.body and "Referens" not in fi.letter.body
    for word in ("Turvallisuus", "Saatavuus ja odottaminen", "kriittinen",
                 "Kuittauksen määräaika: 7.1.2027", "kokemusvirta ack fb-0000000000000001",
                 "kokemusvirta inbox --unit lappi.rovaniemi", "Perusterveydenhuolto"):
        assert word in fi.letter.body, word
    (both,) = run([item(county="pohjanmaa", unit="vaasa", severity="critical")], now).notices
    assert both.letter.subject == ("Kriittinen palaute fb-0000000000000001: Vaasan terveysasema"
                                   " / Kritisk respons fb-0000000000000001: Vasa hälsostation")
    body = both.letter.body
    assert body.index("Yksikkö: Vaasan terveysasema") < body.index("Enhet: Vasa hälsostation")
    assert "Säkerhet" in body and "Tidsfrist för kvittering: 7.1.2027" in body
    (sv,) = run([item(county="pohjanmaa", unit="narpes", severity="critical")], now).notices
    assert sv.letter.subject == "Kritisk respons fb-0000000000000001: Närpes hälsostation"
    assert (fi.letter.language, both.letter.language, sv.letter.language) == ("fi", "fi", "sv")
    assert "Yksikkö" not in sv.letter.body


# --- the backlog ------------------------------------------------------------------------------

def test_the_backlog_is_listed_in_the_digest_but_not_mailed_item_by_item() -> None:
    """A notifier started on a store with a history: items received more than backlog_days
    ago get no alert, reminder or escalation of their own."""
    old = replace(item(severity="critical"), received_on=date(2026, 11, 20))
    now = at(date(2027, 1, 8), 9)  # 49 days after receipt: past the default 45
    result = run([old], now)
    assert [n.kind for n in result.notices] == ["digest"]
    assert [n.kind for n in run([replace(old, received_on=date(2026, 11, 24))], now).notices
            ] == ["critical", "escalation", "digest"]  # 45 days: still its own
    every = replace(RULES, backlog_days=None)
    assert [n.kind for n in run([old], now, rules=every).notices] == [
        "critical", "escalation", "digest"]

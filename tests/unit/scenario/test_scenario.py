"""The synthetic scenario: deterministic, the right mix, and exactly what parse_source says."""

from __future__ import annotations

import json
import random
import re
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path

import pytest

import scenario
from scenario import (
    ORGANISATION,
    ScenarioRecord,
    generate,
    personal_identifiers_in,
    write_jsonl,
)
from schemas.dead_letter import RejectionReason
from schemas.feedback import FeedbackSubmitted
from schemas.registry import InvalidEvent, parse_source
from schemas.statement import ExpertStatementIssued
from schemas.taxonomy import Severity, Stance, Theme
from schemas.workshop import WorkshopOutputRecorded

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
SUMMER_TIME_ENDS = datetime(2026, 10, 25, 1, tzinfo=UTC)


def helsinki(moment: datetime) -> datetime:
    """Europe/Helsinki in autumn 2026 without a tz database: UTC+3 until 25 October 01:00 UTC."""
    return moment.astimezone(timezone(timedelta(hours=3 if moment < SUMMER_TIME_ENDS else 2)))


HETU = re.compile(r"^(\d{2})(\d{2})(\d{2})([-+YXWVUABCDEF])(\d{3})([0-9A-Y])$")


# Independent checksum implementations, so the test does not trust the generator's own.


def hetu_is_valid(value: str) -> bool:
    m = HETU.match(value)
    if not m:
        return False
    dd, mm, yy, sign, individual, check = m.groups()
    century = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900}.get(
        sign, 2000
    )
    try:
        date(century + int(yy), int(mm), int(dd))
    except ValueError:
        return False
    return (
        2 <= int(individual) <= 899
        and "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(dd + mm + yy + individual) % 31] == check
    )


def iban_is_valid(value: str) -> bool:
    compact = value.replace(" ", "")
    if not re.fullmatch(r"FI\d{16}", compact):
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


@pytest.fixture(scope="module")
def records() -> list[ScenarioRecord]:
    return list(generate())


@pytest.fixture(scope="module")
def parsed(records: list[ScenarioRecord]) -> list[tuple[ScenarioRecord, object]]:
    return [(r, parse_source(r.value)) for r in records if r.expected_rejection is None]


def raw(record: ScenarioRecord) -> dict:
    return json.loads(record.value)


# --- Determinism and size -------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes(records: list[ScenarioRecord]) -> None:
    again = list(generate(2026))
    assert [(r.value, r.key) for r in again] == [(r.value, r.key) for r in records]
    assert again == records


def test_different_seed_gives_different_output(records: list[ScenarioRecord]) -> None:
    other = [r.value for r in generate(2027)]
    assert other != [r.value for r in records]
    assert len(set(other) & {r.value for r in records}) == 0


def test_default_scenario_has_a_few_thousand_events(records: list[ScenarioRecord]) -> None:
    assert len(records) == scenario.DEFAULT_EVENTS == 3_000


@pytest.mark.parametrize("n", [0, 1, 17, 199, 200, 1_234, 5_000])
def test_events_gives_exactly_n(n: int) -> None:
    out = list(generate(5, events=n))
    assert len(out) == n
    assert sum(r.expected_rejection is not None for r in out) == (
        round(n / 1000) if n >= 200 else 0
    )


def test_a_hundred_thousand_records(capsys: pytest.CaptureFixture[str]) -> None:
    started = time.perf_counter()
    count = malformed = v1 = 0
    for record in generate(11, events=100_000):
        count += 1
        malformed += record.expected_rejection is not None
        v1 += record.event_type == "feedback.submitted" and b'"relative":' in record.value
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n100,000 scenario records in {elapsed:.2f} s")
    assert count == 100_000
    assert malformed == 100
    assert v1 == 1 + 100_000 // 25_000


def test_a_bigger_scenario_is_the_same_mix_and_all_valid() -> None:
    records = list(generate(8, events=12_000))
    events = []
    for record in records:
        if record.expected_rejection is None:
            events.append(parse_source(record.value))
        else:
            with pytest.raises(InvalidEvent) as caught:
                parse_source(record.value)
            assert caught.value.reason == record.expected_rejection
    assert len(records) - len(events) == 12
    meetings = Counter(
        e.group_id for e in events if isinstance(e, WorkshopOutputRecorded) and e.group_id
    )
    assert len(meetings) == 4 and set(meetings.values()) == {4}  # one group per 3,000 events
    assert {g.split("-")[0] for g in meetings} == {"lappi", "pirkanmaa", "pohjanmaa"}
    assert sum(isinstance(e, ExpertStatementIssued) for e in events) == 20
    ids = [e.event_id for e in events]
    assert len(ids) == len(set(ids))


# --- Parsing: accepted ones parse, malformed ones fail with exactly their reason -----------------


def test_every_record_parses_or_fails_with_its_expected_reason(
    records: list[ScenarioRecord],
) -> None:
    for record in records:
        if record.expected_rejection is None:
            event = parse_source(record.value)
            assert record.key == str(event.event_id).encode()
            assert event.event_type == record.event_type
        else:
            with pytest.raises(InvalidEvent) as caught:
                parse_source(record.value)
            assert caught.value.reason == record.expected_rejection, record.value[:200]


def test_malformed_records_cover_every_intake_reason(records: list[ScenarioRecord]) -> None:
    malformed = [r for r in records if r.expected_rejection is not None]
    assert len(malformed) == scenario.DEFAULT_MALFORMED
    assert all(r.key is None for r in malformed)
    assert {r.expected_rejection for r in malformed} == {
        RejectionReason.NOT_JSON,
        RejectionReason.NOT_AN_OBJECT,
        RejectionReason.UNKNOWN_EVENT_TYPE,
        RejectionReason.SCHEMA_VIOLATION,
        RejectionReason.UNSUPPORTED_SCHEMA_VERSION,
    }
    assert any(b'"schema_version":99' in r.value for r in malformed)
    assert any(r.value.startswith(b"[") for r in malformed)


def test_malformed_records_keep_personal_data_out_of_what_a_dead_letter_copies(
    records: list[ScenarioRecord],
) -> None:
    identifiers = personal_identifiers_in(records)
    for record in (r for r in records if r.expected_rejection is not None):
        with pytest.raises(InvalidEvent) as caught:
            parse_source(record.value)
        copied = " ".join(
            str(x)
            for x in (
                caught.value.detail,
                caught.value.event_type,
                caught.value.event_id,
                caught.value.county,
                caught.value.problems,
            )
        )
        assert not [i for i in identifiers if i in copied]


def test_event_ids_are_unique(parsed: list[tuple[ScenarioRecord, object]]) -> None:
    ids = [e.event_id for _, e in parsed]
    assert len(ids) == len(set(ids))
    assert all(i.version == 4 for i in ids)


def test_one_version_1_feedback_upcasts(records: list[ScenarioRecord]) -> None:
    old = [
        r
        for r in records
        if r.event_type == "feedback.submitted"
        and r.key is not None
        and raw(r)["schema_version"] == 1
    ]
    assert len(old) == 1
    payload = raw(old[0])
    assert "relative" in payload and "respondent_role" not in payload and "language" not in payload
    event = parse_source(old[0].value)
    assert isinstance(event, FeedbackSubmitted) and event.schema_version == 2
    assert event.respondent_role == ("close_one" if payload["relative"] else "client")
    assert event.language == payload.get("lang")


# --- Times ----------------------------------------------------------------------------------------


def test_times_are_aware_ordered_and_inside_the_period(
    parsed: list[tuple[ScenarioRecord, object]],
) -> None:
    previous = None
    offsets = Counter()
    for record, event in parsed:
        assert event.occurred_at.tzinfo is not None and event.recorded_at.tzinfo is not None
        assert timedelta(0) <= event.recorded_at - event.occurred_at < timedelta(days=1)
        assert date(2026, 9, 1) <= helsinki(event.occurred_at).date() <= date(2026, 10, 26)
        if previous is not None:
            assert event.recorded_at >= previous  # published in the order things were recorded
        previous = event.recorded_at
        offsets[raw(record)["occurred_at"][-6:]] += 1
    assert offsets["+03:00"] and any(k.endswith("Z") for k in offsets)  # local summer time and UTC
    late = list(generate(3, events=300, start=date(2026, 10, 20), weeks=2))
    assert any(raw(r)["occurred_at"].endswith("+02:00") for r in late if r.key)  # after summer time


def test_feedback_mostly_in_office_hours(parsed: list[tuple[ScenarioRecord, object]]) -> None:
    hours = [helsinki(e.occurred_at).hour for _, e in parsed if isinstance(e, FeedbackSubmitted)]
    assert sum(8 <= h < 17 for h in hours) / len(hours) > 0.6


# --- The mix --------------------------------------------------------------------------------------


def test_organisation_codes(records: list[ScenarioRecord]) -> None:
    assert [c.code for c in ORGANISATION.counties] == ["lappi", "pirkanmaa", "pohjanmaa"]
    for county, area, unit in ORGANISATION.units():
        for code in (county.code, area.code, unit.code):
            assert CODE.match(code) and len(code) <= 40
        assert unit.name_fi and unit.name_sv
    for county in ORGANISATION.counties:
        assert len(county.areas) >= 3
        assert all(2 <= len(a.units) <= 4 for a in county.areas)
    assert {u.languages for _, _, u in ORGANISATION.units()} >= {"fi", "sv", "bilingual", "sami"}


def test_languages_channels_counties(parsed: list[tuple[ScenarioRecord, object]]) -> None:
    feedback = [e for _, e in parsed if isinstance(e, FeedbackSubmitted)]
    languages = Counter(e.language and e.language.value for e in feedback)
    assert {"fi", "sv", "en", "se", None} <= set(languages)
    assert languages["fi"] > len(feedback) / 2
    assert 0 < languages["se"] < 40 and 0 < languages[None] < len(feedback) / 10
    assert {e.channel.value for e in feedback} == {"oral", "electronic", "written"}
    assert {e.county for e in feedback} == {"lappi", "pirkanmaa", "pohjanmaa"}
    swedish = Counter(e.county for e in feedback if e.language == "sv")
    assert swedish.most_common(1)[0][0] == "pohjanmaa"
    sami_units = {e.unit for e in feedback if e.language == "se"}
    assert sami_units <= {"inarin-terveysasema", "utsjoen-terveysasema"}
    assert {e.respondent_role.value for e in feedback} == {"client", "close_one"}
    ratings = Counter(e.rating for e in feedback)
    assert set(ratings) == {None, 1, 2, 3, 4, 5}
    with_reply = [e for e in feedback if e.reply_requested]
    assert with_reply and sum(e.contact is not None for e in with_reply) > len(with_reply) / 2


def test_texts_cover_the_taxonomy_and_vary(records: list[ScenarioRecord]) -> None:
    intended = [r.intended for r in records if r.intended is not None]
    assert {t for i in intended for t in i.themes} == {t.value for t in Theme}
    assert {i.stance for i in intended} == {s.value for s in Stance}
    severities = Counter(i.severity for i in intended)
    assert set(severities) == {s.value for s in Severity}
    assert 0.005 < severities["critical"] / len(intended) < 0.04
    texts = [raw(r)["text"] for r in records if r.event_type == "feedback.submitted" and r.key]
    assert len(set(texts)) / len(texts) > 0.85


def test_critical_texts_include_each_kind_of_risk(records: list[ScenarioRecord]) -> None:
    critical = " ".join(
        raw(r)["text"].lower() for r in records if r.intended and r.intended.severity == "critical"
    )
    for words in (
        ("lääke", "medicin", "medication"),
        ("itsetuho", "itsemurha", "tappamista", "självmord", "ending my life"),
        ("puukolla", "uhannut", "kimppuun", "huusi", "kniv", "knife", "shouted", "skrek"),
        ("kuivuneena", "vaipoissa", "sängystä", "uttorkad"),
    ):
        assert any(w in critical for w in words), words


def test_developer_client_group_meets_four_times(
    parsed: list[tuple[ScenarioRecord, object]],
) -> None:
    workshops = [e for _, e in parsed if isinstance(e, WorkshopOutputRecorded)]
    groups = defaultdict(list)
    for w in workshops:
        if w.forum_type == "structural":
            groups[w.group_id].append(w)
    assert len(groups) == 1
    meetings = sorted(next(iter(groups.values())), key=lambda w: w.meeting_number)
    assert [m.meeting_number for m in meetings] == [1, 2, 3, 4]
    assert all(m.participants == {"developer_client": 8, "staff": 2} for m in meetings)
    dates = [m.held_on for m in meetings]
    assert dates == sorted(dates) and all(1 <= (b - a).days <= 16 for a, b in pairwise(dates))
    assert all(2 <= len(m.items) <= 5 for m in meetings)
    targets = {i.target.value for m in meetings for i in m.items}
    assert targets == {"unit", "service_area", "county_policy", "decision_under_preparation"}
    refs = {
        i.decision_ref
        for m in meetings
        for i in m.items
        if i.target == "decision_under_preparation"
    }
    assert refs and all(re.fullmatch(r"[A-Z]+/\d+/2026", r) for r in refs)
    assert all(
        i.decision_ref is None
        for m in meetings
        for i in m.items
        if i.target != "decision_under_preparation"
    )
    forums = Counter(w.forum_type.value for w in workshops)
    assert forums["pop_up"] >= 2 and forums["digital"] >= 2


def test_expert_statements(parsed: list[tuple[ScenarioRecord, object]]) -> None:
    statements = [e for _, e in parsed if isinstance(e, ExpertStatementIssued)]
    assert 3 <= len(statements) <= 10
    assert any(s.decision_ref for s in statements)
    assert any(s.county_wide for s in statements)
    assert any(s.author_role == "expert_by_experience" for s in statements)
    assert all(s.recommendations for s in statements)


# --- Personal data --------------------------------------------------------------------------------


def test_personal_identifiers_are_listed_and_valid(records: list[ScenarioRecord]) -> None:
    by_kind = defaultdict(set)
    for record in records:
        for datum in record.personal_data:
            assert datum.value.encode() in record.value  # listed exactly as written
            by_kind[datum.kind].add(datum.value)
    assert set(by_kind) == {"hetu", "phone", "email", "iban", "name"}
    assert all(hetu_is_valid(h) for h in by_kind["hetu"])
    assert all(iban_is_valid(i) and luhn_is_valid(i.replace(" ", "")[4:]) for i in by_kind["iban"])
    assert all("@" in e for e in by_kind["email"])
    assert personal_identifiers_in(records) == set().union(*by_kind.values())
    assert personal_identifiers_in(records, kinds=["iban"]) == by_kind["iban"]
    contacts = {raw(r)["contact"] for r in records if r.key and "contact" in raw(r)}
    assert contacts and contacts <= personal_identifiers_in(records, kinds=["phone", "email"])


def test_identifier_generators_produce_valid_checksums() -> None:
    rng = random.Random(0)
    hetus = [scenario.henkilotunnus(rng) for _ in range(2_000)]
    assert all(hetu_is_valid(h) for h in hetus)
    assert {h[6] for h in hetus} >= {"-", "A", "Y", "B"}  # old and 2023 century signs
    ibans = [scenario.finnish_iban(rng) for _ in range(2_000)]
    assert all(iban_is_valid(i) and luhn_is_valid(i.replace(" ", "")[4:]) for i in ibans)
    assert iban_is_valid("FI21 1234 5600 0007 85") and hetu_is_valid(
        "131052-308T"
    )  # the test is right
    assert not hetu_is_valid("131052-308U") and not iban_is_valid("FI22 1234 5600 0007 85")


# --- File output ----------------------------------------------------------------------------------


def test_write_jsonl(tmp_path: Path, records: list[ScenarioRecord]) -> None:
    path = tmp_path / "scenario.jsonl"
    assert write_jsonl(records, path) == len(records)
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and lines[:-1] == [r.value for r in records]

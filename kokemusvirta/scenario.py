"""Deterministic synthetic scenario: the intake events that the demo, tests and benchmark publish.

`generate(seed)` yields `ScenarioRecord`s in the order of their `recorded_at`: client feedback (the
bulk), the outputs of one developer-client group meeting four times plus pop-up and digital forums,
a few expert statements, one feedback in the old schema version 1 and about ten deliberately
malformed events, each with the exact reason `schemas.registry.parse_source` rejects it for.
The same seed (and arguments) gives byte-identical output; nothing is read or written.

Personal data: some feedback texts contain a henkilötunnus and an IBAN with valid checksums, phone
numbers, e-mail addresses and first or last names, and some events carry a contact. Every value
inserted is listed on its record (`ScenarioRecord.personal_data`), so
`personal_identifiers_in(generate(seed))` is the set that must never appear downstream.

Texts are built from the fragments in scenario_texts.py; `ScenarioRecord.intended` says which
themes, stance and severity a feedback text was built to express (for checking the classifier).
"""

from __future__ import annotations

import heapq
import json
import random
import re
import unicodedata
import uuid
from bisect import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import accumulate
from os import PathLike
from typing import Any, NamedTuple

from kokemusvirta import scenario_texts as T
from schemas.dead_letter import RejectionReason

DEFAULT_EVENTS = 3_000
DEFAULT_MALFORMED = 10
BLOCK_SIZE = 13  # per 3,000 events: 4 group meetings, 2 pop-up and 2 digital forums, 5 statements


# --- Public types ---------------------------------------------------------------------------------


class PersonalDatum(NamedTuple):
    kind: str  # hetu, phone, email, iban, name
    value: str  # exactly as it appears in the record's bytes


@dataclass(frozen=True)
class Intended:
    """What a feedback text was built to say, in the codes of schemas/taxonomy.py."""

    themes: tuple[str, ...]
    stance: str
    severity: str


@dataclass(frozen=True)
class ScenarioRecord:
    value: bytes  # published to the intake topic: JSON, or deliberately malformed bytes
    key: bytes | None  # the event_id for well-formed events, None for malformed ones
    expected_rejection: RejectionReason | None  # None: must be accepted
    event_type: str | None  # for reporting
    personal_data: tuple[PersonalDatum, ...] = ()
    intended: Intended | None = None  # feedback only


@dataclass(frozen=True)
class Unit:
    code: str
    name_fi: str
    name_sv: str
    languages: str = "fi"  # fi, sv, bilingual or sami: who writes feedback there, in what language
    weight: float = 1.0  # relative feedback volume within its service area


@dataclass(frozen=True)
class ServiceArea:
    code: str
    name_fi: str
    name_sv: str
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class County:
    code: str
    name_fi: str
    name_sv: str
    decision_prefix: str  # diary prefix of its decisions, as in "LAPHA/1234/2026"
    weight: float  # relative feedback volume
    areas: tuple[ServiceArea, ...]

    def area(self, code: str) -> ServiceArea:
        return next(a for a in self.areas if a.code == code)


@dataclass(frozen=True)
class Organisation:
    counties: tuple[County, ...]

    def county(self, code: str) -> County:
        return next(c for c in self.counties if c.code == code)

    def units(self) -> Iterator[tuple[County, ServiceArea, Unit]]:
        for county in self.counties:
            for area in county.areas:
                for unit in area.units:
                    yield county, area, unit

    def unit(self, code: str) -> tuple[County, ServiceArea, Unit]:
        return next(t for t in self.units() if t[2].code == code)


# --- The demo's organisation ----------------------------------------------------------------------

# Share of feedback by service area (renormalised per county).
_AREA_WEIGHTS = {
    "perusterveydenhuolto": 36,
    "ikaantyneiden-palvelut": 24,
    "sosiaalipalvelut": 12,
    "mielenterveys-ja-paihde": 16,
    "lapsiperheiden-palvelut": 12,
}


def _build_organisation() -> Organisation:
    counties = []
    for (code, name_fi, name_sv, prefix, weight), areas in T.ORGANISATION.items():
        county_areas = tuple(
            ServiceArea(area, *T.AREA_NAMES[area], units=tuple(Unit(*unit) for unit in units))
            for area, units in areas.items()
        )
        counties.append(County(code, name_fi, name_sv, prefix, weight, county_areas))
    return Organisation(tuple(counties))


ORGANISATION = _build_organisation()


# --- Weighted choices -----------------------------------------------------------------------------


def _choice(rng: random.Random, seq: Any) -> Any:
    """rng.choice with one float draw: about twice as fast, which matters at 100,000 events."""
    return seq[int(rng.random() * len(seq))]


class _Weighted:
    """Choose by weight with one random number and a bisection (random.choices is slower)."""

    def __init__(self, pairs: Iterable[tuple[Any, float]]) -> None:
        items, weights = zip(*pairs, strict=True)
        self.items = items
        self.cum = list(accumulate(weights))

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cum, rng.random() * self.cum[-1])]


def _units_weighted(counties: Iterable[County]) -> _Weighted:
    pairs = []
    for county in counties:
        area_total = sum(_AREA_WEIGHTS[a.code] for a in county.areas)
        for area in county.areas:
            unit_total = sum(u.weight for u in area.units)
            for unit in area.units:
                share = _AREA_WEIGHTS[area.code] / area_total * unit.weight / unit_total
                pairs.append(((county, area, unit), county.weight * share))
    return _Weighted(pairs)


_UNITS = _units_weighted(ORGANISATION.counties)
_COUNTIES = _Weighted((c, c.weight) for c in ORGANISATION.counties)
# Language of the feedback (None: not given) by who uses the unit.
_LANGUAGES = {
    "fi": _Weighted((("fi", 89), ("sv", 1.5), ("en", 5.5), (None, 4))),
    "bilingual": _Weighted((("fi", 62), ("sv", 27), ("en", 6), (None, 5))),
    "sv": _Weighted((("sv", 68), ("fi", 22), ("en", 5), (None, 5))),
    "sami": _Weighted((("fi", 72), ("se", 17), ("sv", 1), ("en", 5), (None, 5))),
}
_STANCES = _Weighted(
    (("praise", 30), ("complaint", 40), ("suggestion", 12), ("question", 8), ("mixed", 10))
)
_COMPLAINT_SEVERITY = _Weighted((("low", 33), ("medium", 44), ("high", 19.5), ("critical", 3.5)))
_MIXED_SEVERITY = _Weighted((("low", 40), ("medium", 45), ("high", 15)))
_THEMES = _Weighted(
    (
        ("access", 17),
        ("quality", 14),
        ("respect", 11),
        ("communication", 12),
        ("coordination", 9),
        ("environment", 9),
        ("digital", 8),
        ("fees", 7),
        ("listening", 8),
        ("safety", 5),
    )
)
_CHANNELS = {
    "ikaantyneiden-palvelut": _Weighted((("electronic", 35), ("oral", 40), ("written", 25))),
    None: _Weighted((("electronic", 58), ("oral", 25), ("written", 17))),
}
_CLOSE_ONE_SHARE = {
    "ikaantyneiden-palvelut": 0.5,
    "lapsiperheiden-palvelut": 0.35,
    "mielenterveys-ja-paihde": 0.15,
    "sosiaalipalvelut": 0.1,
    "perusterveydenhuolto": 0.12,
}
_RATINGS = {
    "praise": (5, 5, 5, 4, 4, 3),
    "complaint": (1, 1, 2, 2, 3),
    "mixed": (2, 3, 3, 4),
    "suggestion": (3, 4, 4, 5),
    "question": (3, 4, 5),
}
_REPLY_SHARE = {
    "praise": 0.02,
    "complaint": 0.25,
    "mixed": 0.15,
    "suggestion": 0.1,
    "question": 0.5,
}
# Hour of day (local) at which electronic feedback is given; oral and written in office hours.
_E_HOURS = _Weighted(
    (h, w)
    for h, w in zip(
        range(6, 24), (1, 3, 6, 9, 9, 8, 7, 7, 6, 6, 5, 5, 5, 6, 7, 7, 5, 3), strict=True
    )
)
_OFFICE_HOURS = _Weighted(
    (h, w) for h, w in zip(range(8, 16), (6, 9, 9, 7, 6, 7, 6, 4), strict=True)
)


# --- Text cores -----------------------------------------------------------------------------------

_AREA_TAGS = {
    "perus": "perusterveydenhuolto",
    "ika": "ikaantyneiden-palvelut",
    "sos": "sosiaalipalvelut",
    "mt": "mielenterveys-ja-paihde",
    "lp": "lapsiperheiden-palvelut",
}
_SEVERITY_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
# When a language has no core for a key, the nearest key is used; the label follows the core used.
_KEY_FALLBACK = {
    "praise": ("praise", "suggestion"),
    "suggestion": ("suggestion", "question", "praise"),
    "question": ("question", "suggestion", "praise"),
    "low": ("low", "medium", "high"),
    "medium": ("medium", "low", "high"),
    "high": ("high", "medium", "low"),
    "critical": ("critical", "high", "medium", "low"),
}
_TAGS = re.compile(r"^\[([^\]]*)\]\s*")
_ALTERNATIVES = re.compile(r"\{([^{}]*\|[^{}]*)\}")


@cache
def _split_alternatives(template: str) -> tuple[str | tuple[str, ...], ...]:
    pieces = _ALTERNATIVES.split(template)  # literal, alternatives, literal, ...
    return tuple(p if i % 2 == 0 else tuple(p.split("|")) for i, p in enumerate(pieces))


def _fill(rng: random.Random, template: str, slots: dict[str, str]) -> str:
    """Choose among "{a|b|c}" alternatives, then fill the placeholders."""
    if "|" in template:
        parts = _split_alternatives(template)
        template = "".join(p if isinstance(p, str) else _choice(rng, p) for p in parts)
    return template.format_map(slots)


@dataclass(frozen=True)
class _Core:
    text: str
    themes: tuple[str, ...]
    stance: str
    severity: str
    areas: frozenset[str] | None  # None: any service area
    needs_close_one: bool


def _split_tags(raw: str) -> tuple[list[str], frozenset[str] | None, str]:
    """'[ika +safety] text' -> (extra themes, service areas or None for any, text)."""
    match = _TAGS.match(raw)
    if not match:
        return [], None, raw
    tags = match.group(1).split()
    areas = frozenset(_AREA_TAGS[t] for t in tags if not t.startswith("+"))
    return [t[1:] for t in tags if t.startswith("+")], areas or None, raw[match.end() :]


def _parse_core(theme: str, key: str, raw: str) -> _Core:
    extra, areas, raw = _split_tags(raw)
    themes = [theme, *extra]
    stance = key if key in ("praise", "suggestion", "question") else "complaint"
    severity = "none" if stance != "complaint" else key
    return _Core(raw, tuple(themes), stance, severity, areas, "{rel" in raw.lower())


def _core_index() -> dict[tuple[str, str, str, str, str], tuple[_Core, ...]]:
    """(language, theme, key, area, role) -> cores to choose from, falling back when none fit."""
    index = {}
    for lang, by_theme in T.CORES.items():
        cores = [
            _parse_core(theme, key, raw)
            for theme, by_key in by_theme.items()
            for key, raws in by_key.items()
            for raw in raws
        ]
        for role in ("client", "close_one"):
            for area in _AREA_TAGS.values():
                usable = [c for c in cores if (role == "close_one" or not c.needs_close_one)]
                in_area = [c for c in usable if c.areas is None or area in c.areas]
                for theme in _THEMES.items:
                    for key in _KEY_FALLBACK:
                        index[lang, theme, key, area, role] = _first_fit(
                            theme, key, in_area, usable
                        )
    return index


def _first_fit(
    theme: str, key: str, in_area: list[_Core], usable: list[_Core]
) -> tuple[_Core, ...]:
    def fits(core: _Core, k: str) -> bool:
        return (core.severity == k) if core.stance == "complaint" else (core.stance == k)

    for k in _KEY_FALLBACK[key]:
        for pool, same_theme in (
            (in_area, True),
            (usable, True),
            (in_area, False),
            (usable, False),
        ):
            found = tuple(
                c for c in pool if fits(c, k) and (not same_theme or c.themes[0] == theme)
            )
            if found:
                return found
    raise ValueError(f"no text core for {theme}/{key}")


_CORES = _core_index()


def _proposal_pools() -> dict[tuple[str, bool, str], tuple[str, ...]]:
    """(language, in Lapland, service area) -> workshop proposals that fit."""
    out = {}
    for lang, raws in T.WORKSHOP_PROPOSALS.items():
        for lappi in (False, True):
            tagged = [
                _split_tags(r)
                for r in raws + (T.WORKSHOP_PROPOSALS_LAPPI if lappi and lang == "fi" else ())
            ]
            for area in _AREA_TAGS.values():
                out[lang, lappi, area] = tuple(
                    text for _, areas, text in tagged if areas is None or area in areas
                )
    return out


_PROPOSALS = _proposal_pools()


def _pools(table: dict[str, dict[str, tuple[str, ...]]]) -> dict[tuple[str, str], tuple[str, ...]]:
    out = {}
    for lang, by_tone in table.items():
        for tone in ("pos", "neg", "sug", "q", "mixed"):
            out[lang, tone] = by_tone.get("any", ()) + by_tone.get(tone, ())
    return out


_OPENERS = _pools(T.OPENERS)
_DETAILS = _pools(T.DETAILS)
_CLOSERS = _pools(T.CLOSERS)
_TONE = {
    "praise": "pos",
    "complaint": "neg",
    "suggestion": "sug",
    "question": "q",
    "mixed": "mixed",
}


def _dialect_rewriter(county: str) -> tuple[re.Pattern[str], dict[str, str]]:
    words = {**T.DIALECT_COMMON, **T.DIALECT_BY_COUNTY.get(county, {})}
    words.update({k.capitalize(): v.capitalize() for k, v in list(words.items())})
    pattern = re.compile(r"\b(" + "|".join(sorted(words, key=len, reverse=True)) + r")\b")
    return pattern, words


_DIALECTS = {c.code: _dialect_rewriter(c.code) for c in ORGANISATION.counties}
_LOWER_WORD = re.compile(r"\b[a-zåäö]+\b")  # whole lower-case words: never names or identifiers
_LONG_LOWER_WORD = re.compile(r"\b[a-zåäö]{5,}\b")
_NO_UMLAUTS = str.maketrans("äöå", "aoa")


# --- Personal data --------------------------------------------------------------------------------

_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def henkilotunnus(rng: random.Random) -> str:
    """A henkilötunnus with a valid check character, using the old and the 2023 century signs."""
    born = date(1925, 1, 1) + timedelta(days=rng.randrange(31_000))  # 1925..2009
    if born.year >= 2000:
        sign = "A" if rng.random() < 0.85 else _choice(rng, "BCDEF")
    else:
        sign = "-" if rng.random() < 0.9 else _choice(rng, "YXWVU")
    individual = rng.randint(2, 899)
    digits = f"{born:%d%m%y}{individual:03d}"
    return f"{born:%d%m%y}{sign}{individual:03d}{_HETU_CHECK[int(digits) % 31]}"


def finnish_iban(rng: random.Random) -> str:
    """A Finnish IBAN whose IBAN check digits and domestic (Luhn) check digit are both valid."""
    body = _choice(rng, "1234578") + "".join(_choice(rng, "0123456789") for _ in range(12))
    total = 0
    for i, ch in enumerate(reversed(body)):  # Luhn: double every second digit from the right
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    bban = body + str((10 - total % 10) % 10)
    check = 98 - int(bban + "151800") % 97  # "FI00" moved to the end, F=15, I=18
    iban = f"FI{check:02d}{bban}"
    if rng.random() < 0.3:
        return iban
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


_LANDLINE_AREA = {"lappi": "16", "pirkanmaa": "3", "pohjanmaa": "6"}


def phone_number(rng: random.Random, county: str = "pirkanmaa") -> str:
    d = f"{rng.randrange(10_000_000):07d}"
    if rng.random() < 0.15:
        area = _LANDLINE_AREA.get(county, "9")
        return _choice(rng, (f"0{area} {d[:3]} {d[3:]}", f"(0{area}) {d}"))
    p = _choice(rng, ("40", "41", "44", "45", "46", "50"))
    return _choice(
        rng,
        (
            f"0{p} {d[:3]} {d[3:]}",
            f"0{p}{d}",
            f"0{p}-{d}",
            f"+358 {p} {d}",
            f"+358{p}{d}",
            f"+358 {p} {d[:3]} {d[3:]}",
        ),
    )


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


_EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "posti.example", "mail.example")


def email_address(rng: random.Random, first: str, last: str) -> str:
    f, ln = _ascii(first), _ascii(last)
    local = _choice(
        rng,
        (f"{f}.{ln}", f"{f[0]}.{ln}", f"{f}{rng.randint(40, 99)}", f"{f}.{ln}{rng.randint(1, 9)}"),
    )
    return f"{local}@{_choice(rng, _EMAIL_DOMAINS)}"


def personal_identifiers_in(
    records: Iterable[ScenarioRecord], kinds: Iterable[str] | None = None
) -> set[str]:
    """Every personal identifier the scenario put into these records (optionally some kinds)."""
    wanted = set(kinds) if kinds is not None else None
    return {p.value for r in records for p in r.personal_data if wanted is None or p.kind in wanted}


# --- Times ----------------------------------------------------------------------------------------


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


@cache
def _summer_time(year: int) -> tuple[datetime, datetime]:
    """EU summer time in local Helsinki time: last Sunday of March 03:00 to last Sunday of October
    04:00 (computed here rather than read from a tz database, so generating does no I/O)."""
    return (
        datetime.combine(_last_sunday(year, 3), time(3)),
        datetime.combine(_last_sunday(year, 10), time(4)),
    )


def _helsinki_offset(local: datetime) -> int:
    begins, ends = _summer_time(local.year)
    return 3 if begins <= local < ends else 2


class _Stamp(NamedTuple):
    text: str  # ISO 8601 with offset
    utc: datetime  # naive UTC, for ordering


def _stamp(local: datetime, as_utc: bool) -> _Stamp:
    offset = _helsinki_offset(local)
    utc = local - timedelta(hours=offset)
    if as_utc:
        return _Stamp(utc.isoformat(timespec="seconds") + "Z", utc)
    return _Stamp(f"{local.isoformat(timespec='seconds')}+0{offset}:00", utc)


_HOLIDAYS = {(1, 1), (1, 6), (5, 1), (12, 6), (12, 24), (12, 25), (12, 26)}  # fixed-date ones only


def _day_weight(day: date) -> float:
    if day.weekday() == 6 or (day.month, day.day) in _HOLIDAYS:
        return 0.3
    return (1.15, 1.0, 1.0, 1.0, 0.95, 0.35)[day.weekday()]


# --- The plan: how many of what, on which day -----------------------------------------------------


@dataclass(frozen=True)
class _Decision:
    ref: str
    title_fi: str
    title_sv: str
    subject_fi: str  # topic of the statement subject (scenario_texts) that comments on it
    subject_sv: str
    area: str  # service area code


@dataclass(frozen=True)
class _Special:
    """A non-feedback event scheduled on a day: a workshop, a statement or a malformed record."""

    kind: str
    args: tuple[Any, ...] = ()


@dataclass
class _Plan:
    feedback_per_day: list[int]
    specials: dict[int, list[_Special]] = field(default_factory=dict)
    v1_ordinals: frozenset[int] = frozenset()

    def add(self, day: int, special: _Special) -> None:
        self.specials.setdefault(day, []).append(special)


MALFORMED_KINDS: tuple[tuple[str, RejectionReason], ...] = (
    ("csv_row", RejectionReason.NOT_JSON),
    ("json_array", RejectionReason.NOT_AN_OBJECT),
    ("unknown_event_type", RejectionReason.UNKNOWN_EVENT_TYPE),
    ("missing_text", RejectionReason.SCHEMA_VIOLATION),
    ("bad_channel", RejectionReason.SCHEMA_VIOLATION),
    ("future_schema_version", RejectionReason.UNSUPPORTED_SCHEMA_VERSION),
    ("truncated_json", RejectionReason.NOT_JSON),
    ("lifecycle_event_on_intake", RejectionReason.UNKNOWN_EVENT_TYPE),
    ("bad_workshop_target", RejectionReason.SCHEMA_VIOLATION),
    ("statement_schema_version_2", RejectionReason.UNSUPPORTED_SCHEMA_VERSION),
)


def _sizes(events: int | None) -> tuple[int, int, int, int]:
    """(total, blocks of workshops and statements, malformed, version-1 feedback)."""
    if events is None:
        return DEFAULT_EVENTS, 1, DEFAULT_MALFORMED, 1
    if events < 0:
        raise ValueError("events must be >= 0")
    if events < 200:  # too few for the structured part: feedback only
        return events, 0, 0, 0
    return (
        events,
        max(1, round(events / DEFAULT_EVENTS)),
        round(events / 1000),
        1 + events // 25_000,
    )


# --- The generator --------------------------------------------------------------------------------


# Placeholders for counts: hours, days, weeks, months, a small count, residents per night nurse.
_NUMBER_RANGES = {
    "h": (2, 9),
    "d": (2, 14),
    "w": (2, 10),
    "m": (2, 9),
    "n": (2, 6),
    "res": (18, 45),
}


class _Slots(dict[str, str]):
    """Placeholder values for one text, made on first use so that unused ones cost nothing."""

    def __init__(
        self, rng: random.Random, lang: str, area: str, personal: list[PersonalDatum]
    ) -> None:
        super().__init__()
        self.rng, self.lang, self.area, self.personal = rng, lang, area, personal

    def __missing__(self, key: str) -> str:
        if key[0].isupper():
            low = self[key[0].lower() + key[1:]]
            value = low[0].upper() + low[1:]
        else:
            value = self._make(key)
        self[key] = value
        return value

    def name(self, which: str) -> str:
        lang = self.lang if self.lang in T.FIRST_NAMES else "fi"
        table = T.FIRST_NAMES if which == "first" else T.LAST_NAMES
        value = _choice(self.rng, table[lang])
        self.personal.append(PersonalDatum("name", value))
        return value

    def _make(self, key: str) -> str:
        rng, lang = self.rng, self.lang
        if key in ("staff", "doctor"):
            staff = T.STAFF.get(lang, T.STAFF["fi"])
            plain, named = _choice(rng, staff[self.area if key == "staff" else "doctor"])
            if rng.random() < 0.25:
                which = "last" if "{last}" in named else "first"
                return named.format(**{which: self.name(which)})
            return plain
        if key in ("rel", "rel_all"):
            group = (
                "elderly"
                if self.area == "ikaantyneiden-palvelut"
                else "young"
                if self.area in ("lapsiperheiden-palvelut", "mielenterveys-ja-paihde")
                else _choice(rng, ("elderly", "young"))
            )
            if lang == "fi" or lang not in T.RELATIVES:
                self["rel"], self["rel_all"] = _choice(rng, T.RELATIVES_FI[group])
            else:
                self["rel"] = self["rel_all"] = _choice(rng, T.RELATIVES[lang][group])
            return self[key]
        if key in _NUMBER_RANGES:
            return str(rng.randint(*_NUMBER_RANGES[key]))
        if key == "min":
            return str(_choice(rng, (15, 20, 25, 30, 40, 45, 50, 60, 75, 90)))
        if key == "km":
            return str(rng.randrange(40, 200, 5))
        if key == "eur":
            return str(_choice(rng, (18, 25, 32, 45, 51, 60, 85, 120, 150, 230, 310)))
        if key == "wd":
            return _choice(rng, T.WEEKDAYS[lang])
        raise KeyError(key)


def _lower_first(text: str, lang: str) -> str:
    """Lower-case a sentence start after a connector, leaving "I", "Dr X" and acronyms alone."""
    if (lang == "en" and text.startswith(("I ", "I'", "Dr "))) or (
        len(text) > 1 and text[1].isupper()
    ):
        return text
    return text[0].lower() + text[1:]


def _typo(rng: random.Random, text: str) -> str:
    words = list(_LONG_LOWER_WORD.finditer(text))
    if not words:
        return text
    m = _choice(rng, words)
    w, i = m.group(), rng.randrange(1, len(m.group()) - 1)
    w = _choice(
        rng, (w[:i] + w[i + 1] + w[i] + w[i + 2 :], w[:i] + w[i + 1 :], w[:i] + w[i] + w[i:])
    )
    return text[: m.start()] + w + text[m.end() :]


class _Scenario:
    def __init__(self, seed: int, events: int | None, start: date, weeks: int) -> None:
        if weeks < 1:
            raise ValueError("weeks must be >= 1")
        self.rng = random.Random(seed)
        self.start, self.days = start, weeks * 7
        self.decisions = {
            c.code: tuple(
                _Decision(f"{c.decision_prefix}/{self.rng.randint(100, 4999)}/{start.year}", *texts)
                for texts in T.DECISIONS[c.code]
            )
            for c in ORGANISATION.counties
        }
        self.forums = 0
        self.plan = self._make_plan(*_sizes(events))

    # -- planning --

    def _weekday(self, day: int) -> int:
        """The nearest weekday on or after `day` inside the period (or before it, at the end)."""
        for d in list(range(day, self.days)) + list(range(day - 1, -1, -1)):
            if (self.start + timedelta(days=d)).weekday() < 5:
                return d
        return min(day, self.days - 1)

    def _make_plan(self, total: int, blocks: int, malformed: int, v1: int) -> _Plan:
        rng, days = self.rng, self.days
        feedback = total - blocks * BLOCK_SIZE - malformed
        weights = [
            _day_weight(self.start + timedelta(days=d)) * rng.uniform(0.85, 1.15)
            for d in range(days)
        ]
        cum = list(accumulate(weights))
        bounds = [0] + [round(feedback * c / cum[-1]) for c in cum]
        plan = _Plan([bounds[d + 1] - bounds[d] for d in range(days)])
        plan.v1_ordinals = frozenset(rng.sample(range(feedback), min(v1, feedback)))
        counties = [c.code for c in ORGANISATION.counties]
        for b in range(blocks):
            county = ORGANISATION.county(counties[b % 3])
            area = _choice(rng, county.areas)
            unit = _choice(rng, area.units)
            decision = _choice(rng, self.decisions[county.code])
            group_id = f"{county.code}-kehittajaasiakkaat-{b // 3 + 1}"
            first, interval = rng.randrange(max(1, days // 5)), _choice(rng, (7, 14))
            if first + 3 * interval >= days:
                interval = max(1, (days - 1 - first) // 3)
            for k in range(1, 5):
                day = self._weekday(min(first + (k - 1) * interval, days - 1))
                plan.add(day, _Special("meeting", (county, area, unit, group_id, k, decision)))
            for forum in ("pop_up", "pop_up", "digital", "digital"):
                c, a, u = _UNITS.pick(rng)
                plan.add(
                    self._weekday(rng.randrange(days)),
                    _Special(forum, (c, a, u if forum == "pop_up" else None)),
                )
            other = ORGANISATION.county(counties[(b + 1) % 3])
            for kind, author, c, dec in (
                ("decision", "expert_by_experience", county, decision),
                ("county_wide", "expert_by_experience", _COUNTIES.pick(rng), None),
                ("area", "influence_body", _COUNTIES.pick(rng), None),
                (
                    "decision",
                    "expert_by_experience",
                    other,
                    _choice(rng, self.decisions[other.code]),
                ),
                (
                    "area",
                    _choice(rng, ("expert_by_experience", "developer_client_group")),
                    _COUNTIES.pick(rng),
                    None,
                ),
            ):
                day = self._weekday(rng.randrange(days // 3 if kind == "decision" else 0, days))
                plan.add(day, _Special("statement", (kind, author, c, dec)))
        for k in range(malformed):
            plan.add(
                rng.randrange(days),
                _Special("malformed", MALFORMED_KINDS[k % len(MALFORMED_KINDS)]),
            )
        return plan

    # -- streaming --

    def records(self) -> Iterator[ScenarioRecord]:
        heap: list[tuple[datetime, int, ScenarioRecord]] = []
        seq = ordinal = 0
        for d in range(self.days):
            day = self.start + timedelta(days=d)
            for _ in range(self.plan.feedback_per_day[d]):
                stamp, record = self._feedback(day, v1=ordinal in self.plan.v1_ordinals)
                heapq.heappush(heap, (stamp, seq, record))
                seq, ordinal = seq + 1, ordinal + 1
            for special in self.plan.specials.get(d, ()):
                stamp, record = self._special(day, special)
                heapq.heappush(heap, (stamp, seq, record))
                seq += 1
            # Whatever is made later happens on a later day: what was recorded before is final.
            midnight = datetime.combine(day + timedelta(days=1), time())
            horizon = _stamp(midnight, as_utc=True).utc
            while heap and heap[0][0] < horizon:
                yield heapq.heappop(heap)[2]
        while heap:
            yield heapq.heappop(heap)[2]

    def _event_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _times(
        self, day: date, hours: _Weighted, delay_seconds: tuple[int, int], as_utc: bool
    ) -> tuple[_Stamp, _Stamp]:
        rng = self.rng
        local = datetime.combine(
            day, time(hours.pick(rng), int(rng.random() * 60), int(rng.random() * 60))
        )
        low, high = delay_seconds
        delay = timedelta(seconds=low + int(rng.random() * (high - low)))
        return _stamp(local, as_utc), _stamp(local + delay, as_utc)

    # -- feedback --

    def _feedback(self, day: date, v1: bool = False) -> tuple[datetime, ScenarioRecord]:
        payload, personal, intended, recorded = self._feedback_payload(day, v1)
        record = ScenarioRecord(
            _dumps(payload),
            payload["event_id"].encode(),
            None,
            "feedback.submitted",
            tuple(personal),
            intended,
        )
        return recorded, record

    def _feedback_payload(
        self,
        day: date,
        v1: bool = False,
        lang_override: str | None = None,
    ) -> tuple[dict[str, Any], list[PersonalDatum], Intended, datetime]:
        rng = self.rng
        event_id = self._event_id()
        county, area, unit = _UNITS.pick(rng)
        channel = _CHANNELS.get(area.code, _CHANNELS[None]).pick(rng)
        if channel == "electronic":
            occurred, recorded = self._times(day, _E_HOURS, (1, 120), as_utc=True)
        else:
            delay = (120, 3 * 3600) if channel == "oral" else (1200, 8 * 3600)
            occurred, recorded = self._times(day, _OFFICE_HOURS, delay, as_utc=False)
        language = lang_override or _LANGUAGES[unit.languages].pick(rng)
        text_lang = language or (
            "sv"
            if unit.languages == "sv" or (unit.languages == "bilingual" and rng.random() < 0.3)
            else "fi"
        )
        role = "close_one" if rng.random() < _CLOSE_ONE_SHARE[area.code] else "client"
        text, personal, intended, reply, contact = self._feedback_text(
            text_lang, county.code, area.code, role, channel
        )
        ratings = _RATINGS[intended.stance] if intended.severity != "critical" else (1,)
        no_rating = {"oral": 0.5, "written": 0.2, "electronic": 0.1}[channel]
        if intended.stance == "question":
            no_rating = 0.6
        rating = None if rng.random() < no_rating else _choice(rng, ratings)

        payload: dict[str, Any] = {
            "event_id": str(event_id),
            "event_type": "feedback.submitted",
            "schema_version": 1 if v1 else 2,
            "occurred_at": occurred.text,
            "recorded_at": recorded.text,
            "county": county.code,
            "unit": unit.code,
            "service_area": area.code,
            "channel": channel,
        }
        if language is not None:
            payload["lang" if v1 else "language"] = language
        if rating is not None:
            payload["rating"] = rating
        payload["text"] = text
        if v1:
            payload["relative"] = role == "close_one"
        else:
            payload["respondent_role"] = role
        payload["reply_requested"] = reply
        if contact is not None:
            payload["contact"] = contact.value
            personal.append(contact)
        return payload, personal, intended, recorded.utc

    def _core(self, lang: str, theme: str, key: str, area: str, role: str) -> _Core:
        return _choice(self.rng, _CORES[lang, theme, key, area, role])

    def _feedback_text(
        self,
        lang: str,
        county: str,
        area: str,
        role: str,
        channel: str,
    ) -> tuple[str, list[PersonalDatum], Intended, bool, PersonalDatum | None]:
        rng = self.rng
        personal: list[PersonalDatum] = []
        slots = _Slots(rng, lang, area, personal)
        stance = _STANCES.pick(rng)
        if stance == "mixed":
            good = self._core(lang, _THEMES.pick(rng), "praise", area, role)
            bad = self._core(lang, _THEMES.pick(rng), _MIXED_SEVERITY.pick(rng), area, role)
            connector, lower = _choice(rng, T.MIXED_CONNECTORS[lang])
            bad_text = _fill(rng, bad.text, slots)
            cores = [good, bad]
            sentences = [
                _fill(rng, good.text, slots),
                connector + (_lower_first(bad_text, lang) if lower else bad_text),
            ]
        else:
            key = stance if stance != "complaint" else _COMPLAINT_SEVERITY.pick(rng)
            cores = [
                self._core(
                    lang, "safety" if key == "critical" else _THEMES.pick(rng), key, area, role
                )
            ]
            if key != "critical" and rng.random() < 0.15:
                second = self._core(
                    lang,
                    _THEMES.pick(rng),
                    key if key in _RATINGS else _choice(rng, ("low", "medium")),
                    area,
                    role,
                )
                if second.text != cores[0].text:
                    cores.append(second)
            sentences = [_fill(rng, c.text, slots) for c in cores]
        intended = _intended(cores)
        tone = _TONE[intended.stance]

        opener_pool = _OPENERS[lang, tone]
        if role == "close_one" and rng.random() < 0.5 and "close_one" in T.OPENERS[lang]:
            opener_pool = T.OPENERS[lang]["close_one"]
        detail_pool = _DETAILS[lang, _choice(rng, ("neg", "pos")) if tone == "mixed" else tone]
        if detail_pool and rng.random() < 0.3:
            sentences.append(_fill(rng, _choice(rng, detail_pool), slots))
        body = " ".join(sentences)
        if channel == "oral" and rng.random() < 0.4:
            body = _choice(rng, T.ORAL_PREFIXES[lang]) + body
        elif opener_pool and rng.random() < 0.55:
            opener = _fill(rng, _choice(rng, opener_pool), slots)
            # After a salutation ("Hei vaan,") the letter goes on on the next line or after it.
            if opener.endswith(","):
                joiner = "\n" if rng.random() < 0.5 else " "
                body = opener + joiner + (body if joiner == "\n" else _lower_first(body, lang))
            else:
                body = opener + " " + body
        body = self._roughen(body, lang, county, tone, has_names=bool(personal))

        tail = self._personal_sentences(lang, county, role, intended, slots, personal)
        reply = rng.random() < (
            0.4 if intended.severity == "critical" else _REPLY_SHARE[intended.stance]
        )
        if reply and rng.random() < 0.7:
            tail.append(_choice(rng, T.REPLY_ASKS[lang]))
        closers = _CLOSERS[lang, tone]
        if closers and rng.random() < 0.5:
            tail.append(_choice(rng, closers))
        if rng.random() < 0.04 and "sign" in T.PII_SENTENCES[lang]:
            who = slots.name("first") + (f" {slots.name('last')}" if rng.random() < 0.5 else "")
            tail.append(_choice(rng, T.PII_SENTENCES[lang]["sign"]).format(v=who))
        text = body + (
            ("\n" if channel != "oral" and rng.random() < 0.1 else " ") + " ".join(tail)
            if tail
            else ""
        )

        contact = None
        if (reply and rng.random() < 0.85) or rng.random() < 0.02:
            if rng.random() < 0.55:
                contact = PersonalDatum("phone", phone_number(rng, county))
            else:
                contact = PersonalDatum(
                    "email", email_address(rng, slots.name("first"), slots.name("last"))
                )
                del personal[-2:]  # the names went into the address, not into the text
        return text, personal, intended, reply, contact

    def _roughen(self, body: str, lang: str, county: str, tone: str, has_names: bool) -> str:
        """Colloquial Finnish, typos, missing umlauts, shouting: what real feedback looks like."""
        rng = self.rng
        if lang == "fi" and rng.random() < 0.1:
            pattern, words = _DIALECTS[county]
            body = pattern.sub(lambda m: words[m.group()], body)
            if rng.random() < 0.3:
                body = _choice(rng, T.DIALECT_FILLERS) + _lower_first(body, lang)
        if lang != "se" and rng.random() < 0.07:
            body = _typo(rng, body)
        if lang in ("fi", "sv") and rng.random() < 0.02:
            body = _LOWER_WORD.sub(lambda m: m.group().translate(_NO_UMLAUTS), body)
        if not has_names:
            if tone == "neg" and rng.random() < 0.02:
                body = body.upper()
            elif rng.random() < 0.03:
                body = body.lower().rstrip(".!")
        return body

    def _personal_sentences(
        self,
        lang: str,
        county: str,
        role: str,
        intended: Intended,
        slots: _Slots,
        personal: list[PersonalDatum],
    ) -> list[str]:
        rng, table = self.rng, T.PII_SENTENCES[lang]
        complaint = intended.stance in ("complaint", "mixed")
        out = []

        def add(kind: str, value: str, variant: str | None = None) -> None:
            personal.append(PersonalDatum(kind, value))
            sentence = _choice(rng, table[variant or kind])
            out.append(sentence.format(v=value, Rel=slots["Rel"] if "{Rel}" in sentence else ""))

        if "hetu" in table and rng.random() < (0.02 if complaint else 0.008):
            about_relative = role == "close_one" and rng.random() < 0.5
            add("hetu", henkilotunnus(rng), "hetu_close_one" if about_relative else None)
        if rng.random() < 0.025:
            add("phone", phone_number(rng, county))
        if "email" in table and rng.random() < 0.015:
            first, last = (
                _choice(rng, T.FIRST_NAMES["sv" if lang == "sv" else "fi"]),
                _choice(rng, T.LAST_NAMES["fi"]),
            )
            add("email", email_address(rng, first, last))
        if "iban" in table and rng.random() < (
            0.2 if complaint and "fees" in intended.themes else 0.003
        ):
            add("iban", finnish_iban(rng))
        return out

    # -- workshops, statements, malformed --

    def _special(self, day: date, special: _Special) -> tuple[datetime, ScenarioRecord]:
        if special.kind == "malformed":
            return self._malformed(day, *special.args)
        payload, recorded = (
            self._statement(day, *special.args)
            if special.kind == "statement"
            else self._workshop(day, special.kind, *special.args)
        )
        return recorded, ScenarioRecord(
            _dumps(payload), payload["event_id"].encode(), None, payload["event_type"]
        )

    def _workshop(
        self,
        day: date,
        forum: str,
        county: County,
        area: ServiceArea,
        unit: Unit | None,
        group_id: str | None = None,
        meeting: int | None = None,
        decision: _Decision | None = None,
    ) -> tuple[dict[str, Any], datetime]:
        rng = self.rng
        event_id = self._event_id()
        end = datetime.combine(day, time(_choice(rng, (15, 16, 17)), _choice(rng, (0, 15, 30))))
        recorded = end + timedelta(minutes=rng.randint(20, 20 * 60))
        lang = (
            "sv"
            if unit is not None
            and (unit.languages == "sv" or (unit.languages == "bilingual" and rng.random() < 0.3))
            else "fi"
        )
        if forum == "meeting":
            participants = {"developer_client": 8, "staff": 2}
            # Each meeting opens with a different target, so the group reaches all four.
            first_targets = (
                ("unit",),
                ("service_area",),
                ("decision_under_preparation",),
                ("county_policy",),
            )
            first = first_targets[meeting - 1]
            rest = (
                "unit",
                "service_area",
                "service_area",
                "county_policy",
                "decision_under_preparation",
            )
            workshop_id, forum_type, facilitators = (
                f"{group_id}-tapaaminen-{meeting}",
                "structural",
                2,
            )
        else:
            self.forums += 1
            decision = _choice(rng, self.decisions[county.code])
            if forum == "pop_up":
                participants = {
                    "client": rng.randint(12, 45),
                    "close_one": rng.randint(2, 12),
                    "staff": rng.randint(2, 4),
                }
                first, rest = ("unit",), ("unit", "unit", "service_area", "county_policy")
            else:
                participants = {
                    "client": rng.randint(20, 80),
                    "close_one": rng.randint(3, 15),
                    "expert_by_experience": rng.randint(1, 3),
                    "developer_client": rng.randint(1, 4),
                }
                first, rest = (
                    ("service_area",),
                    ("service_area", "county_policy", "decision_under_preparation"),
                )
            kind = "popup" if forum == "pop_up" else "digiraati"
            workshop_id = f"{kind}-{county.code}-{day:%Y%m%d}-{self.forums}"
            forum_type, facilitators = forum, rng.randint(1, 2)
        proposals = _PROPOSALS[lang, county.code == "lappi", area.code]
        n = min(rng.randint(2, 5), len(proposals))
        targets = list(first) + [_choice(rng, rest) for _ in range(n - 1)]
        items = []
        for target, proposal in zip(targets, rng.sample(proposals, n), strict=True):
            prefix_kind = {
                "county_policy": "county_policy",
                "decision_under_preparation": "decision",
            }.get(target, "structural" if forum == "meeting" else forum)
            title = decision.title_sv if lang == "sv" else decision.title_fi
            prefix = _choice(rng, T.WORKSHOP_PREFIXES[lang][prefix_kind]).format(title=title)
            text = f"{prefix} {proposal}. {_choice(rng, T.WORKSHOP_REASONS[lang])}".strip()
            item: dict[str, Any] = {"text": text, "target": target}
            if target == "decision_under_preparation":
                item["decision_ref"] = decision.ref
            items.append(item)
        payload = {
            "event_id": str(event_id),
            "event_type": "workshop.output_recorded",
            "schema_version": 1,
            "occurred_at": _stamp(end, False).text,
            "recorded_at": _stamp(recorded, False).text,
            "county": county.code,
            "unit": unit.code if unit else None,
            "workshop_id": workshop_id,
            "group_id": group_id,
            "meeting_number": meeting,
            "forum_type": forum_type,
            "held_on": day.isoformat(),
            "service_area": area.code,
            "facilitator_count": facilitators,
            "participants": participants,
            "items": items,
        }
        return payload, _stamp(recorded, False).utc

    def _statement(
        self, day: date, kind: str, author: str, county: County, decision: _Decision | None
    ) -> tuple[dict[str, Any], datetime]:
        rng = self.rng
        event_id = self._event_id()
        occurred, recorded = self._times(day, _OFFICE_HOURS, (60, 1800), as_utc=False)
        lang = "sv" if county.code == "pohjanmaa" and rng.random() < 0.5 else "fi"
        area_codes = {a.code for a in county.areas}
        if decision is not None:
            about = decision.subject_sv if lang == "sv" else decision.subject_fi
            subjects = [s for s in T.STATEMENT_SUBJECTS[lang] if s["topic"] == about]
        else:
            subjects = [
                s
                for s in T.STATEMENT_SUBJECTS[lang]
                if s.get("county", county.code) == county.code
                and bool(s.get("county_wide")) == (kind == "county_wide")
                and (author != "influence_body" or s["area"] in (None, "ikaantyneiden-palvelut"))
            ]
        subject = _choice(rng, subjects or T.STATEMENT_SUBJECTS[lang])
        if author == "influence_body":
            area = "ikaantyneiden-palvelut"
        elif decision is not None:
            area = decision.area
        else:
            area = (
                subject["area"]
                if subject["area"] in area_codes
                else _choice(rng, county.areas).code
            )
        intros = T.STATEMENT_AUTHOR_INTROS[lang]
        intro = (
            intros.get(f"{author}:{area}")
            or intros.get(author)
            or _choice(rng, T.STATEMENT_INTROS[lang])
        )
        findings = rng.sample(subject["findings"], 2)
        also = "Lisäksi" if lang == "fi" else "Vidare konstateras att"
        text = f"{intro} {findings[0]} {also} {findings[1]}"
        topic = subject["topic"]
        if decision is not None:
            title = decision.title_sv if lang == "sv" else decision.title_fi
            topic = f"{'Utlåtande' if lang == 'sv' else 'Lausunto'}: {title}"
            text += " " + T.STATEMENT_DECISION_CLOSING[lang].format(title=title)
        recommendations = subject["recommendations"]
        payload = {
            "event_id": str(event_id),
            "event_type": "expert_statement.issued",
            "schema_version": 1,
            "occurred_at": occurred.text,
            "recorded_at": recorded.text,
            "county": county.code,
            "author_role": author,
            "service_area": area,
            "topic": topic,
            "decision_ref": decision.ref if decision else None,
            "county_wide": kind == "county_wide",
            "language": lang,
            "text": text,
            "recommendations": rng.sample(recommendations, rng.randint(2, len(recommendations))),
        }
        return payload, recorded.utc

    def _malformed(
        self, day: date, kind: str, reason: RejectionReason
    ) -> tuple[datetime, ScenarioRecord]:
        """Bad input as it really arrives. Personal data may be in the payload, never in the key."""
        if kind == "bad_workshop_target":
            c, a, u = _UNITS.pick(self.rng)
            payload, recorded = self._workshop(day, "pop_up", c, a, u)
            payload["items"][0]["target"] = "aluehallitus"
            personal: list[PersonalDatum] = []
        elif kind == "statement_schema_version_2":
            payload, recorded = self._statement(
                day, "area", "expert_by_experience", _COUNTIES.pick(self.rng), None
            )
            payload["schema_version"] = 2
            personal = []
        else:
            payload, personal, _, recorded = self._feedback_payload(day, lang_override="fi")
        event_type: str | None = payload["event_type"]
        if kind == "csv_row":  # a spreadsheet row in Latin-1, pasted by mistake
            value = ";".join(
                (
                    payload["occurred_at"][:10],
                    payload["unit"],
                    str(payload.get("rating", "")),
                    payload["text"].replace("\n", " "),
                )
            ).encode("latin-1", errors="replace")
            event_type = None
        elif kind == "json_array":
            value, event_type = _dumps([payload]), None
        elif kind == "truncated_json":
            full = _dumps(payload)
            value, event_type = full[: len(full) // 2], None
        else:
            if kind == "unknown_event_type":
                payload["event_type"] = event_type = "feedback.created"
            elif kind == "missing_text":
                del payload["text"]
            elif kind == "bad_channel":
                payload["channel"] = "puhelin"
            elif kind == "future_schema_version":
                payload["schema_version"] = 99
            elif kind == "lifecycle_event_on_intake":
                payload = {
                    k: payload[k]
                    for k in ("event_id", "occurred_at", "recorded_at", "county", "unit")
                }
                payload.update(
                    event_type="item.acknowledged",
                    schema_version=1,
                    item_id=f"fb-{self.rng.getrandbits(64):016x}",
                    actor_role="unit_manager",
                )
                event_type = "item.acknowledged"
            value = _dumps(payload)
        kept = tuple(
            p
            for p in personal
            if p.value.encode() in value or p.value.encode("latin-1", "replace") in value
        )
        return recorded, ScenarioRecord(value, None, reason, event_type, kept)


def _intended(cores: list[_Core]) -> Intended:
    stances = {c.stance for c in cores}
    stance = "mixed" if "praise" in stances and "complaint" in stances else cores[0].stance
    severity = max((c.severity for c in cores), key=_SEVERITY_RANK.__getitem__)
    themes = tuple(sorted({t for c in cores for t in c.themes}))
    return Intended(themes, stance, severity)


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


# --- Public functions -----------------------------------------------------------------------------


def generate(
    seed: int = 2026, *, events: int | None = None, start: date = date(2026, 9, 1), weeks: int = 8
) -> Iterator[ScenarioRecord]:
    """Yield the scenario's intake records in the order of their recorded_at.

    events=None: the demo scenario, 3,000 records with 10 malformed ones and one version-1 feedback.
    events=N: exactly N records with the same mix, about 0.1 % malformed and 1 + N // 25,000
    version-1 feedback; below 200 records everything is feedback.
    """
    return _Scenario(seed, events, start, weeks).records()


def write_jsonl(records: Iterable[ScenarioRecord], path: str | PathLike[str]) -> int:
    """Write one record value per line (for `kokemusvirta publish FILE`); returns the count."""
    count = 0
    with open(path, "wb") as out:
        for record in records:
            out.write(record.value + b"\n")
            count += 1
    return count

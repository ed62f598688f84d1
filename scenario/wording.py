"""How a feedback text is worded: alternatives, placeholders, colloquial Finnish and typos."""

from __future__ import annotations

import random
import re
from functools import cache

from scenario.choices import choice
from scenario.organisation import ORGANISATION
from scenario.records import PersonalDatum
from scenario.texts.fragments import (
    DIALECT_BY_COUNTY,
    DIALECT_COMMON,
    DIALECT_FILLERS,
    WEEKDAYS,
)
from scenario.texts.people import (
    FIRST_NAMES,
    LAST_NAMES,
    RELATIVES,
    RELATIVES_FI,
    STAFF,
)

_ALTERNATIVES = re.compile(r"\{([^{}]*\|[^{}]*)\}")


@cache
def _split_alternatives(template: str) -> tuple[str | tuple[str, ...], ...]:
    pieces = _ALTERNATIVES.split(template)  # literal, alternatives, literal, ...
    return tuple(p if i % 2 == 0 else tuple(p.split("|")) for i, p in enumerate(pieces))


def fill(rng: random.Random, template: str, slots: dict[str, str]) -> str:
    """Choose among "{a|b|c}" alternatives, then fill the placeholders."""
    if "|" in template:
        parts = _split_alternatives(template)
        template = "".join(p if isinstance(p, str) else choice(rng, p) for p in parts)
    return template.format_map(slots)


# Placeholders for counts: hours, days, weeks, months, a small count, residents per night nurse.
_NUMBER_RANGES = {
    "h": (2, 9),
    "d": (2, 14),
    "w": (2, 10),
    "m": (2, 9),
    "n": (2, 6),
    "res": (18, 45),
}


class Slots(dict[str, str]):
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
        lang = self.lang if self.lang in FIRST_NAMES else "fi"
        table = FIRST_NAMES if which == "first" else LAST_NAMES
        value = choice(self.rng, table[lang])
        self.personal.append(PersonalDatum("name", value))
        return value

    def _make(self, key: str) -> str:
        rng, lang = self.rng, self.lang
        if key in ("staff", "doctor"):
            staff = STAFF.get(lang, STAFF["fi"])
            plain, named = choice(rng, staff[self.area if key == "staff" else "doctor"])
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
                else choice(rng, ("elderly", "young"))
            )
            if lang == "fi" or lang not in RELATIVES:
                self["rel"], self["rel_all"] = choice(rng, RELATIVES_FI[group])
            else:
                self["rel"] = self["rel_all"] = choice(rng, RELATIVES[lang][group])
            return self[key]
        if key in _NUMBER_RANGES:
            return str(rng.randint(*_NUMBER_RANGES[key]))
        if key == "min":
            return str(choice(rng, (15, 20, 25, 30, 40, 45, 50, 60, 75, 90)))
        if key == "km":
            return str(rng.randrange(40, 200, 5))
        if key == "eur":
            return str(choice(rng, (18, 25, 32, 45, 51, 60, 85, 120, 150, 230, 310)))
        if key == "wd":
            return choice(rng, WEEKDAYS[lang])
        raise KeyError(key)


def lower_first(text: str, lang: str) -> str:
    """Lower-case a sentence start after a connector, leaving "I", "Dr X" and acronyms alone."""
    if (lang == "en" and text.startswith(("I ", "I'", "Dr "))) or (
        len(text) > 1 and text[1].isupper()
    ):
        return text
    return text[0].lower() + text[1:]


def _dialect_rewriter(county: str) -> tuple[re.Pattern[str], dict[str, str]]:
    words = {**DIALECT_COMMON, **DIALECT_BY_COUNTY.get(county, {})}
    words.update({k.capitalize(): v.capitalize() for k, v in list(words.items())})
    pattern = re.compile(r"\b(" + "|".join(sorted(words, key=len, reverse=True)) + r")\b")
    return pattern, words


_DIALECTS = {c.code: _dialect_rewriter(c.code) for c in ORGANISATION.counties}
_LOWER_WORD = re.compile(r"\b[a-zåäö]+\b")  # whole lower-case words: never names or identifiers
_LONG_LOWER_WORD = re.compile(r"\b[a-zåäö]{5,}\b")
_NO_UMLAUTS = str.maketrans("äöå", "aoa")


def _typo(rng: random.Random, text: str) -> str:
    words = list(_LONG_LOWER_WORD.finditer(text))
    if not words:
        return text
    m = choice(rng, words)
    w, i = m.group(), rng.randrange(1, len(m.group()) - 1)
    w = choice(
        rng, (w[:i] + w[i + 1] + w[i] + w[i + 2 :], w[:i] + w[i + 1 :], w[:i] + w[i] + w[i:])
    )
    return text[: m.start()] + w + text[m.end() :]


def roughen(
    rng: random.Random, body: str, lang: str, county: str, tone: str, has_names: bool
) -> str:
    """Colloquial Finnish, typos, missing umlauts, shouting: what real feedback looks like."""
    if lang == "fi" and rng.random() < 0.1:
        pattern, words = _DIALECTS[county]
        body = pattern.sub(lambda m: words[m.group()], body)
        if rng.random() < 0.3:
            body = choice(rng, DIALECT_FILLERS) + lower_first(body, lang)
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

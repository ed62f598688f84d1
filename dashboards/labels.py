"""The words and number formats of the dashboards in Finnish, Swedish and English.

`labels.yaml` holds the dashboards' own words. The words of the contract's codes (themes,
stances, severities, decision outcomes, lifecycle steps and milestones) are schemas/vocabulary.py's
and the names of counties, service areas and units the deployment's organisation registry's
(schemas/organisations.py; the face hands it in), so a theme reads the same in the inbox, the
digest and the dashboards, and a unit as its organisation names it.
"""

from __future__ import annotations

import math
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, SupportsFloat

import yaml

from dashboards.dates import year_month
from dashboards.html import echo
from schemas.deadlines import FINNISH_TIME
from schemas.organisations import OrganisationRegistry
from schemas.vocabulary import LANGUAGES, VOCABULARIES

LANGS: tuple[str, ...] = LANGUAGES
DEFAULT_LANG = "fi"
LABELS_FILE = Path(__file__).with_name("labels.yaml")

# Non-breaking spaces: a figure and its unit never wrap apart ("1 234", "42 %").
NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: the Finnish and Swedish thousands separator


class UnknownLanguage(ValueError):
    pass


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    codes = data["codes"]
    for kind, vocabulary in VOCABULARIES.items():
        codes[kind] = {str(code): dict(words) for code, words in vocabulary.items()}
    return data


def check_lang(lang: str | None) -> str:
    if lang in (None, ""):
        return DEFAULT_LANG
    if lang not in LANGS:
        raise UnknownLanguage(f"lang: expected one of {', '.join(LANGS)}, got {echo(lang)}")
    return str(lang)


class Labels:
    """Everything a page says in one language. `organisations`: the registry that names the
    counties, service areas and units (none: their codes made readable)."""

    def __init__(self, lang: str, organisations: OrganisationRegistry | None = None) -> None:
        self.lang = check_lang(lang)
        self.organisations = organisations
        self._d = _data()

    # --- words -------------------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        text: str = self._d["ui"][key][self.lang]
        return text.format(**values) if values else text

    def page(self, slug: str, field: str = "title") -> str:
        text: str = self._d["pages"][slug][self.lang][field]
        return text

    def dimension(self, name: str) -> str:
        text: str = self._d["dimensions"][name][self.lang]
        return text

    def language_name(self, lang: str) -> str:
        name: str = self._d["languages"][lang]["name"]
        return name

    def code(self, kind: str, code: object) -> str:
        """A taxonomy or lifecycle code as words; an unknown code as itself, so that a code
        added later is shown rather than hidden."""
        if code is None:
            return self.t("unknown")
        entry = self._d["codes"].get(kind, {}).get(str(code))
        return str(entry[self.lang]) if entry and self.lang in entry else str(code)

    def org(self, code: object) -> str:
        """A county, service area or unit by name (the organisation registry's; in English the
        Finnish one unless it gives an English one), else the code made readable."""
        if code is None:
            return self.t("no_unit")
        names = self.organisations.names(str(code)) if self.organisations else None
        if names is not None:
            return names.in_language(self.lang)
        text = str(code).replace("-", " ").replace("_", " ")
        return text[:1].upper() + text[1:]

    def month(self, value: object) -> str:
        """'2026-09', a date or a datetime -> 'syyskuu 2026'; a month DuckDB gave as text
        because Python has no date for it ('10000-01') the same way, and what is not a month
        at all as it is (dashboards/dates.py)."""
        if value is None:
            return self.t("unknown")
        ym = year_month(value)
        if ym is None:
            return str(value)
        return f"{self._d['months'][self.lang][ym[1] - 1]} {ym[0]}"

    def month_short(self, value: object) -> str:
        """'2026-09' -> '9/2026', for axes with many months."""
        if value is None:
            return self.t("unknown")
        ym = year_month(value)
        return f"{ym[1]}/{ym[0]}" if ym else str(value)

    def moment(self, value: datetime) -> str:
        """A moment in Finnish time: '23.11.2026 klo 6.41', '23.11.2026 kl. 6.41',
        '23 Nov 2026, 06:41'."""
        t = value.astimezone(FINNISH_TIME)
        if self.lang == "en":
            return f"{t.day} {t:%b %Y, %H:%M}"
        word = "klo" if self.lang == "fi" else "kl."
        return f"{t.day}.{t.month}.{t.year} {word} {t.hour}.{t.minute:02d}"

    # --- numbers (display only: rounding, separators, the suppression mark) ------------------
    def number(self, value: SupportsFloat | None, suppressed: bool = False, digits: int = 0) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.t("suppressed") if suppressed else "–"
        text = f"{float(value):,.{digits}f}" if digits else f"{round(float(value)):,d}"
        if self.lang == "en":
            return text
        return text.replace(",", NNBSP).replace(".", ",")

    def share(self, value: SupportsFloat | None, suppressed: bool = False) -> str:
        """A share 0..1 as a whole percentage ('42 %'; English '42%')."""
        if value is None:
            return self.t("suppressed") if suppressed else "–"
        percent = self.number(float(value) * 100)
        return f"{percent}%" if self.lang == "en" else f"{percent}{NBSP}%"

    def days(self, value: SupportsFloat | None, unit: str = "working_days") -> str:
        if value is None:
            return "–"
        return f"{self.number(value, digits=1)}{NBSP}{self.t(unit)}"

    def deadline(self, amount: int | None, unit: str | None) -> str:
        if amount is None or unit is None:
            return self.t("no_deadline")
        return f"{self.number(amount)}{NBSP}{self.t(str(unit))}"

""""Sanoitte, me teimme" ("you said, we did"): a unit's decisions of one month, for its clients.
Pure text generation; the command reads the store and publishes.

What goes in: for each item the unit decided in the month, its theme, the outcome and the
manager's rationale (redacted once more, in case a name or a number slipped in), and what it
answered ("Sanoitte: ..."): the client's redacted words, or the theme summary when the words
could identify their writer (a small group, a forgotten person: managers/you_said.py decides).

Languages: the unit's service languages in the organisation registry decide whether there is a
Swedish part ("Ni sade, vi gjorde"); for a unit the registry does not describe, at least 8 % of
its items with a known language in Swedish, the share at which a Finnish municipality becomes
bilingual (Language Act 423/2003 §5). Each part names the unit in its language (the registry's
names). Words and rationales stay in the language they were written in, marked with it where
it is not the part's ("(på finska)").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from managers import you_said as ys
from schemas.deadlines import FINNISH_TIME
from schemas.lifecycle import Outcome
from schemas.organisations import Names
from schemas.redaction import redact
from schemas.taxonomy import Theme
from schemas.vocabulary import OUTCOMES, THEMES

SWEDISH_SHARE = 0.08

OTHER = {"fi": "Muut asiat", "sv": "Övrigt"}
MONTHS = {
    "fi": ("tammikuussa", "helmikuussa", "maaliskuussa", "huhtikuussa", "toukokuussa",
           "kesäkuussa", "heinäkuussa", "elokuussa", "syyskuussa", "lokakuussa", "marraskuussa",
           "joulukuussa"),
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"),
}
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class DecidedItem:
    item_id: str
    themes: tuple[str, ...]
    outcome: str
    rationale: str
    decided_at: datetime
    decision_ref: str | None = None
    returned_at: datetime | None = None
    # What it answered (managers/you_said.py): the words that may be shown, or None for the
    # theme summary; their language; and the rationale's language (None: read from its words).
    said: str | None = None
    said_language: str | None = None
    source_family: str = "feedback"
    rationale_language: str | None = None


def parse_period(period: str) -> tuple[datetime, datetime]:
    """`2026-10` -> [start, end) of that month in Finnish time."""
    m = _PERIOD.match(period)
    if not m:
        raise PeriodError(f"--period {period!r}: give a month as YYYY-MM, e.g. 2026-10")
    year, month = int(m[1]), int(m[2])
    start = datetime(year, month, 1, tzinfo=FINNISH_TIME)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=FINNISH_TIME)
    return start, end


def is_swedish_unit(language_counts: Mapping[str | None, int]) -> bool:
    """At least 8 % of the unit's items with a known language are Swedish."""
    known = sum(n for lang, n in language_counts.items() if lang)
    return known > 0 and language_counts.get("sv", 0) / known >= SWEDISH_SHARE


def unit_label(code: str) -> str:
    """rovaniemen-terveysasema -> Rovaniemen terveysasema (codes are all the store has)."""
    words = code.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _theme_label(themes: tuple[str, ...], lang: str) -> str:
    """An item is listed once, under its first (main) theme."""
    if not themes:
        return OTHER[lang]
    return THEMES[Theme(themes[0])][lang]


def _grouped(items: Iterable[DecidedItem], lang: str) -> list[tuple[str, list[DecidedItem]]]:
    groups: dict[str, list[DecidedItem]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (i.decided_at, i.item_id)):
        groups[_theme_label(item.themes, lang)].append(item)
    # Biggest theme first; the label settles ties so the text is the same every time.
    return sorted(groups.items(), key=lambda g: (-len(g[1]), g[0]))


SAID = {"fi": "Sanoitte", "sv": "Ni sade"}
SUMMARISED = {"fi": "ei lainausta, jotta kirjoittajaa ei voi tunnistaa",
              "sv": "inget citat, så att skribenten inte kan identifieras"}


def _said_line(item: DecidedItem, lang: str) -> str:
    """What the decision answered: the words, or instead of them the summary by the theme the
    item is listed under."""
    if item.said:
        words = ys.with_mark(f"”{' '.join(item.said.split())}”", item.said_language, lang)
    else:
        kind = ys.KINDS.get(item.source_family, ys.KINDS["feedback"])[lang].lower()
        words = (f"{kind} {ys.ABOUT[lang]} {ys.theme_words(item.themes[:1], lang)} "
                 f"({SUMMARISED[lang]})")
    return f"  {SAID[lang]}: {words}"


def _section(lang: str, unit: str, month: str, items: list[DecidedItem]) -> list[str]:
    if lang == "fi":
        title = f"Sanoitte, me teimme – {unit}, {month}"
        intro = (f"Kiitos palautteestanne ja ehdotuksistanne. Näin {unit} toimi niiden "
                 f"pohjalta {month}: {len(items)} "
                 + ("päätös." if len(items) == 1 else "päätöstä."))
        none = f"{unit} ei tehnyt {month} palautteen pohjalta päätöksiä."
        ref = "päätös"
        outro = "Kertokaa meille jatkossakin, mikä toimii ja mikä ei."
    else:
        title = f"Ni sade, vi gjorde – {unit}, {month}"
        intro = (f"Tack för er respons och era förslag. Så här agerade {unit} utifrån dem "
                 f"{month}: {len(items)} beslut.")
        none = f"{unit} fattade inga beslut utifrån responsen {month}."
        ref = "beslut"
        outro = "Berätta gärna även i fortsättningen vad som fungerar och vad som inte gör det."
    lines = [title, "=" * len(title), ""]
    if not items:
        return [*lines, none, ""]
    lines += [intro, ""]
    for label, group in _grouped(items, lang):
        lines.append(f"{label} ({len(group)})")
        for item in group:
            rationale = redact(" ".join(item.rationale.split()))
            written_in = item.rationale_language or ys.rationale_language(rationale)
            text = (f"- {OUTCOMES[Outcome(item.outcome)][lang]}: "
                    f"{ys.with_mark(rationale, written_in, lang)}")
            if item.decision_ref:
                text += f" ({ref} {redact(item.decision_ref)})"
            lines.append(text)
            lines.append(_said_line(item, lang))
        lines.append("")
    return [*lines, outro, ""]


def languages_of(registry_languages: Iterable[str],
                 language_counts: Mapping[str | None, int]) -> tuple[str, ...]:
    """The digest's parts: the unit's registry languages (fi, sv, in the registry's order);
    for a unit the registry says nothing of, Finnish, and Swedish by the 8 % rule."""
    given = tuple(registry_languages)
    if given:
        return ys.unit_page_languages(given)
    return ("fi", "sv") if is_swedish_unit(language_counts) else ("fi",)


def render(unit_code: str, period: str, items: Iterable[DecidedItem], swedish: bool,
           names: Names | None = None, languages: Iterable[str] | None = None) -> str:
    """The digest text: Finnish, then Swedish when `swedish`; or the parts `languages` names,
    in that order. The unit is called by its registry name in each part (`names`)."""
    start, _ = parse_period(period)
    chosen = list(items)
    parts = tuple(languages) if languages is not None else (("fi", "sv") if swedish else ("fi",))
    lines: list[str] = []
    for lang in parts:
        unit = names.in_language(lang) if names else unit_label(unit_code)
        month = MONTHS[lang][start.month - 1]
        when = f"{month} {start.year}" if lang == "fi" else f"i {month} {start.year}"
        lines += [*([""] if lines else []), *_section(lang, unit, when, chosen)]
    return "\n".join(lines).rstrip() + "\n"

"""The site's HTML pages from the pairs and the registry's names; pure (text in, text out).

Jinja2 with autoescape on: every name, word and rationale is text, never markup. The pages are
WCAG 2.1 AA by construction: one h1, headings in order, `lang` on the page and on any text in
another language, a skip link, visible focus, colours of contrast at least 4.5:1, no JavaScript
and nothing from another site (the style is in the page), so they work offline and as files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from managers import you_said as ys
from schemas.deadlines import FINNISH_TIME
from schemas.lifecycle import Outcome
from schemas.vocabulary import OUTCOMES

LABELS: dict[str, dict[str, str]] = {
    "fi": {
        "site": "Sanoitte, me teimme", "skip": "Siirry sisältöön", "other": "På svenska",
        "intro": "Asiakkaiden, kehittäjäasiakkaiden ja kokemusasiantuntijoiden palaute ja "
                 "ehdotukset – ja mitä niiden pohjalta päätettiin.",
        "counties": "Hyvinvointialueet", "units": "Yksiköt", "county_wide": "Koko alue",
        "said": "Sanoitte", "did": "Teimme", "decided": "Päätetty", "returned": "Vastattu",
        "decision": "Päätös", "decisions_h": "Päätökset", "ref": "Tunniste",
        "none": "Ei vielä päätöksiä.",
        "summarised": "Tiivistelmä: ryhmä on pieni tai kirjoittaja pyysi tietojensa "
                      "poistamista, joten sanoja ei julkaista.",
        "feed": "Atom-syöte", "open_data": "Avoin data", "decisions": "päätöstä",
        "newest": "Uusimmat ensin.", "back": "Kaikki yksiköt",
        "privacy": "Tekstit on poistettu henkilötiedoista. Pienten ryhmien (alle {limit}) "
                   "tekstejä ja lukuja ei julkaista.",
    },
    "sv": {
        "site": "Ni sade, vi gjorde", "skip": "Gå till innehållet", "other": "Suomeksi",
        "intro": "Respons och förslag från klienter, utvecklarklienter och erfarenhetsexperter "
                 "– och vad som beslutades utifrån dem.",
        "counties": "Välfärdsområden", "units": "Enheter", "county_wide": "Hela området",
        "said": "Ni sade", "did": "Vi gjorde", "decided": "Beslutat", "returned": "Besvarat",
        "decision": "Beslut", "decisions_h": "Beslut", "ref": "Referens",
        "none": "Inga beslut ännu.",
        "summarised": "Sammanfattning: gruppen är liten eller skribenten har bett att "
                      "uppgifterna raderas, så orden publiceras inte.",
        "feed": "Atom-flöde", "open_data": "Öppna data", "decisions": "beslut",
        "newest": "Nyaste först.", "back": "Alla enheter",
        "privacy": "Personuppgifter har tagits bort ur texterna. Texter och siffror för små "
                   "grupper (under {limit}) publiceras inte.",
    },
}
OTHER = {"fi": "sv", "sv": "fi"}

_ENV = Environment(loader=PackageLoader("kokemusvirta.site", "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                   keep_trailing_newline=True)


@dataclass(frozen=True)
class Shown:
    """One pair as a page shows it in one language."""

    ref: str
    title: str  # outcome and date
    said: str | None
    said_lang: str | None  # the words' own language, when not the page's
    said_mark: str | None  # "(på finska)"
    summary: str
    rationale: str
    rationale_lang: str | None
    rationale_mark: str | None
    decision_ref: str | None
    decided_on: str
    decided_iso: str
    returned_on: str | None
    returned_iso: str | None


@dataclass(frozen=True)
class UnitLink:
    name: str
    href: str
    decisions: int


@dataclass(frozen=True)
class AreaLinks:
    name: str
    units: tuple[UnitLink, ...]


def day(moment: datetime) -> tuple[str, str]:
    """('12.12.2024', '2024-12-12'): the Finnish date as written in both languages, and ISO."""
    d = moment.astimezone(FINNISH_TIME).date()
    return f"{d.day}.{d.month}.{d.year}", d.isoformat()


def shown(p: ys.Pair, lang: str) -> Shown:
    decided_on, decided_iso = day(p.decided_at)
    returned = day(p.returned_at) if p.returned_at else (None, None)
    outcome = OUTCOMES[Outcome(p.outcome)][lang]
    said_other = p.said_language if p.said_language != lang else None
    rationale_other = p.rationale_language if p.rationale_language != lang else None
    return Shown(
        ref=p.ref, title=f"{outcome} – {decided_on}", said=p.said, said_lang=said_other,
        said_mark=ys.language_mark(p.said_language, lang) if p.said else None,
        summary=ys.summary(p, lang), rationale=p.rationale, rationale_lang=rationale_other,
        rationale_mark=ys.language_mark(p.rationale_language, lang),
        decision_ref=p.decision_ref, decided_on=decided_on, decided_iso=decided_iso,
        returned_on=returned[0], returned_iso=returned[1],
    )


def entry_text(s: Shown, lang: str) -> str:
    """A pair as the feed's plain text."""
    t = LABELS[lang]
    said = f"”{s.said}”" + (f" ({s.said_mark})" if s.said_mark else "") if s.said \
        else f"{s.summary}. {t['summarised']}"
    did = s.rationale + (f" ({s.rationale_mark})" if s.rationale_mark else "")
    ref = f" ({t['decision']} {s.decision_ref})" if s.decision_ref else ""
    return f"{t['said']}: {said}\n{t['did']}: {did}{ref}"


def unit_page(*, lang: str, county: str, area: str, unit: str, pairs: Sequence[ys.Pair],
              other_href: str, feed_href: str, index_href: str, limit: int) -> str:
    return _ENV.get_template("unit.html").render(
        lang=lang, t=LABELS[lang], other_lang=OTHER[lang], other_href=other_href,
        title=f"{LABELS[lang]['site']} – {unit}", county=county, area=area, unit=unit,
        pairs=[shown(p, lang) for p in ys.newest_first(pairs)], feed_href=feed_href,
        index_href=index_href, privacy=LABELS[lang]["privacy"].format(limit=limit))


def county_page(*, lang: str, county: str, areas: Sequence[AreaLinks],
                county_wide: Sequence[ys.Pair], other_href: str, open_data: Sequence[str],
                root_href: str, limit: int) -> str:
    return _ENV.get_template("county.html").render(
        lang=lang, t=LABELS[lang], other_lang=OTHER[lang], other_href=other_href,
        title=f"{LABELS[lang]['site']} – {county}", county=county, areas=areas,
        pairs=[shown(p, lang) for p in ys.newest_first(county_wide)], open_data=open_data,
        root_href=root_href, privacy=LABELS[lang]["privacy"].format(limit=limit))


def root_page(counties: Sequence[tuple[str, str, str]], limit: int) -> str:
    """The entrance: each county by its Finnish and Swedish name, (fi name, sv name, code)."""
    return _ENV.get_template("root.html").render(
        lang="fi", t=LABELS["fi"], tsv=LABELS["sv"], counties=counties,
        title=f"{LABELS['fi']['site']} – {LABELS['sv']['site']}", limit=limit)

"""What staff read in a notice: the subject and body of each e-mail, in Finnish and Swedish (the
unit's languages in the registry; both, Finnish first, for a bilingual unit). Pure.

A notice names the item by its reference, its unit and area by the registry's names, its themes
and severity in words, the deadline as a date with the working days left (or past), and how to
act: the `kokemusvirta` command or the inbox. It never holds the client's words or contact: an
e-mail leaves the county's systems' protection, and a reference is enough to find the item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from schemas.vocabulary import SEVERITIES, THEMES

TEXT_LANGUAGES = ("fi", "sv")  # the languages notices are written in

DEADLINE_WORDS = {
    "acknowledge": {"fi": "kuittauksen määräaika", "sv": "tidsfrist för kvittering"},
    "reply_to_client": {"fi": "vastauksen määräaika asiakkaalle",
                        "sv": "tidsfrist för svar till klienten"},
    "decide_or_answer": {"fi": "päätöksen määräaika", "sv": "tidsfrist för beslut"},
    "return_after_decision": {"fi": "palautuksen määräaika", "sv": "tidsfrist för återkoppling"},
}
SUBJECTS = {
    "critical": {"fi": "Kriittinen palaute {ref}: {unit}", "sv": "Kritisk respons {ref}: {unit}"},
    "reminder": {"fi": "Muistutus: {deadline} {due} ({ref}, {unit})",
                 "sv": "Påminnelse: {deadline} {due} ({ref}, {unit})"},
    "escalation": {"fi": "Siirretty johdolle: {ref} ({unit}) ei kuitattu ajoissa",
                   "sv": "Överfört till ledningen: {ref} ({unit}) inte kvitterat i tid"},
    "digest": {"fi": "Avoimet asiat {day}: {unit} ({count})",
               "sv": "Öppna ärenden {day}: {unit} ({count})"},
}
OPENINGS = {
    "critical": {"fi": "Kriittiseksi luokiteltu asia vaatii huomiota heti.",
                 "sv": "Ett ärende som klassats som kritiskt kräver uppmärksamhet genast."},
    "reminder": {"fi": "Asian määräaika lähestyy.",
                 "sv": "Tidsfristen för ärendet närmar sig."},
    "escalation": {"fi": "Yksikkö ei kuitannut asiaa määräajassa, joten järjestelmä siirsi sen "
                         "palvelualuejohdolle.",
                   "sv": "Enheten kvitterade inte ärendet inom tidsfristen, så systemet överförde "
                         "det till serviceområdets ledning."},
    "digest": {"fi": "Yksikön avoimet asiat, kriittiset ensin ja sitten määräajan mukaan:",
               "sv": "Enhetens öppna ärenden, kritiska först och sedan enligt tidsfrist:"},
}
ACT = {
    "critical": {"fi": "Toimi näin: katso asia komennolla `kokemusvirta inbox --unit {scope}` ja "
                       "kuittaa se: `kokemusvirta ack {ref}`; vahvista tai muuta vakavuus: "
                       "`kokemusvirta confirm {ref}`.",
                 "sv": "Gör så här: se ärendet med `kokemusvirta inbox --unit {scope}` och "
                       "kvittera det: `kokemusvirta ack {ref}`; bekräfta eller ändra "
                       "allvarlighetsgraden: `kokemusvirta confirm {ref}`."},
    "reminder": {"fi": "Toimi näin: `kokemusvirta inbox --unit {scope}`; kuittaus: "
                       "`kokemusvirta ack {ref}`, vastaus asiakkaalle: `kokemusvirta return "
                       "{ref} --to client`.",
                 "sv": "Gör så här: `kokemusvirta inbox --unit {scope}`; kvittering: "
                       "`kokemusvirta ack {ref}`, svar till klienten: `kokemusvirta return "
                       "{ref} --to client`."},
    "escalation": {"fi": "Toimi näin: kuittaa asia johdon tunnuksilla: `kokemusvirta ack {ref}`.",
                   "sv": "Gör så här: kvittera ärendet med ledningens konfiguration: "
                         "`kokemusvirta ack {ref}`."},
    "digest": {"fi": "Asiat yksi kerrallaan: `kokemusvirta inbox --unit {scope}`.",
               "sv": "Ärendena ett i taget: `kokemusvirta inbox --unit {scope}`."},
}
LABELS = {
    "ref": {"fi": "Viite", "sv": "Referens"},
    "unit": {"fi": "Yksikkö", "sv": "Enhet"},
    "area": {"fi": "Palvelualue", "sv": "Serviceområde"},
    "themes": {"fi": "Teemat", "sv": "Teman"},
    "severity": {"fi": "Vakavuus", "sv": "Allvarlighetsgrad"},
    "suspected": {"fi": "epäilty: odottaa ihmisen vahvistusta",
                  "sv": "misstänkt: väntar på en persons bekräftelse"},
    "no_themes": {"fi": "ei teemaa", "sv": "inget tema"},
    "no_contact": {"fi": "Asiakkaan sanoja tai yhteystietoja ei lähetetä sähköpostilla.",
                   "sv": "Klientens ord eller kontaktuppgifter skickas inte per e-post."},
    "footer": {"fi": "Kokemusvirta, automaattinen ilmoitus henkilöstölle.",
               "sv": "Kokemusvirta, automatiskt meddelande till personalen."},
}


def working_days_words(left: int, lang: str) -> str:
    """'2 työpäivää jäljellä', 'tänään', '3 työpäivää myöhässä' (and in Swedish)."""
    if left == 0:
        return {"fi": "erääntyy tänään", "sv": "förfaller i dag"}[lang]
    n = abs(left)
    if left > 0:
        return {"fi": f"{n} {'työpäivä' if n == 1 else 'työpäivää'} jäljellä",
                "sv": f"{n} {'arbetsdag' if n == 1 else 'arbetsdagar'} kvar"}[lang]
    return {"fi": f"{n} {'työpäivä' if n == 1 else 'työpäivää'} myöhässä",
            "sv": f"{n} {'arbetsdag' if n == 1 else 'arbetsdagar'} försenat"}[lang]


def finnish_day(day: date) -> str:
    """7.12.2026, as Finnish and Swedish readers in Finland write a date."""
    return f"{day.day}.{day.month}.{day.year}"


@dataclass(frozen=True)
class ItemLines:
    """What a notice says of one item, already in words of neither language yet."""

    ref: str
    themes: tuple[str, ...]
    severity: str | None
    suspected: bool
    deadline: str | None  # acknowledge | reply_to_client | ... (the one the notice is about)
    due_on: date | None
    working_days_left: int | None


def item_lines(item: ItemLines, lang: str) -> list[str]:
    themes = ", ".join(THEMES[t][lang] if t in THEMES else t for t in item.themes)
    severity = (SEVERITIES[item.severity][lang]
                if item.severity is not None and item.severity in SEVERITIES else "-")
    if item.suspected:
        severity += f" ({LABELS['suspected'][lang]})"
    lines = [f"{LABELS['ref'][lang]}: {item.ref}",
             f"{LABELS['themes'][lang]}: {themes or LABELS['no_themes'][lang]}",
             f"{LABELS['severity'][lang]}: {severity}"]
    if item.deadline and item.due_on is not None:
        words = DEADLINE_WORDS[item.deadline][lang]
        left = ("" if item.working_days_left is None
                else f" ({working_days_words(item.working_days_left, lang)})")
        lines.append(f"{words[0].upper()}{words[1:]}: {finnish_day(item.due_on)}{left}")
    return lines


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str
    language: str = "fi"  # the first of its languages (the e-mail's Content-Language)


def letter(kind: str, languages: Sequence[str], *, unit_names: dict[str, str],
           area_names: dict[str, str], scope: str, items: Sequence[ItemLines],
           day: date) -> Letter:
    """The e-mail of one notice in these languages (each of TEXT_LANGUAGES; Finnish first), one
    block per language; a digest lists every item, a single notice its one item."""
    langs = [lang for lang in TEXT_LANGUAGES if lang in languages] or ["fi"]
    first = items[0]
    subjects, blocks = [], []
    for lang in langs:
        deadline = DEADLINE_WORDS[first.deadline][lang] if first.deadline else ""
        subjects.append(SUBJECTS[kind][lang].format(
            ref=first.ref, unit=unit_names[lang], deadline=deadline,
            due=finnish_day(first.due_on) if first.due_on else "", day=finnish_day(day),
            count=len(items)))
        lines = [OPENINGS[kind][lang], "",
                 f"{LABELS['unit'][lang]}: {unit_names[lang]}",
                 f"{LABELS['area'][lang]}: {area_names[lang]}", ""]
        for item in items:
            lines += [*item_lines(item, lang), ""]
        lines += [ACT[kind][lang].format(ref=first.ref, scope=scope),
                  LABELS["no_contact"][lang], "", LABELS["footer"][lang]]
        blocks.append("\n".join(lines))
    return Letter(subject=" / ".join(subjects),
                  body=("\n\n" + "-" * 40 + "\n\n").join(blocks) + "\n", language=langs[0])

"""The words people read for the contract's codes, in Finnish, Swedish and English.

One table per vocabulary, each in this one place, so that a theme, a severity or a decision
outcome reads the same in a manager's inbox, the monthly digest and the dashboards. Codes are
stable identifiers (schemas/taxonomy.py, schemas/lifecycle.py); these are only their words.

A vocabulary maps a code to its words in each language: `THEMES[Theme.SAFETY]["sv"]` (a code
as plain text works too: `THEMES["safety"]["sv"]`). `in_language(THEMES, "fi")` gives one
language's table, keyed by the code.
"""

from __future__ import annotations

from collections.abc import Mapping

from schemas.lifecycle import Outcome
from schemas.taxonomy import Severity, Stance, Theme

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")

Words = Mapping[str, str]  # language -> words
Vocabulary = Mapping[str, Words]  # code -> its words

THEMES: Vocabulary = {
    Theme.QUALITY: {"fi": "Hoidon ja palvelun laatu", "sv": "Vårdens och tjänsternas kvalitet",
                    "en": "Quality of care and service"},
    Theme.SAFETY: {"fi": "Turvallisuus", "sv": "Säkerhet", "en": "Safety"},
    Theme.ENVIRONMENT: {"fi": "Tilat ja resurssit", "sv": "Lokaler och resurser",
                        "en": "Premises and resources"},
    Theme.ACCESS: {"fi": "Saatavuus ja odottaminen", "sv": "Tillgänglighet och väntetider",
                   "en": "Access and waiting"},
    Theme.COORDINATION: {"fi": "Palveluketjut ja yhteensovitus",
                         "sv": "Servicekedjor och samordning",
                         "en": "Service chains and coordination"},
    Theme.DIGITAL: {"fi": "Digitaaliset palvelut", "sv": "Digitala tjänster",
                    "en": "Digital services"},
    Theme.FEES: {"fi": "Maksut ja etuudet", "sv": "Avgifter och förmåner",
                 "en": "Fees and benefits"},
    Theme.LISTENING: {"fi": "Kuulluksi tuleminen ja osallisuus",
                      "sv": "Att bli hörd och delaktighet", "en": "Being heard and involved"},
    Theme.COMMUNICATION: {"fi": "Tiedonkulku ja viestintä", "sv": "Information och kommunikation",
                          "en": "Information and communication"},
    Theme.RESPECT: {"fi": "Kohtaaminen ja kunnioitus", "sv": "Bemötande och respekt",
                    "en": "Encounter and respect"},
}

STANCES: Vocabulary = {
    Stance.PRAISE: {"fi": "kiitos", "sv": "beröm", "en": "praise"},
    Stance.COMPLAINT: {"fi": "epäkohta", "sv": "missförhållande", "en": "complaint"},
    Stance.SUGGESTION: {"fi": "kehittämisehdotus", "sv": "utvecklingsförslag",
                        "en": "suggestion"},
    Stance.QUESTION: {"fi": "kysymys", "sv": "fråga", "en": "question"},
    Stance.MIXED: {"fi": "kiitos ja epäkohta", "sv": "beröm och missförhållande",
                   "en": "praise and complaint"},
}

SEVERITIES: Vocabulary = {
    Severity.CRITICAL: {"fi": "kriittinen", "sv": "kritisk", "en": "critical"},
    Severity.HIGH: {"fi": "korkea", "sv": "hög", "en": "high"},
    Severity.MEDIUM: {"fi": "kohtalainen", "sv": "måttlig", "en": "medium"},
    Severity.LOW: {"fi": "matala", "sv": "låg", "en": "low"},
    Severity.NONE: {"fi": "ei", "sv": "ingen", "en": "none"},
}

# How a decision answers what was said, as the digest says it to clients ("we will do it").
OUTCOMES: Vocabulary = {
    Outcome.ADOPTED: {"fi": "Toteutamme", "sv": "Vi genomför", "en": "We will do it"},
    Outcome.PARTLY: {"fi": "Toteutamme osittain", "sv": "Vi genomför delvis",
                     "en": "We will do it in part"},
    Outcome.REJECTED: {"fi": "Emme voi toteuttaa", "sv": "Vi kan inte genomföra",
                       "en": "We cannot do it"},
    Outcome.NO_ACTION_NEEDED: {"fi": "Ei vaadi muutoksia", "sv": "Kräver inga ändringar",
                               "en": "No change needed"},
    Outcome.ALREADY_UNDER_WAY: {"fi": "Työ on jo käynnissä", "sv": "Arbetet pågår redan",
                                "en": "Already under way"},
}

# An item's lifecycle steps (the event types without "item."; an acknowledgement by leadership
# is a step of its own), as an item's status: "the item is already <step>". The English words
# are the step codes, which a manager types on the command line. `unknown` is the status of an
# item the store has not got.
STEPS: Vocabulary = {
    "received": {"fi": "vastaanotettu", "sv": "mottaget", "en": "received"},
    "classified": {"fi": "luokiteltu", "sv": "klassificerat", "en": "classified"},
    "routed": {"fi": "ohjattu", "sv": "styrt", "en": "routed"},
    "acknowledged": {"fi": "kuitattu", "sv": "kvitterat", "en": "acknowledged"},
    "escalated": {"fi": "eskaloitu", "sv": "överfört till serviceområdets ledning",
                  "en": "escalated"},
    "acknowledged_by_leadership": {"fi": "kuitattu johdossa", "sv": "kvitterat av ledningen",
                                   "en": "acknowledged by leadership"},
    "presented": {"fi": "esitetty päättäjille", "sv": "föredraget för beslutsfattarna",
                  "en": "presented"},
    "decided": {"fi": "päätetty", "sv": "avgjort", "en": "decided"},
    "returned": {"fi": "palautettu", "sv": "återkopplat", "en": "returned"},
    "closed": {"fi": "suljettu", "sv": "stängt", "en": "closed"},
    # A person's word on the labels (side steps: never an item's status).
    "severity_confirmed": {"fi": "vakavuus vahvistettu", "sv": "allvarlighet bekräftad",
                           "en": "severity confirmed"},
    "relabelled": {"fi": "luokitus korjattu", "sv": "klassificering rättad",
                   "en": "relabelled"},
    # The notifier's side steps (kokemusvirta/notify/: never an item's status either).
    "reply_delivery": {"fi": "vastauksen toimitus asiakkaalle",
                       "sv": "leverans av svaret till klienten", "en": "reply delivery"},
    "staff_notified": {"fi": "henkilöstölle ilmoitettu", "sv": "personalen underrättad",
                       "en": "staff notified"},
    "unknown": {"fi": "tuntematon", "sv": "okänt", "en": "unknown"},
}

# How far items have got, as the flow page's funnel counts them (sinks' flow_funnel): a count
# of items per milestone, hence the Swedish plurals.
MILESTONES: Vocabulary = {
    "received": {"fi": "Vastaanotettu", "sv": "Mottagna", "en": "Received"},
    "acknowledged": {"fi": "Kuitattu", "sv": "Kvitterade", "en": "Acknowledged"},
    "reached_leadership": {"fi": "Tavoitti johdon", "sv": "Nådde ledningen",
                           "en": "Reached leadership"},
    "reached_decision_makers": {"fi": "Esitelty päättäjille",
                                "sv": "Presenterade för beslutsfattarna",
                                "en": "Reached decision-makers"},
    "decided": {"fi": "Päätetty", "sv": "Avgjorda", "en": "Decided"},
    "returned": {"fi": "Palautettu antajalleen", "sv": "Återkopplade", "en": "Returned"},
    "closed": {"fi": "Suljettu", "sv": "Stängda", "en": "Closed"},
}

# The kinds of code a page may ask words for, by the name the store's columns use.
VOCABULARIES: Mapping[str, Vocabulary] = {
    "theme": THEMES,
    "stance": STANCES,
    "severity": SEVERITIES,
    "outcome": OUTCOMES,
    "step": STEPS,
    "stage": MILESTONES,
}


def in_language(vocabulary: Vocabulary, lang: str) -> dict[str, str]:
    """One language's words, keyed by the code: `in_language(THEMES, "fi")[Theme.SAFETY]`."""
    return {code: words[lang] for code, words in vocabulary.items()}


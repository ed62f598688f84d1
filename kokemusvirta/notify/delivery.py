"""Delivery of answers to clients (issue 15 item 4): what is due, and the message. Pure, no I/O.

Each round (`delivery_round`, the I/O in kokemusvirta/notify/delivering.py) reads the store's
returns of items to their client (`item.returned`, returned_to client) whose feedback asked for
a reply and left a contact, with the item's decision and the delivery attempts so far
(`reply_deliveries`). `plan` keeps those with no final outcome yet (`sent`, `bounced`,
`contact_erased`, `unit_answers`, or `failed` at the last attempt); `channel_of` tells an e-mail
address from a postal address; a phone number (`is_phone`) is the unit's to call: nothing is
sent, and one `unit_answers` attempt (channel phone) records it; `render` writes the
answer in the client's language (the item's: fi, sv or en; Northern Sámi and unknown: Finnish).

Attempts: one `item.reply_delivery` per attempt. A mail the server does not take now
(`MailDeferred`) is a `failed` attempt, tried again after `retry_s`, doubling each time
(`next_try_in`); the `failed` of the last of `max_attempts` attempts is final. A refusal for
good (`MailBounced`) is `bounced` at once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from managers.you_said import rationale_language, with_mark
from schemas.deadlines import finnish_date
from schemas.lifecycle import Outcome
from schemas.vocabulary import OUTCOMES

if TYPE_CHECKING:
    from kokemusvirta.notify.service import NotifierContext, RoundReport

FINAL = frozenset({"sent", "bounced", "contact_erased", "unit_answers"})
ANSWER_LANGUAGES = ("fi", "sv", "en")
_PHONE = re.compile(r"^[+\d][\d\s()./-]{4,}$")
_EMAIL = re.compile(r"^[^@\s<>]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z0-9-]{2,63}$")


@dataclass(frozen=True)
class DueReturn:
    """One return of an item to its client that may need delivering, as the store has it."""

    returned_event_id: str
    item_id: str
    county: str
    service_area: str
    unit: str | None
    language: str | None  # the item's
    received_at: datetime
    returned_at: datetime
    outcome: str | None  # the decision's, None: returned without a decision
    rationale: str | None
    decision_ref: str | None
    no_decision_reason: str | None
    sealed_contact: dict[str, Any] | None  # the item's contact_sealed
    attempts: int = 0  # attempts the store has
    final: bool = False  # a final outcome in the store

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DueReturn:
        fields = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in row.items() if k in fields})


def answer_language(item_language: str | None) -> str:
    """The language of the answer: the item's when we write it (fi, sv, en), else Finnish."""
    return item_language if item_language in ANSWER_LANGUAGES else "fi"


def plan(returns: Iterable[DueReturn], max_attempts: int) -> list[DueReturn]:
    """The returns still to deliver: no final outcome, and attempts left."""
    return [r for r in returns if not r.final and r.attempts < max_attempts]


def channel_of(contact: str) -> str | None:
    """"email", "post" (a postal address: words and a postcode), or None (a phone number, or
    nothing the notifier can send to: the unit answers it)."""
    contact = contact.strip()
    if "@" in contact:
        return "email" if _EMAIL.match(contact) else None
    if _PHONE.match(contact):
        return None
    if re.search(r"\b\d{5}\b", contact) and re.search(r"[^\W\d_]{2,}", contact):
        return "post"
    return None


def is_phone(contact: str) -> bool:
    """Whether the contact is a phone number: the unit calls the client back."""
    contact = contact.strip()
    return "@" not in contact and bool(_PHONE.match(contact))


def next_try_in(attempt: int, retry_s: float) -> timedelta:
    """The wait after failed attempt number `attempt` (1, 2, …): retry_s, doubling."""
    return timedelta(seconds=retry_s * 2 ** (attempt - 1))


@dataclass(frozen=True)
class Answer:
    language: str
    subject: str
    text: str
    html: str


# What a decision means for the client, in their language (the outcome's words are
# schemas/vocabulary.py OUTCOMES).
_MEANING: dict[str, dict[str, str]] = {
    Outcome.ADOPTED: {
        "fi": "Palautteenne johtaa muutokseen. Muutos näkyy palvelussa, kun se on toteutettu.",
        "sv": "Er respons leder till en förändring. Den syns i servicen när den har "
              "genomförts.",
        "en": "Your feedback leads to a change. You will see it in the service once it is "
              "in place."},
    Outcome.PARTLY: {
        "fi": "Osa palautteestanne johtaa muutokseen; perusteluissa kerrotaan, mikä osa.",
        "sv": "En del av er respons leder till en förändring; motiveringen berättar vilken.",
        "en": "Part of your feedback leads to a change; the reasons say which part."},
    Outcome.REJECTED: {
        "fi": "Palautteenne ei tällä kertaa johda muutokseen; perusteluissa kerrotaan miksi. "
              "Voitte antaa palautetta uudelleen milloin tahansa.",
        "sv": "Er respons leder inte till en förändring den här gången; motiveringen berättar "
              "varför. Ni kan ge respons igen när som helst.",
        "en": "Your feedback does not lead to a change this time; the reasons say why. You "
              "can give feedback again at any time."},
    Outcome.NO_ACTION_NEEDED: {
        "fi": "Asia ei vaadi muutoksia; perusteluissa kerrotaan miksi.",
        "sv": "Saken kräver inga ändringar; motiveringen berättar varför.",
        "en": "Nothing needs to change; the reasons say why."},
    Outcome.ALREADY_UNDER_WAY: {
        "fi": "Asia on jo työn alla, ja palautteenne otetaan siinä huomioon.",
        "sv": "Arbetet pågår redan, och er respons beaktas i det.",
        "en": "The work is already under way, and your feedback is taken into account in it."},
}
_WORDS: dict[str, dict[str, str]] = {
    "fi": {"subject": "Vastaus palautteeseenne – {unit}", "hello": "Hei,",
           "thanks": "kiitos palautteestanne, jonka annoitte {date} ({unit}). Pyysitte "
                     "vastausta, ja tässä se on.",
           "decision": "Päätös", "rationale": "Perustelut", "ref": "Päätöksen viite",
           "meaning": "Mitä tämä tarkoittaa teille", "no_decision": "Palautteenne ei "
           "vaatinut päätöstä",
           "footer": "Tähän viestiin ei voi vastata. Jos haluatte kysyä lisää, ottakaa "
                     "yhteyttä yksikköön {unit}.",
           "regards": "Ystävällisin terveisin"},
    "sv": {"subject": "Svar på er respons – {unit}", "hello": "Hej,",
           "thanks": "tack för er respons den {date} ({unit}). Ni bad om svar, och här är "
                     "det.",
           "decision": "Beslut", "rationale": "Motivering", "ref": "Beslutets referens",
           "meaning": "Vad det betyder för er", "no_decision": "Er respons krävde inget "
           "beslut",
           "footer": "Det går inte att svara på det här meddelandet. Om ni vill veta mer, "
                     "kontakta {unit}.",
           "regards": "Med vänliga hälsningar"},
    "en": {"subject": "The answer to your feedback – {unit}", "hello": "Hello,",
           "thanks": "thank you for your feedback of {date} ({unit}). You asked for an "
                     "answer, and here it is.",
           "decision": "Decision", "rationale": "Reasons", "ref": "Decision reference",
           "meaning": "What it means for you", "no_decision": "Your feedback needed no "
           "decision",
           "footer": "This message cannot be replied to. To ask more, please contact "
                     "{unit}.",
           "regards": "Kind regards"},
}


def _date(d: date, language: str) -> str:
    return d.isoformat() if language == "en" else f"{d.day}.{d.month}.{d.year}"


def render(due: DueReturn, unit_name: str, county_name: str, language: str) -> Answer:
    """The answer's subject, text and HTML in `language` (fi, sv, en): the decision in words,
    its reasons and reference, and what it means for the client. No personal data: the client's
    own words are not repeated."""
    w = _WORDS[language]
    lines = [w["hello"], "",
             w["thanks"].format(date=_date(finnish_date(due.received_at), language),
                                unit=unit_name), ""]
    if due.outcome is not None:
        lines += [f"{w['decision']}: {OUTCOMES[due.outcome][language]}."]
        if due.rationale:  # as written, marked when not in the client's language
            written_in = rationale_language(due.rationale)
            lines += [f"{w['rationale']}: {with_mark(due.rationale, written_in, language)}"]
        if due.decision_ref:
            lines += [f"{w['ref']}: {due.decision_ref}"]
        lines += ["", f"{w['meaning']}: {_MEANING[due.outcome][language]}"]
    else:
        lines += [f"{w['no_decision']}: {due.no_decision_reason or ''}".rstrip(": ")]
    lines += ["", w["footer"].format(unit=unit_name), "", w["regards"],
              f"{unit_name}, {county_name}"]
    text = "\n".join(lines) + "\n"
    body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>"
                   for p in text.strip().split("\n\n"))
    page = (f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
            f"<title>{html.escape(w['subject'].format(unit=unit_name))}</title></head>"
            f"<body>{body}</body></html>")
    return Answer(language, w["subject"].format(unit=unit_name), text, page)


def delivery_round(ctx: NotifierContext) -> RoundReport:
    """The round of ROUNDS (kokemusvirta/notify/__init__.py); its I/O is in delivering.py."""
    from kokemusvirta.notify.delivering import run_delivery

    return run_delivery(ctx)

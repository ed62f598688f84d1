"""Client feedback (feedback.submitted): who gives it, where, how, and the text they write."""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

from scenario.choices import choice
from scenario.identifiers import (
    email_address,
    finnish_iban,
    henkilotunnus,
    phone_number,
)
from scenario.mix import (
    CHANNELS,
    CLOSE_ONE_SHARE,
    COMPLAINT_SEVERITY,
    E_HOURS,
    LANGUAGES,
    MIXED_SEVERITY,
    OFFICE_HOURS,
    RATINGS,
    REPLY_SHARE,
    STANCES,
    THEMES,
    UNITS,
)
from scenario.records import (
    Intended,
    PersonalDatum,
    ScenarioRecord,
    dumps,
    new_event_id,
)
from scenario.text_cores import CORES, Core, intended_by
from scenario.texts.fragments import (
    CLOSERS,
    DETAILS,
    MIXED_CONNECTORS,
    OPENERS,
    ORAL_PREFIXES,
    PII_SENTENCES,
    REPLY_ASKS,
)
from scenario.texts.people import FIRST_NAMES, LAST_NAMES
from scenario.times import event_times
from scenario.wording import Slots, fill, lower_first, roughen


def _pools(table: dict[str, dict[str, tuple[str, ...]]]) -> dict[tuple[str, str], tuple[str, ...]]:
    out = {}
    for lang, by_tone in table.items():
        for tone in ("pos", "neg", "sug", "q", "mixed"):
            out[lang, tone] = by_tone.get("any", ()) + by_tone.get(tone, ())
    return out


_OPENER_POOLS = _pools(OPENERS)
_DETAIL_POOLS = _pools(DETAILS)
_CLOSER_POOLS = _pools(CLOSERS)
_TONE = {
    "praise": "pos",
    "complaint": "neg",
    "suggestion": "sug",
    "question": "q",
    "mixed": "mixed",
}


class FeedbackWriter:
    """Writes feedback events, drawing every choice from the scenario's one random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def record(self, day: date, v1: bool = False) -> tuple[datetime, ScenarioRecord]:
        payload, personal, intended, recorded = self.payload(day, v1)
        record = ScenarioRecord(
            dumps(payload),
            payload["event_id"].encode(),
            None,
            "feedback.submitted",
            tuple(personal),
            intended,
        )
        return recorded, record

    def payload(
        self,
        day: date,
        v1: bool = False,
        lang_override: str | None = None,
    ) -> tuple[dict[str, Any], list[PersonalDatum], Intended, datetime]:
        rng = self.rng
        event_id = new_event_id(rng)
        county, area, unit = UNITS.pick(rng)
        channel = CHANNELS.get(area.code, CHANNELS[None]).pick(rng)
        if channel == "electronic":
            occurred, recorded = event_times(rng, day, E_HOURS, (1, 120), as_utc=True)
        else:
            delay = (120, 3 * 3600) if channel == "oral" else (1200, 8 * 3600)
            occurred, recorded = event_times(rng, day, OFFICE_HOURS, delay, as_utc=False)
        language = lang_override or LANGUAGES[unit.languages].pick(rng)
        text_lang = language or (
            "sv"
            if unit.languages == "sv" or (unit.languages == "bilingual" and rng.random() < 0.3)
            else "fi"
        )
        role = "close_one" if rng.random() < CLOSE_ONE_SHARE[area.code] else "client"
        text, personal, intended, reply, contact = self._text(
            text_lang, county.code, area.code, role, channel
        )
        ratings = RATINGS[intended.stance] if intended.severity != "critical" else (1,)
        no_rating = {"oral": 0.5, "written": 0.2, "electronic": 0.1}[channel]
        if intended.stance == "question":
            no_rating = 0.6
        rating = None if rng.random() < no_rating else choice(rng, ratings)

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

    def _core(self, lang: str, theme: str, key: str, area: str, role: str) -> Core:
        return choice(self.rng, CORES[lang, theme, key, area, role])

    def _text(
        self,
        lang: str,
        county: str,
        area: str,
        role: str,
        channel: str,
    ) -> tuple[str, list[PersonalDatum], Intended, bool, PersonalDatum | None]:
        rng = self.rng
        personal: list[PersonalDatum] = []
        slots = Slots(rng, lang, area, personal)
        stance = STANCES.pick(rng)
        if stance == "mixed":
            good = self._core(lang, THEMES.pick(rng), "praise", area, role)
            bad = self._core(lang, THEMES.pick(rng), MIXED_SEVERITY.pick(rng), area, role)
            connector, lower = choice(rng, MIXED_CONNECTORS[lang])
            bad_text = fill(rng, bad.text, slots)
            cores = [good, bad]
            sentences = [
                fill(rng, good.text, slots),
                connector + (lower_first(bad_text, lang) if lower else bad_text),
            ]
        else:
            key = stance if stance != "complaint" else COMPLAINT_SEVERITY.pick(rng)
            cores = [
                self._core(
                    lang, "safety" if key == "critical" else THEMES.pick(rng), key, area, role
                )
            ]
            if key != "critical" and rng.random() < 0.15:
                second = self._core(
                    lang,
                    THEMES.pick(rng),
                    key if key in RATINGS else choice(rng, ("low", "medium")),
                    area,
                    role,
                )
                if second.text != cores[0].text:
                    cores.append(second)
            sentences = [fill(rng, c.text, slots) for c in cores]
        intended = intended_by(cores)
        tone = _TONE[intended.stance]

        opener_pool = _OPENER_POOLS[lang, tone]
        if role == "close_one" and rng.random() < 0.5 and "close_one" in OPENERS[lang]:
            opener_pool = OPENERS[lang]["close_one"]
        detail_pool = _DETAIL_POOLS[lang, choice(rng, ("neg", "pos")) if tone == "mixed" else tone]
        if detail_pool and rng.random() < 0.3:
            sentences.append(fill(rng, choice(rng, detail_pool), slots))
        body = " ".join(sentences)
        if channel == "oral" and rng.random() < 0.4:
            body = choice(rng, ORAL_PREFIXES[lang]) + body
        elif opener_pool and rng.random() < 0.55:
            opener = fill(rng, choice(rng, opener_pool), slots)
            # After a salutation ("Hei vaan,") the letter goes on on the next line or after it.
            if opener.endswith(","):
                joiner = "\n" if rng.random() < 0.5 else " "
                body = opener + joiner + (body if joiner == "\n" else lower_first(body, lang))
            else:
                body = opener + " " + body
        body = roughen(rng, body, lang, county, tone, has_names=bool(personal))

        tail = self._personal_sentences(lang, county, role, intended, slots, personal)
        reply = rng.random() < (
            0.4 if intended.severity == "critical" else REPLY_SHARE[intended.stance]
        )
        if reply and rng.random() < 0.7:
            tail.append(choice(rng, REPLY_ASKS[lang]))
        closers = _CLOSER_POOLS[lang, tone]
        if closers and rng.random() < 0.5:
            tail.append(choice(rng, closers))
        if rng.random() < 0.04 and "sign" in PII_SENTENCES[lang]:
            who = slots.name("first") + (f" {slots.name('last')}" if rng.random() < 0.5 else "")
            tail.append(choice(rng, PII_SENTENCES[lang]["sign"]).format(v=who))
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

    def _personal_sentences(
        self,
        lang: str,
        county: str,
        role: str,
        intended: Intended,
        slots: Slots,
        personal: list[PersonalDatum],
    ) -> list[str]:
        rng, table = self.rng, PII_SENTENCES[lang]
        complaint = intended.stance in ("complaint", "mixed")
        out = []

        def add(kind: str, value: str, variant: str | None = None) -> None:
            personal.append(PersonalDatum(kind, value))
            sentence = choice(rng, table[variant or kind])
            out.append(sentence.format(v=value, Rel=slots["Rel"] if "{Rel}" in sentence else ""))

        if "hetu" in table and rng.random() < (0.02 if complaint else 0.008):
            about_relative = role == "close_one" and rng.random() < 0.5
            add("hetu", henkilotunnus(rng), "hetu_close_one" if about_relative else None)
        if rng.random() < 0.025:
            add("phone", phone_number(rng, county))
        if "email" in table and rng.random() < 0.015:
            first, last = (
                choice(rng, FIRST_NAMES["sv" if lang == "sv" else "fi"]),
                choice(rng, LAST_NAMES["fi"]),
            )
            add("email", email_address(rng, first, last))
        if "iban" in table and rng.random() < (
            0.2 if complaint and "fees" in intended.themes else 0.003
        ):
            add("iban", finnish_iban(rng))
        return out

"""The feedback form's decisions, free of I/O: what the posted fields mean, what is wrong with
them (each problem by field, in the client's language), the FeedbackSubmitted payload they
become, and what the client is told will happen and by when (docs/design.md §2.7).

The web layer (form.py) reads the request and renders; everything it decides is here, so a
unit test can hold every rule. The clock and the random token are passed in or made by the
caller.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from kokemusvirta.intake.form_texts import FORM_LANGUAGES, MONTHS, PATHS, TEXTS, WEEKDAYS
from schemas.deadlines import CALENDAR_DAYS, WORKING_DAYS, Deadlines, due_date
from schemas.envelope import derived_uuid
from schemas.feedback import Channel, FeedbackSubmitted, RespondentRole
from schemas.knowledge import SourceFamily
from schemas.organisations import OrganisationRegistry, Unit
from streams.items import item_id_for

# The posted fields' names (Finnish, as the form's URL parameters are).
TEXT, RATING, ROLE, REPLY = "teksti", "arvio", "vastaaja", "vastaus"
EMAIL, ADDRESS, CHANNEL, TOKEN, KIOSK = "sahkoposti", "osoite", "kanava", "tunniste", "kioski"
STAFF = "henkilokunta"

MAX_TEXT = 10_000  # FeedbackSubmitted.text
MAX_CONTACT = 300  # FeedbackSubmitted.contact
MAX_EMAIL = 254  # RFC 5321's longest path
# A 10,000-character text of Finnish letters form-encoded is at most ~120 kB (%C3%A4 per ä),
# so this takes every valid form and refuses what no form posts.
FORM_BODY_LIMIT = 256 * 1024

ROLES: Mapping[str, RespondentRole] = {"asiakas": RespondentRole.CLIENT,
                                       "laheinen": RespondentRole.CLOSE_ONE}
NO_REPLY, BY_EMAIL, BY_POST = "ei", "sahkoposti", "posti"
REPLIES = (NO_REPLY, BY_EMAIL, BY_POST)
# ?kanava=suullinen|kirjallinen: staff record oral or written feedback through the same form.
CHANNELS: Mapping[str, Channel] = {"sahkoinen": Channel.ELECTRONIC, "suullinen": Channel.ORAL,
                                   "kirjallinen": Channel.WRITTEN}
CHANNEL_WORDS: Mapping[Channel, str] = {Channel.ELECTRONIC: "channel_electronic",
                                        Channel.ORAL: "channel_oral",
                                        Channel.WRITTEN: "channel_written"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: the text's key in form_texts and what fills it."""

    field: str
    key: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)

    def message(self, lang: str) -> str:
        return TEXTS[lang][self.key].format(**self.params)


@dataclass(frozen=True)
class FormValues:
    """What the client entered, as entered (kept for the page that shows the errors)."""

    text: str = ""
    rating: str = ""
    role: str = "asiakas"
    reply: str = NO_REPLY
    email: str = ""
    address: str = ""
    channel: str = "sahkoinen"
    token: str = ""
    kiosk: bool = False  # ?kioski=1: a shared device; the page after sending resets itself
    staff: bool = False  # ?henkilokunta=1: staff choose the channel (no login yet)


def new_token() -> str:
    """The hidden idempotency token of one empty form: a double click posts it twice, and
    the gateway publishes one item."""
    return secrets.token_urlsafe(18)


def channel_code(value: str | None) -> str:
    """The form's channel code of a `kanava` parameter; anything unknown is the web's own."""
    return value if value is not None and value in CHANNELS else "sahkoinen"


def read_form(pairs: Iterable[tuple[str, str]]) -> FormValues:
    """The posted fields (the last of a repeated name counts); line breaks made \\n so a
    length is counted as the client sees it."""
    got: dict[str, str] = {}
    for name, value in pairs:
        got[name] = value.replace("\r\n", "\n").replace("\r", "\n")
    return FormValues(
        text=got.get(TEXT, ""), rating=got.get(RATING, "").strip(),
        role=got.get(ROLE, "asiakas").strip(), reply=got.get(REPLY, NO_REPLY).strip(),
        email=got.get(EMAIL, "").strip(), address=got.get(ADDRESS, ""),
        channel=channel_code(got.get(CHANNEL)), token=got.get(TOKEN, ""),
        kiosk=got.get(KIOSK) == "1", staff=got.get(STAFF) == "1")


def validate(values: FormValues) -> list[FieldError]:
    """Every problem, in the form's order (the summary at the top lists them so)."""
    errors: list[FieldError] = []
    text = values.text.strip()
    if not text:
        errors.append(FieldError(TEXT, "error_text_missing"))
    elif len(text) > MAX_TEXT:
        errors.append(FieldError(TEXT, "error_text_too_long", {"length": f"{len(text):,}"}))
    if values.rating not in ("", "1", "2", "3", "4", "5"):
        errors.append(FieldError(RATING, "error_rating"))
    if values.role not in ROLES:
        errors.append(FieldError(ROLE, "error_role"))
    if values.reply not in REPLIES:
        errors.append(FieldError(REPLY, "error_reply"))
    elif values.reply == BY_EMAIL:
        if not values.email:
            errors.append(FieldError(EMAIL, "error_email_missing"))
        elif len(values.email) > MAX_EMAIL:
            errors.append(FieldError(EMAIL, "error_email_too_long"))
        elif not _EMAIL.fullmatch(values.email):
            errors.append(FieldError(EMAIL, "error_email_invalid"))
    elif values.reply == BY_POST:
        address = postal_address(values.address)
        if not address:
            errors.append(FieldError(ADDRESS, "error_address_missing"))
        elif len(address) > MAX_CONTACT:
            errors.append(FieldError(ADDRESS, "error_address_too_long"))
    return errors


def postal_address(entered: str) -> str:
    """The address's non-blank lines, trimmed, one per line (as a letter prints them)."""
    return "\n".join(line.strip() for line in entered.split("\n") if line.strip())


def event_id_for(unit: str, token: str) -> uuid.UUID:
    """The same form sent twice is the same event (and so the same item, whatever the
    gateway does); a form without a valid token gets an id of its own."""
    if _TOKEN.fullmatch(token):
        return derived_uuid("feedback-form", unit, token)
    return uuid.uuid4()


def feedback_payload(values: FormValues, unit: Unit, lang: str, now: datetime) -> dict[str, object]:
    """The FeedbackSubmitted JSON of a validated form, as the intake API takes it (without
    recorded_at: the gateway's receipt is that). The contact is raw here: the gateway seals it
    before anything reaches Kafka. A contact the client entered without asking for a reply is
    not sent at all."""
    contact = None
    if values.reply == BY_EMAIL:
        contact = values.email
    elif values.reply == BY_POST:
        contact = postal_address(values.address)
    event = FeedbackSubmitted(
        event_id=event_id_for(unit.code, values.token), occurred_at=now, recorded_at=now,
        county=unit.county, unit=unit.code, service_area=unit.service_area,
        channel=CHANNELS[values.channel], language=lang,  # type: ignore[arg-type]
        rating=int(values.rating) if values.rating else None, text=values.text.strip(),
        respondent_role=ROLES[values.role], reply_requested=contact is not None,
        contact=contact)
    payload = event.model_dump(mode="json", exclude_none=True)
    del payload["recorded_at"]
    return payload


def expected_item_id(payload: Mapping[str, object]) -> str:
    """The item id the worker derives from this payload's event id (streams/items.py)."""
    return item_id_for(SourceFamily.FEEDBACK, uuid.UUID(str(payload["event_id"])))


def reference(item_id: str) -> str:
    """What the client is shown: the item id's prefix and first 8 hex digits (fb-3f2a9c0e),
    enough to find the item and short enough to read out on the phone."""
    return item_id[:11]


@dataclass(frozen=True)
class NextSteps:
    acknowledge_by: date
    acknowledge_working_days: int
    reply_by: date | None  # when the client asked for a reply
    reply: str  # NO_REPLY, BY_EMAIL or BY_POST


def next_steps(received: date, reply: str, deadlines: Deadlines) -> NextSteps:
    """The deadlines that apply to this feedback, counted from the Finnish day it arrived."""
    acknowledge = due_date(received, deadlines.acknowledge_working_days, WORKING_DAYS)
    reply_by = None if reply == NO_REPLY else due_date(received, deadlines.reply_days,
                                                       CALENDAR_DAYS)
    return NextSteps(acknowledge, deadlines.acknowledge_working_days, reply_by, reply)


def next_step_lines(steps: NextSteps, lang: str) -> list[str]:
    """What the thank-you page says will happen, one sentence a step."""
    words = TEXTS[lang]
    lines = [words["next_acknowledge"].format(date=spoken_date(steps.acknowledge_by, lang),
                                              days=steps.acknowledge_working_days)]
    if steps.reply_by is None:
        lines.append(words["next_no_reply"])
    else:
        key = "next_reply_email" if steps.reply == BY_EMAIL else "next_reply_post"
        lines.append(words[key].format(date=spoken_date(steps.reply_by, lang)))
    return lines


def spoken_date(day: date, lang: str) -> str:
    """tiistaina 8.12.2026 / tisdag 8 december 2026 / Tuesday 8 December 2026."""
    weekday = WEEKDAYS[lang][day.weekday()]
    if lang == "fi":
        return f"{weekday} {day.day}.{day.month}.{day.year}"
    return f"{weekday} {day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def find_unit(registry: OrganisationRegistry, code: str) -> Unit | None:
    """The unit of this code: a unit code names one unit in the whole registry."""
    return next((u for u in registry.units if u.code == code), None)


def form_languages(unit: Unit) -> tuple[str, ...]:
    """The unit's service languages that have a form, in the registry's order (Finnish when
    it names none of them): a poster asks in these and its QR code opens the first."""
    have = tuple(lang for lang in unit.languages if lang in FORM_LANGUAGES)
    return have or ("fi",)


def form_path(lang: str, unit: str) -> str:
    """/palaute/<unit>, /respons/<unit> or /feedback/<unit>."""
    return f"/{PATHS[lang]}/{unit}"

"""What the intake API says about a bad request, in the client's language (fi, sv, en).

Pure: the contract's bounded parse (schemas/registry.py) names each field problem by its path and
pydantic's error type; here those become short phrases in Finnish, Swedish and English. A value
the client sent is never repeated (it may be a henkilötunnus typed in the wrong field).
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.dead_letter import RejectionReason

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"


def language_of(accept_language: str | None) -> str:
    """The best of fi, sv, en by the Accept-Language header's weights; Finnish when none fits.

    `sv-FI;q=0.9, en;q=0.8` → sv; `*` or `de` → fi. A malformed weight counts as 0."""
    best, best_q = DEFAULT_LANGUAGE, 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:  # equal weights: the first listed wins (the header's own order)
            best, best_q = primary, q
    return best


# pydantic's error types met in the source events' models, and the contract's own.
FIELD_PROBLEMS: dict[str, tuple[str, str, str]] = {
    "missing": ("puuttuu", "saknas", "missing"),
    "extra_forbidden": ("tuntematon kenttä", "okänt fält", "unknown field"),
    "string_type": ("pitää olla tekstiä", "ska vara text", "must be text"),
    "string_too_short": ("liian lyhyt tai tyhjä", "för kort eller tom", "too short or empty"),
    "string_too_long": ("liian pitkä", "för lång", "too long"),
    "string_pattern_mismatch": ("väärän muotoinen koodi", "felaktigt formad kod",
                                "not a valid code"),
    "int_type": ("pitää olla kokonaisluku", "ska vara ett heltal", "must be a whole number"),
    "int_parsing": ("pitää olla kokonaisluku", "ska vara ett heltal", "must be a whole number"),
    "int_from_float": ("pitää olla kokonaisluku", "ska vara ett heltal",
                       "must be a whole number"),
    "float_type": ("pitää olla luku", "ska vara ett tal", "must be a number"),
    "float_parsing": ("pitää olla luku", "ska vara ett tal", "must be a number"),
    "bool_type": ("pitää olla true tai false", "ska vara true eller false",
                  "must be true or false"),
    "bool_parsing": ("pitää olla true tai false", "ska vara true eller false",
                     "must be true or false"),
    "greater_than": ("liian pieni", "för litet", "too small"),
    "greater_than_equal": ("liian pieni", "för litet", "too small"),
    "less_than": ("liian suuri", "för stort", "too large"),
    "less_than_equal": ("liian suuri", "för stort", "too large"),
    "literal_error": ("ei sallittu arvo", "inte ett tillåtet värde", "not an allowed value"),
    "enum": ("ei sallittu arvo", "inte ett tillåtet värde", "not an allowed value"),
    "uuid_type": ("pitää olla UUID", "ska vara ett UUID", "must be a UUID"),
    "uuid_parsing": ("pitää olla UUID", "ska vara ett UUID", "must be a UUID"),
    "datetime_type": ("pitää olla aika (ISO 8601)", "ska vara en tid (ISO 8601)",
                      "must be a time (ISO 8601)"),
    "datetime_parsing": ("pitää olla aika (ISO 8601)", "ska vara en tid (ISO 8601)",
                         "must be a time (ISO 8601)"),
    "datetime_from_date_parsing": ("pitää olla aika (ISO 8601)", "ska vara en tid (ISO 8601)",
                                   "must be a time (ISO 8601)"),
    "timezone_aware": ("ajasta puuttuu aikavyöhyke", "tiden saknar tidszon",
                       "the time has no time zone"),
    "date_type": ("pitää olla päivämäärä (VVVV-KK-PP)", "ska vara ett datum (ÅÅÅÅ-MM-DD)",
                  "must be a date (YYYY-MM-DD)"),
    "date_parsing": ("pitää olla päivämäärä (VVVV-KK-PP)", "ska vara ett datum (ÅÅÅÅ-MM-DD)",
                     "must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": ("pitää olla päivämäärä (VVVV-KK-PP)",
                                   "ska vara ett datum (ÅÅÅÅ-MM-DD)",
                                   "must be a date (YYYY-MM-DD)"),
    "list_type": ("pitää olla lista", "ska vara en lista", "must be a list"),
    "too_short": ("liian vähän alkioita", "för få element", "too few entries"),
    "too_long": ("liian monta alkiota", "för många element", "too many entries"),
    "dict_type": ("pitää olla olio", "ska vara ett objekt", "must be an object"),
    "model_type": ("pitää olla olio", "ska vara ett objekt", "must be an object"),
    "model_attributes_type": ("pitää olla olio", "ska vara ett objekt", "must be an object"),
    "union_tag_invalid": ("tuntematon tapahtumatyyppi", "okänd händelsetyp",
                          "unknown event type"),
    "union_tag_not_found": ("tapahtumatyyppi puuttuu", "händelsetyp saknas",
                            "event type missing"),
    "value_error": ("virheellinen arvo", "ogiltigt värde", "invalid value"),
    "assertion_error": ("virheellinen arvo", "ogiltigt värde", "invalid value"),
    "duplicate_key": ("sama avain kahdesti", "samma nyckel två gånger", "key given twice"),
    "wrong_endpoint": ("väärä tapahtumatyyppi tälle osoitteelle",
                       "fel händelsetyp för den här adressen",
                       "wrong event type for this endpoint"),
}
UNKNOWN_PROBLEM = ("virheellinen arvo", "ogiltigt värde", "invalid value")

# The contract's reasons for a record that never reached field validation.
RECORD_PROBLEMS: dict[RejectionReason, tuple[str, str, str]] = {
    RejectionReason.NOT_JSON: ("ei kelvollista JSONia", "inte giltig JSON", "not valid JSON"),
    RejectionReason.NOT_AN_OBJECT: ("pitää olla JSON-olio tai lista olioita",
                                    "ska vara ett JSON-objekt eller en lista av objekt",
                                    "must be a JSON object or a list of objects"),
    RejectionReason.EMPTY_RECORD: ("tyhjä", "tom", "empty"),
    RejectionReason.TOO_LARGE: ("tapahtuma on liian suuri", "händelsen är för stor",
                                "the event is too large"),
    RejectionReason.TOO_DEEP: ("liian syvälle sisäkkäin", "för djupt nästlad",
                               "nested too deep"),
    RejectionReason.UNKNOWN_EVENT_TYPE: ("tuntematon tapahtumatyyppi", "okänd händelsetyp",
                                         "unknown event type"),
    RejectionReason.UNSUPPORTED_SCHEMA_VERSION: ("tuntematon schema_version",
                                                 "okänd schema_version",
                                                 "unknown schema_version"),
}


def phrase(problem: str, language: str) -> str:
    """A field problem (pydantic's error type or one of the contract's) in one language."""
    words = FIELD_PROBLEMS.get(problem, UNKNOWN_PROBLEM)
    return words[LANGUAGES.index(language) if language in LANGUAGES else 0]


def record_phrase(reason: RejectionReason, language: str) -> str:
    words = RECORD_PROBLEMS.get(reason, UNKNOWN_PROBLEM)
    return words[LANGUAGES.index(language) if language in LANGUAGES else 0]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request: where (a path such as `0.items.2.text`) and what (a
    machine-readable code, pydantic's error type or the contract's reason)."""

    path: str
    code: str
    reason: RejectionReason | None = None

    def message(self, language: str) -> str:
        if self.reason is not None and self.reason in RECORD_PROBLEMS:
            return record_phrase(self.reason, language)
        return phrase(self.code, language)

    def as_json(self, language: str) -> dict[str, str]:
        return {"path": self.path, "problem": self.code, "message": self.message(language)}


# One line per answer the API gives, in each language (the body's "error").
HEADLINES: dict[str, tuple[str, str, str]] = {
    "invalid": ("Pyynnössä on virheitä: {n} kpl. Korjaa ne ja lähetä uudelleen.",
                "Begäran innehåller fel: {n} st. Rätta dem och skicka igen.",
                "The request has {n} problem(s). Correct them and send it again."),
    "too_large": ("Pyyntö on liian suuri: enintään {limit} tavua.",
                  "Begäran är för stor: högst {limit} byte.",
                  "The request is too large: at most {limit} bytes."),
    "media_type": ("Lähetä JSON (Content-Type: application/json).",
                   "Skicka JSON (Content-Type: application/json).",
                   "Send JSON (Content-Type: application/json)."),
    "rate": ("Liian monta pyyntöä: yritä uudelleen {retry} sekunnin kuluttua.",
             "För många förfrågningar: försök igen om {retry} sekunder.",
             "Too many requests: try again in {retry} seconds."),
    "unavailable": ("Palautetta ei voitu ottaa vastaan juuri nyt: yritä uudelleen {retry} "
                    "sekunnin kuluttua.",
                    "Responsen kunde inte tas emot just nu: försök igen om {retry} sekunder.",
                    "The feedback could not be accepted just now: try again in {retry} seconds."),
    "key_reused": ("Idempotency-Key on jo käytetty toisenlaiseen pyyntöön: käytä uutta avainta.",
                   "Idempotency-Key har redan använts för en annan begäran: använd en ny nyckel.",
                   "This Idempotency-Key was already used for a different request: use a new "
                   "key."),
    "bad_key": ("Idempotency-Key: 1–200 näkyvää ASCII-merkkiä.",
                "Idempotency-Key: 1–200 synliga ASCII-tecken.",
                "Idempotency-Key: 1 to 200 visible ASCII characters."),
    "not_found": ("Osoitetta ei ole.", "Adressen finns inte.", "No such address."),
    "method": ("Menetelmä ei ole sallittu tässä osoitteessa.",
               "Metoden är inte tillåten på den här adressen.",
               "Method not allowed at this address."),
    "internal": ("Odottamaton virhe: palautetta ei otettu vastaan. Yritä uudelleen.",
                 "Oväntat fel: responsen togs inte emot. Försök igen.",
                 "Unexpected error: the feedback was not accepted. Try again."),
}


def headline(kind: str, language: str, **values: object) -> str:
    words = HEADLINES[kind]
    return words[LANGUAGES.index(language) if language in LANGUAGES else 0].format(**values)

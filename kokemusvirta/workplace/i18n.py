"""The workplace's languages: Finnish first, Swedish and English.

The language of a request: `?kieli=fi|sv|en` (which then sticks in the session), else the
session's, else Accept-Language, else Finnish. `t(key, lang)` looks a text up in TEXTS, where
every key has all three (a unit test checks it).

Colleagues' parts keep their texts in a table of their own beside their routes (e.g.
`kokemusvirta/workplace/inbox_texts.py`) and call `register_texts(table)` at import, so this
table stays the core's and the merge stays easy; `t` then finds theirs too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT = "fi"
LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}

TEXTS: dict[str, dict[str, str]] = {
    "app_name": {"fi": "Kokemusvirta – työpöytä", "sv": "Kokemusvirta – arbetsbord",
                 "en": "Kokemusvirta – workplace"},
    "skip_link": {"fi": "Siirry sisältöön", "sv": "Gå till innehållet",
                  "en": "Skip to content"},
    "languages_label": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "nav_label": {"fi": "Päävalikko", "sv": "Huvudmeny", "en": "Main menu"},
    "nav_home": {"fi": "Etusivu", "sv": "Startsida", "en": "Home"},
    "nav_inbox": {"fi": "Saapuneet", "sv": "Inkommet", "en": "Inbox"},
    "nav_queue": {"fi": "Jono", "sv": "Kö", "en": "Queue"},
    "nav_agenda": {"fi": "Esityslista", "sv": "Föredragningslista", "en": "Agenda"},
    "nav_log": {"fi": "Lokitapahtumat", "sv": "Logghändelser", "en": "Access log"},
    "nav_dashboards": {"fi": "Kojelauta", "sv": "Instrumentpanel", "en": "Dashboards"},
    "signed_in_as": {"fi": "Kirjautunut", "sv": "Inloggad", "en": "Signed in"},
    "role": {"fi": "Rooli", "sv": "Roll", "en": "Role"},
    "scope": {"fi": "Vastuualue", "sv": "Ansvarsområde", "en": "Scope"},
    "role_unit_manager": {"fi": "Yksikön esihenkilö", "sv": "Enhetens chef",
                          "en": "Unit manager"},
    "role_leadership": {"fi": "Palvelualuejohto", "sv": "Serviceområdets ledning",
                        "en": "Service-area leadership"},
    "role_secretary": {"fi": "Toimielimen sihteeri", "sv": "Organets sekreterare",
                       "en": "Secretary of a political body"},
    "role_auditor": {"fi": "Tarkastaja", "sv": "Granskare", "en": "Auditor"},
    "role_analyst": {"fi": "Analyytikko", "sv": "Analytiker", "en": "Analyst"},
    "all_counties": {"fi": "kaikki hyvinvointialueet", "sv": "alla välfärdsområden",
                     "en": "every county"},
    "sign_out": {"fi": "Kirjaudu ulos", "sv": "Logga ut", "en": "Sign out"},
    "login_title": {"fi": "Kirjaudu sisään", "sv": "Logga in", "en": "Sign in"},
    "login_intro": {"fi": "Työpöytä on hyvinvointialueen henkilöstölle.",
                    "sv": "Arbetsbordet är för välfärdsområdets personal.",
                    "en": "The workplace is for the county's staff."},
    "user_id": {"fi": "Käyttäjätunnus", "sv": "Användarnamn", "en": "User name"},
    "password": {"fi": "Salasana", "sv": "Lösenord", "en": "Password"},
    "continue": {"fi": "Jatka", "sv": "Fortsätt", "en": "Continue"},
    "sign_in": {"fi": "Kirjaudu", "sv": "Logga in", "en": "Sign in"},
    "oidc_link": {"fi": "Kirjaudu organisaation tunnuksilla",
                  "sv": "Logga in med organisationens konto",
                  "en": "Sign in with your organisation's account"},
    "or": {"fi": "tai", "sv": "eller", "en": "or"},
    "login_failed": {
        "fi": "Käyttäjätunnus tai salasana on väärin, tai tunnus on lukittu hetkeksi "
              "toistuvien virheiden takia. Yritä uudelleen.",
        "sv": "Fel användarnamn eller lösenord, eller så är kontot låst en stund efter "
              "upprepade fel. Försök igen.",
        "en": "The user name or password is wrong, or the account is locked for a while "
              "after repeated failures. Try again."},
    "missing_fields": {"fi": "Anna käyttäjätunnus ja salasana.",
                       "sv": "Ange användarnamn och lösenord.",
                       "en": "Give your user name and password."},
    "totp_title": {"fi": "Vahvista kirjautuminen", "sv": "Bekräfta inloggningen",
                   "en": "Confirm your sign-in"},
    "totp_label": {"fi": "Todennussovelluksen kuusinumeroinen koodi",
                   "sv": "Den sexsiffriga koden i autentiseringsappen",
                   "en": "The six-digit code of your authenticator app"},
    "totp_failed": {"fi": "Koodi ei kelpaa. Anna sovelluksen nyt näyttämä koodi.",
                    "sv": "Koden gäller inte. Ange koden som appen visar nu.",
                    "en": "The code is not valid. Give the code your app shows now."},
    "totp_expired": {"fi": "Kirjautuminen vanheni. Aloita alusta.",
                     "sv": "Inloggningen gick ut. Börja om.",
                     "en": "The sign-in expired. Start again."},
    "csrf_failed": {"fi": "Lomake vanheni. Lataa sivu uudelleen ja yritä uudelleen.",
                    "sv": "Formuläret gick ut. Ladda om sidan och försök igen.",
                    "en": "The form expired. Reload the page and try again."},
    "signed_out": {"fi": "Olet kirjautunut ulos.", "sv": "Du har loggat ut.",
                   "en": "You have signed out."},
    "session_expired": {"fi": "Istunto päättyi. Kirjaudu uudelleen.",
                        "sv": "Sessionen tog slut. Logga in igen.",
                        "en": "Your session ended. Sign in again."},
    "forbidden_title": {"fi": "Ei käyttöoikeutta", "sv": "Ingen behörighet",
                        "en": "Not allowed"},
    "forbidden_text": {"fi": "Roolisi tai alueesi ei oikeuta tähän sivuun.",
                       "sv": "Din roll eller ditt område ger inte tillgång till sidan.",
                       "en": "Your role or scope does not give access to this page."},
    "not_found_title": {"fi": "Sivua ei löydy", "sv": "Sidan hittades inte",
                        "en": "Page not found"},
    "not_found_text": {"fi": "Tarkista osoite.", "sv": "Kontrollera adressen.",
                       "en": "Check the address."},
    "coming_title": {"fi": "Tulossa", "sv": "Kommer snart", "en": "Coming"},
    "coming_text": {"fi": "Tämä näkymä on vielä rakenteilla.",
                    "sv": "Den här vyn byggs ännu.",
                    "en": "This view is still being built."},
    "back_home": {"fi": "Etusivulle", "sv": "Till startsidan", "en": "Home"},
    "error_title": {"fi": "Virhe", "sv": "Fel", "en": "Error"},
    "error_text": {"fi": "Jotain meni vikaan. Yritä hetken kuluttua uudelleen.",
                   "sv": "Något gick fel. Försök igen om en stund.",
                   "en": "Something went wrong. Try again in a moment."},
    "act_accepted": {"fi": "Pyyntö lähetetty", "sv": "Begäran skickad",
                     "en": "Request sent"},
    "act_refused": {"fi": "Et voi tehdä tätä", "sv": "Du kan inte göra detta",
                    "en": "You cannot do this"},
}

_REGISTERED: list[Mapping[str, Mapping[str, str]]] = []


def register_texts(table: Mapping[str, Mapping[str, str]]) -> None:
    """Add a part's own texts (each key with fi, sv and en); a key of the core's is not
    overridden."""
    _REGISTERED.append(table)


def t(key: str, lang: str) -> str:
    """The text `key` in `lang` (Finnish if the language is not one of ours); KeyError for an
    unknown key, so a typo fails a test rather than showing a blank."""
    lang = lang if lang in LANGUAGES else DEFAULT
    entry = TEXTS.get(key)
    if entry is None:
        for table in _REGISTERED:
            if key in table:
                entry = dict(table[key])
                break
    if entry is None:
        raise KeyError(key)
    return entry[lang]


def language_of_header(accept_language: str | None) -> str:
    """The first of our languages the browser asks for (q-values honoured), else Finnish."""
    if not accept_language:
        return DEFAULT
    ranked: list[tuple[float, int, str]] = []
    for n, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, n, tag.strip().lower().split("-")[0]))
    for negq, _n, tag in sorted(ranked):
        if negq < 0 and tag in LANGUAGES:
            return tag
    return DEFAULT


def language_of(query: Mapping[str, str], session: dict[str, Any],
                accept_language: str | None) -> str:
    """The request's language; `?kieli=` is remembered in the session."""
    asked = query.get("kieli")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    kept = session.get("lang")
    if kept in LANGUAGES:
        return str(kept)
    return language_of_header(accept_language)


class Texts:
    """`t.key` in templates: the key's text in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getattr__(self, key: str) -> str:
        try:
            return t(key, self.lang)
        except KeyError:
            raise AttributeError(key) from None

    def __call__(self, key: str) -> str:
        return t(key, self.lang)

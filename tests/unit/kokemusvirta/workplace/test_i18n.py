"""The workplace's languages: every text in fi, sv and en; the request's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kokemusvirta.workplace import i18n
from kokemusvirta.workplace.i18n import LANGUAGES, TEXTS, language_of, language_of_header, t

TEMPLATES = Path(i18n.__file__).resolve().parent / "templates"


def test_every_text_is_in_every_language_and_not_empty() -> None:
    for key, texts in TEXTS.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(v.strip() for v in texts.values()), key


def test_every_key_the_templates_use_exists() -> None:
    used: set[str] = set()
    for path in TEMPLATES.glob("*.html"):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\.([a-z_]+)", source))
        used |= set(re.findall(r"""\bt\(["']([a-z_]+)["']\)""", source))
    assert used and not used - set(TEXTS)


def test_every_roles_name_and_nav_entry_has_a_text() -> None:
    from kokemusvirta.workplace.app import NAV
    from kokemusvirta.workplace.users import StaffRole

    for role in StaffRole:
        assert t(f"role_{role.value}", "sv")
        for _path, key in NAV[role]:
            assert t(key, "en")


def test_an_unknown_key_fails_loudly_and_an_unknown_language_is_finnish() -> None:
    with pytest.raises(KeyError):
        t("no_such_text", "fi")
    assert t("sign_out", "de") == t("sign_out", "fi") == "Kirjaudu ulos"


def test_a_parts_own_texts_are_found() -> None:
    i18n.register_texts({"test_only_key": {"fi": "Hei", "sv": "Hej", "en": "Hi"}})
    assert t("test_only_key", "sv") == "Hej"


@pytest.mark.parametrize(("header", "lang"), [
    (None, "fi"), ("", "fi"), ("sv-FI,sv;q=0.9,en;q=0.8", "sv"), ("en-GB,en;q=0.9", "en"),
    ("de-DE,de;q=0.9", "fi"), ("de,en;q=0.5,sv;q=0.7", "sv"), ("sv;q=0,en", "en"),
    ("en;q=abc,sv", "sv"),
])
def test_the_language_of_accept_language(header: str | None, lang: str) -> None:
    assert language_of_header(header) == lang


def test_kieli_sticks_in_the_session_and_beats_the_browser() -> None:
    session: dict[str, object] = {}
    assert language_of({"kieli": "sv"}, session, "en") == "sv"
    assert language_of({}, session, "en") == "sv"
    assert language_of({"kieli": "xx"}, session, "en") == "sv"
    assert language_of({}, {}, "en") == "en"

"""The dashboards' words in three languages and their number formats."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dashboards.labels import LANGS, NBSP, NNBSP, Labels, UnknownLanguage, _data, check_lang
from kokemusvirta.organisations import demo_organisations
from schemas.lifecycle import Outcome
from schemas.organisations import parse_csv
from schemas.taxonomy import Severity, Theme
from schemas.vocabulary import THEMES, in_language

THEME_LABELS_FI, THEME_LABELS_SV = in_language(THEMES, "fi"), in_language(THEMES, "sv")


def test_every_text_exists_in_finnish_swedish_and_english() -> None:
    data = _data()
    for key, texts in data["ui"].items():
        assert set(texts) == set(LANGS), key  # a comma in an unquoted YAML value splits it
        assert all(isinstance(t, str) for t in texts.values()), key
    for name, texts in data["dimensions"].items():
        assert set(texts) == set(LANGS), name
    for slug, per_lang in data["pages"].items():
        assert set(per_lang) == set(LANGS), slug
        for lang, fields in per_lang.items():
            assert set(fields) == {"title", "lead"}, (slug, lang)
    for kind, codes in data["codes"].items():
        for code, texts in codes.items():
            assert set(texts) == set(LANGS), (kind, code)


def test_taxonomy_and_outcome_labels_are_the_projects_own() -> None:
    fi, sv, en = Labels("fi"), Labels("sv"), Labels("en")
    for theme in Theme:
        assert fi.code("theme", theme.value) == THEME_LABELS_FI[theme]
        assert sv.code("theme", theme.value) == THEME_LABELS_SV[theme]
        assert en.code("theme", theme.value) not in (theme.value, THEME_LABELS_FI[theme])
    for severity in Severity:
        assert {fi.code("severity", severity.value), sv.code("severity", severity.value)} \
            .isdisjoint({None})
    assert fi.code("outcome", Outcome.ADOPTED.value) == "Toteutamme"
    assert en.code("outcome", Outcome.ADOPTED.value) == "We will do it"


def test_unknown_codes_are_shown_as_they_are_and_names_come_from_the_organisation() -> None:
    fi, sv = Labels("fi", demo_organisations()), Labels("sv", demo_organisations())
    assert fi.code("theme", "brand_new_theme") == "brand_new_theme"
    assert fi.org("lappi") == "Lapin hyvinvointialue"
    assert sv.org("lappi") == "Lapplands välfärdsområde"
    assert fi.org("ylojarven-kotihoito") == "Ylöjärven kotihoito"
    assert fi.org("uusi-yksikko") == "Uusi yksikko"


def test_the_names_are_the_deployments_registrys_not_the_demos() -> None:
    """The face hands the deployment's registry in: its names, in each language, are the ones
    shown; without one, a code is only made readable."""
    registry = parse_csv(
        "kind,code,county,service_area,fi,sv,en\n"
        "county,lappi,,,Lapin HVA,Lapplands VO,Lapland WSC\n"
        "service_area,perusterveydenhuolto,lappi,,Perusterveydenhuolto,Primärvård,\n"
        "unit,sallan-terveysasema,lappi,perusterveydenhuolto,Sallan terveysasema,"
        "Salla hälsostation,\n")
    assert Labels("fi", registry).org("lappi") == "Lapin HVA"
    assert Labels("sv", registry).org("lappi") == "Lapplands VO"
    assert Labels("en", registry).org("lappi") == "Lapland WSC"
    assert Labels("sv", registry).org("sallan-terveysasema") == "Salla hälsostation"
    assert Labels("en", registry).org("sallan-terveysasema") == "Sallan terveysasema"
    assert Labels("fi", registry).org("vaasan-neuvola") == "Vaasan neuvola"  # made readable
    assert Labels("fi").org("lappi") == "Lappi"


@pytest.mark.parametrize(("lang", "number", "share", "decimal"), [
    ("fi", f"12{NNBSP}345", f"42{NBSP}%", "3,5"),
    ("sv", f"12{NNBSP}345", f"42{NBSP}%", "3,5"),
    ("en", "12,345", "42%", "3.5"),
])
def test_numbers_are_written_the_way_each_language_writes_them(
        lang: str, number: str, share: str, decimal: str) -> None:
    labels = Labels(lang)
    assert labels.number(12345) == number
    assert labels.share(0.4151) == share
    assert labels.number(3.456, digits=1) == decimal


def test_suppressed_figures_say_fewer_than_five_and_missing_ones_a_dash() -> None:
    assert Labels("fi").number(None, suppressed=True) == "alle 5"
    assert Labels("sv").share(None, suppressed=True) == "färre än 5"
    assert Labels("en").number(None, suppressed=True) == "fewer than 5"
    assert Labels("fi").number(None) == "–"


def test_months_and_moments_in_finnish_time() -> None:
    assert Labels("fi").month("2026-09") == "syyskuu 2026"
    assert Labels("sv").month(date(2026, 10, 1)) == "oktober 2026"
    assert Labels("en").month_short("2026-09") == "9/2026"
    moment = datetime(2026, 11, 23, 4, 41, tzinfo=UTC)
    assert Labels("fi").moment(moment) == "23.11.2026 klo 6.41"
    assert Labels("sv").moment(moment) == "23.11.2026 kl. 6.41"


def test_a_language_must_be_one_of_the_three() -> None:
    assert check_lang(None) == "fi"
    assert check_lang("sv") == "sv"
    with pytest.raises(UnknownLanguage):
        check_lang("de")

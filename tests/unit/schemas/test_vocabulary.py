"""The contract's codes in words: every code has them in Finnish, Swedish and English, in one
place (schemas/vocabulary.py), and the dashboards, the digest and the inbox say the same."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml

from dashboards.labels import LABELS_FILE, Labels
from kokemusvirta.organisations import demo_organisations
from managers import digest as dg
from managers.requests import STEP_FI
from scenario.organisation import ORGANISATION
from schemas.lifecycle import Outcome
from schemas.taxonomy import Severity, Stance, Theme
from schemas.vocabulary import (
    LANGUAGES,
    MILESTONES,
    OUTCOMES,
    SEVERITIES,
    STANCES,
    STEPS,
    THEMES,
    VOCABULARIES,
    Vocabulary,
    in_language,
)
from streams.lifecycle import STAGE_LABELS_FI, Stage

ENUMS: list[tuple[str, Vocabulary, list[str]]] = [
    ("theme", THEMES, list(Theme)),
    ("stance", STANCES, list(Stance)),
    ("severity", SEVERITIES, list(Severity)),
    ("outcome", OUTCOMES, list(Outcome)),
]


@pytest.mark.parametrize(("kind", "vocabulary", "codes"), ENUMS, ids=[e[0] for e in ENUMS])
def test_every_code_has_words_in_finnish_swedish_and_english(
        kind: str, vocabulary: Vocabulary, codes: list[str]) -> None:
    assert set(vocabulary) == set(codes), kind
    for code in codes:
        assert set(vocabulary[code]) == set(LANGUAGES), (kind, code)
        assert all(text.strip() for text in vocabulary[code].values()), (kind, code)


def test_every_lifecycle_stage_and_step_has_words_in_every_language() -> None:
    assert set(STAGE_LABELS_FI) == set(Stage)
    for stage, label in STAGE_LABELS_FI.items():
        assert label and label in in_language(STEPS, "fi").values(), stage
    for vocabulary in (STEPS, MILESTONES):
        for code, words in vocabulary.items():
            assert set(words) == set(LANGUAGES) and all(t.strip() for t in words.values()), code
    # A manager types the step's code; the inbox shows it after the Finnish word.
    assert STEP_FI["acknowledged_by_leadership"] == "kuitattu johdossa (acknowledged by leadership)"
    assert set(STEP_FI) == set(STEPS)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_dashboards_words_for_codes_are_the_vocabularys(lang: str) -> None:
    labels = Labels(lang)
    for kind, vocabulary in VOCABULARIES.items():
        for code, words in vocabulary.items():
            assert labels.code(kind, str(code)) == words[lang], (kind, code)


def test_labels_yaml_keeps_no_copy_of_the_vocabulary() -> None:
    codes = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))["codes"]
    assert not set(codes) & set(VOCABULARIES)


def test_the_digest_uses_the_vocabularys_words() -> None:
    item = dg.DecidedItem("fb-0123456789abcdef", (Theme.FEES,), Outcome.PARTLY, "Maksut alas.",
                          datetime(2026, 10, 5, 9, tzinfo=UTC))
    text = dg.render("vaasan-neuvola", "2026-10", [item], swedish=True)
    for lang in ("fi", "sv"):
        assert f"{THEMES[Theme.FEES][lang]} (1)" in text
        assert f"- {OUTCOMES[Outcome.PARTLY][lang]}: Maksut alas." in text


def test_the_registry_names_every_county_area_and_unit_of_the_demo_organisation() -> None:
    registry = demo_organisations()
    assert [c.code for c in ORGANISATION.counties] == [c.code for c in registry.counties]
    for county, area, unit in ORGANISATION.units():
        assert (county.name_fi, county.name_sv) == _names(registry.county(county.code))
        assert (area.name_fi, area.name_sv) == _names(registry.service_area(county.code,
                                                                            area.code))
        assert (unit.name_fi, unit.name_sv) == _names(registry.unit(county.code, unit.code))
        assert registry.unit(county.code, unit.code).service_area == area.code  # type: ignore[union-attr]
    units = [u.code for u in registry.units]
    assert len(units) == len(set(units)) == len(list(ORGANISATION.units())) == 38
    codes = {c.code for c in registry.counties} | {a.code for a in registry.service_areas}
    codes |= set(units)
    assert len(codes) == 3 + 5 + 38  # no code clashes
    assert Labels("sv", registry).org("vaasan-neuvola") == "Rådgivningen i Vasa"
    assert Labels("en", registry).org("lappi") == "Lapin hyvinvointialue"


def _names(thing: object) -> tuple[str, str]:
    names = thing.names  # type: ignore[attr-defined]
    return names.fi, names.sv

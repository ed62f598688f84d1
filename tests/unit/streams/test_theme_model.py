"""The theme model beside the rules (issue 14 item 4): trained reproducibly, run only when it
helps, and every theme it adds or vetoes is explained with its version. Texts written here."""

from __future__ import annotations

from typing import Any

import pytest

import streams.classification as classification
from schemas.taxonomy import Theme
from streams.classification.matching import tokenize
from streams.classification.model import THEMES, ThemeModel, active, model_version
from streams.classification.morphology import snowball_morphology
from streams.classification.training import Example, features_of, train

TEXTS = [("Jonotin puhelimessa tunnin.", {Theme.ACCESS}),
         ("Jono oli pitkä ja odotin kauan.", {Theme.ACCESS}),
         ("Lasku oli liian suuri.", {Theme.FEES}),
         ("Maksu nousi taas.", {Theme.FEES}),
         ("Hoitaja oli tyly.", {Theme.RESPECT}),
         ("Lääkäri oli ystävällinen.", {Theme.RESPECT})] * 3


def examples() -> list[Example]:
    m = snowball_morphology()
    return [Example(features_of(tokenize(t).words, lambda w: m.keys("fi", w)),
                    frozenset(th), frozenset()) for t, th in TEXTS]


def test_training_is_reproducible_and_the_version_is_a_hash_of_the_weights() -> None:
    a, figures = train(examples(), folds=3)
    b, _ = train(examples(), folds=3)
    assert a == b and a["version"] == model_version(a)
    assert set(figures) == {"cv_rules_macro_f1", "cv_combined_macro_f1", "keep", "add"}
    # rules that give nothing: the model is what helps, so it is switched on
    assert active(a) and figures["cv_combined_macro_f1"] > figures["cv_rules_macro_f1"]


def test_an_inactive_model_is_not_run() -> None:
    assert not active({"add": 1.01, "keep": 0.0})
    assert active({"add": 0.6, "keep": 0.0}) and active({"add": 1.01, "keep": 0.1})


def _model(**weights: list[float]) -> ThemeModel:
    doc: dict[str, Any] = {"bias": [-3.0] * len(THEMES), "weights": weights, "keep": 0.1,
                           "add": 0.6}
    doc["version"] = model_version(doc)
    return ThemeModel(doc)


def test_the_model_adds_and_vetoes_themes_with_an_explanation(
        monkeypatch: pytest.MonkeyPatch) -> None:
    push = [0.0] * len(THEMES)
    push[THEMES.index(Theme.QUALITY)] = 6.0
    model = _model(**{"k:sinnikäs": push})
    monkeypatch.setattr(classification, "packaged_model", lambda: model)
    c = classification.classify("Sinnikäs lääkäri.", "fi")
    assert Theme.QUALITY in c.themes
    assert c.explanation is not None
    ids = dict(c.explanation.themes)[Theme.QUALITY]
    assert any(i.startswith(f"theme.quality.model:{model.version}:p=") and "sinnikäs" in i
               for i in ids), ids
    assert model.version in c.classifier_version
    # a rule's theme the model is sure is wrong is vetoed, and the veto is in the rules
    c = classification.classify("Lasku oli liian suuri.", "fi")
    assert Theme.FEES not in c.themes
    assert any(r.startswith("theme.vetoed.fees.model:") for r in c.rules), c.rules
    # safety is never vetoed: severity rules and frames give it
    c = classification.classify("Hoitaja löi äitiä.", "fi")
    assert Theme.SAFETY in c.themes and c.severity == "critical"

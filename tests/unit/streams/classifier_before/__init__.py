"""The rule classifier as it was before it was made faster (commit 3544bc6, issue 13), kept to
compare with: matching.py, decide.py and language.py are that commit's files unchanged except for
their imports of each other, and `classified` is that commit's `_classified` without its cache.
The rule files, morphology, frames, the theme model and the result types are the current ones
(unchanged by that work). Used only by test_classification_differential.py.
"""

from __future__ import annotations

from schemas.taxonomy import Stance, Theme
from streams.classification import (
    CLASSIFIER_VERSION,
    Classification,
    Explanation,
    _with_model,
    keys_language,
)
from streams.classification.language import SUPPORTED
from streams.classification.model import packaged_model
from streams.classification.morphology import Morphology
from streams.classification.ruleset import load
from tests.unit.streams.classifier_before import decide
from tests.unit.streams.classifier_before import language as languages
from tests.unit.streams.classifier_before.matching import Index, tokenize

_THEMES = tuple(Theme)
_INDEXES: dict[tuple[str, str], Index] = {}


def index(lang: str, morphology: Morphology) -> Index:
    key = (lang, morphology.name)
    if key not in _INDEXES:
        _INDEXES[key] = Index(load(lang), morphology)
    return _INDEXES[key]


def classified(text: str, language: str | None, morphology: Morphology,
               unit_languages: tuple[str, ...], source: str | None,
               use_model: bool) -> Classification:
    t = tokenize(text)
    # Without "n't" (which the tokenizer splits into "not") its words are detection's words too.
    low = text.lower()
    same = "n't" not in low and "n\u2019t" not in low
    choice = languages.choose(text, language, unit_languages, morphology.finnish_word,
                              t.words if same else None)
    langs, how, reported, ids = list(choice.rules), choice.how, choice.reported, list(choice.ids)
    ev = decide.Evidence(ids)
    for lang in langs:
        decide.apply(index(lang, morphology), t, ev)
    if t.questions - ev.replies - ev.rhetorical:
        ev.stance("question", 2, langs[0] if len(langs) < len(SUPPORTED) else "any", "?")
    stance = decide.stance(ev, source)
    no_evidence = stance is None
    if stance is None:  # no evidence at all: the commonest stance, at low severity
        stance = Stance.COMPLAINT
        ids.append("stance.default:complaint")
    severity = decide.severity(stance, ev, no_evidence)
    model = packaged_model() if use_model else None
    if model is not None and t.words:
        _with_model(model, ev, t.words, keys_language(reported), morphology)  # type: ignore[arg-type]
    themes = tuple(th for th in _THEMES if th in ev.themes)
    kinds = {Stance.MIXED: ("praise", "complaint")}.get(stance, (str(stance),))
    explanation = Explanation(
        language=how, analyser=morphology.name,
        themes=tuple((th, tuple(dict.fromkeys(ev.themes[th]))) for th in themes),
        stance=tuple(dict.fromkeys(
            [i for k in kinds for i in ev.stance_ids.get(k, ())] + (
                ["stance.default:complaint"] if no_evidence else []))),
        severity=tuple(dict.fromkeys(ev.severity_ids)),
        triggers=tuple(ev.triggers.items()))
    return Classification(themes=themes, stance=stance, severity=severity,
                          rules=tuple(dict.fromkeys(ids)),
                          classifier_version="+".join(
                              [CLASSIFIER_VERSION] + ([model.version] if model else [])
                              + [morphology.name]),
                          language=reported, explanation=explanation,
                          critical_suspected=ev.suspected)

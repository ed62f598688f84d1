"""The faster classifier (issue 13) gives what the classifier before it gave, to the last rule id.

The code before is kept in tests/unit/streams/classifier_before/ (commit 3544bc6). Both read the
same texts: every text of the repository's data (the scenario's generated intake and its sentence
cores and fragments, the labelled sets under tests/data, the theme model's training texts, the
texts written into the classifier's own tests) and seeded random soups of their words, the rules'
own stems, negators, intensifiers, question words, Sámi letters and punctuation. Compared: the
tokens, the detected language, every rule that fires in every language with its position and
trigger words, and the whole classification with its explanation, for both analysers and for
declared, missing, mislabelled and unsupported languages, unit languages and sources.
"""

from __future__ import annotations

import ast
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

import streams.classification as classification
from scenario import generate
from streams.classification import language, matching
from streams.classification.language import RULE_LANGUAGES
from streams.classification.morphology import Morphology, default_morphology, snowball_morphology
from streams.classification.ruleset import load
from tests.unit.streams import classifier_before as before

ROOT = Path(__file__).resolve().parents[3]
TEST_MODULES = ("test_classification.py", "test_classification_caches.py",
                "test_classification_language.py", "test_classification_stance_context.py",
                "test_critical_frames.py", "test_theme_rules.py", "test_evaluation.py")


def _strings(path: Path) -> Iterator[str]:
    """Every string literal of a Python file with at least two words."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and len(node.value.split()) >= 2:
            yield node.value


def _intake_text(raw: bytes) -> str:
    try:
        record = json.loads(raw)
    except ValueError:  # the scenario's malformed records
        return ""
    text = record.get("text") if isinstance(record, dict) else None
    return text if isinstance(text, str) else ""


def _repository_texts() -> list[str]:
    texts = [_intake_text(r.value) for r in generate(7, events=1_500)]
    for path in sorted((ROOT / "scenario" / "texts").glob("*.py")):
        texts += _strings(path)
    for path in [*sorted((ROOT / "tests" / "data").glob("*.jsonl")),
                 ROOT / "streams" / "classification" / "data" / "train.jsonl"]:
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()
                  if line.strip()]
    for name in TEST_MODULES:
        texts += _strings(ROOT / "tests" / "unit" / "streams" / name)
    return list(dict.fromkeys(texts))


def _soups(texts: list[str], n: int) -> list[str]:
    """Random word soups: the texts' words, the rules' stems and function words, marks."""
    words = {w for t in texts for w in t.split()}
    for code in RULE_LANGUAGES:
        rules = load(code)
        words |= rules.negators | rules.intensifiers | rules.contrast | rules.wh_words \
            | rules.yes_no_words | rules.stopwords
        words |= {stem.strip("*$=") for stem in before.index(code, snowball_morphology())._prefix}
    words |= {"giitu", "buorre", "lea", "áčđŋšŧž", "don't", "isn\u2019t", "ÄITI", "Å"}
    vocabulary = sorted(w for w in words if w)
    rng = random.Random(13)
    marks = ["", "", "", "", ".", ",", "?", "!", ";", ":", " -", "'"]
    return [" ".join(rng.choice(vocabulary) + rng.choice(marks)
                     for _ in range(rng.randint(0, 40))) for _ in range(n)]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = _repository_texts()
    assert len(found) > 2_500  # the repository's data was found
    return found + _soups(found, 1_500)


ANALYSERS = [pytest.param(default_morphology, id="default"),
             pytest.param(snowball_morphology, id="snowball")]


def test_tokens_and_detected_languages_are_the_same(texts: list[str]) -> None:
    finnish_word = default_morphology().finnish_word
    for text in texts:
        tokens = matching.tokenize(text)
        assert tokens == before.matching.tokenize(text), text
        for known in (None, finnish_word):
            assert language.detect_language(text, known) == \
                before.language.detect_language(text, known), text
            assert language.detect_language(text, known, tokens.words) == \
                before.language.detect_language(text, known, tokens.words), text


@pytest.mark.parametrize("analyser", ANALYSERS)
def test_every_language_fires_the_same_rules(texts: list[str], analyser: type) -> None:
    morphology: Morphology = analyser()
    for code in RULE_LANGUAGES:
        new, old = matching.Index(load(code), morphology), before.index(code, morphology)
        for text in texts:
            fired = new.fired(matching.tokenize(text))
            assert [tuple(f) for f in fired] == \
                [tuple(f) for f in old.fired(before.matching.tokenize(text))], (code, text)


@pytest.mark.parametrize("analyser", ANALYSERS)
def test_classifications_and_explanations_are_the_same(texts: list[str], analyser: type) -> None:
    morphology: Morphology = analyser()
    rng = random.Random(17)
    contexts = [(None, (), None), ("fi", (), "feedback"), ("sv", ("fi",), None),
                ("en", (), "workshop_output"), ("se", (), None), ("de", (), None),
                (None, ("sv", "fi"), "expert_statement"), (None, ("se",), None)]
    for text in texts:
        for declared, units, source in rng.sample(contexts, 1):
            new = classification._classified.__wrapped__(
                text, declared, morphology, units, source, True)
            old = before.classified(text, declared, morphology, units, source, True)
            assert new == old, (text, declared, units, source)
            assert new.explanation is not None and old.explanation is not None
            assert new.explanation.as_dict(new) == old.explanation.as_dict(old)

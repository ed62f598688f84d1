"""The classifier's caches (issue 13: classification is the largest share of the worker's pure
logic): they save work without changing any output and stay bounded. Texts written for these
tests."""

from __future__ import annotations

import pytest

import streams.classification as classification
from streams.classification import classify, language, matching
from streams.classification.matching import Index, tokenize
from streams.classification.morphology import snowball_morphology
from streams.classification.ruleset import load

TEXTS = [
    "Hoitaja ei tullut koko yönä, vaikka painoin hälytysnappia. Äiti kaatui ja makasi lattialla.",
    "Kiitos ystävällisestä palvelusta, lääkäri kuunteli ja selitti kaiken.",
    "Jonotin puhelimessa tunnin eikä kukaan vastannut.",
    "Väntetiden var lång men personalen var vänlig.",
    "The nurse didn't listen and the wait was far too long.",
]


def test_the_same_text_in_the_same_context_is_classified_once() -> None:
    text = "Jonotin puhelimessa tunnin eikä kukaan vastannut."
    first = classify(text, "fi", source="feedback")
    assert classify(text, "fi", source="feedback") is first
    # another context is another question: the workshop source makes it a suggestion
    other = classify(text, "fi", source="workshop_output")
    assert other is not first and other.stance != first.stance


def test_the_text_cache_is_bounded() -> None:
    info = classification._classified.cache_info()
    assert info.maxsize == classification._TEXTS_CACHED <= 10_000


def test_results_are_the_same_with_and_without_the_text_cache() -> None:
    cached = [classify(t, None) for t in TEXTS]
    classification._classified.cache_clear()
    assert [classify(t, None) for t in TEXTS] == cached


def test_the_word_cache_of_matching_is_emptied_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    morphology = snowball_morphology()
    fresh = Index(load("fi"), morphology)
    expected = [fresh.fired(tokenize(t)) for t in TEXTS]
    monkeypatch.setattr(matching, "_WORDS_CACHED", 3)
    small = Index(load("fi"), morphology)
    for _ in range(2):  # a second round reads what the emptied cache must compute again
        assert [small.fired(tokenize(t)) for t in TEXTS] == expected
        assert len(small._words) <= 3


def test_the_word_counts_of_language_detection_are_bounded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [language.detect_language(t) for t in TEXTS]
    monkeypatch.setattr(language, "_FEATURES_KEPT", 2)
    monkeypatch.setattr(language, "_features", {})
    for _ in range(2):
        assert [language.detect_language(t) for t in TEXTS] == expected
        assert len(language._features) <= 2
    assert expected[:4] == ["fi", "fi", "fi", "sv"]


def test_detection_reads_the_given_words_as_its_own() -> None:
    # without "n't" the tokenizer's words are the text's words: passed in, they decide the same
    for t in TEXTS:
        if "n't" not in t:
            assert tokenize(t).words == language._WORD.findall(t.lower())
            assert language.detect_language(t, None, tokenize(t).words) == \
                language.detect_language(t)

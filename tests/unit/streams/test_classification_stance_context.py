"""Stance from context (issue 14): a workshop output is a proposal, reported speech is nobody's
proposal, and a clause-opening "när"/"when" is no question. Texts written for these tests."""

from __future__ import annotations

from schemas.taxonomy import Stance
from streams.classification import classify


def test_a_workshop_output_is_a_suggestion_unless_it_asks() -> None:
    text = "Kotihoitoon pysyvät tiimit, ettei joka päivä tule eri hoitaja."
    assert classify(text, None).stance is not Stance.SUGGESTION  # as feedback: a complaint
    c = classify(text, None, source="workshop_output")
    assert c.stance is Stance.SUGGESTION
    assert "stance.suggestion.source:workshop_output" in c.rules
    asks = classify("Voisiko iltavastaanotto olla auki myös lauantaisin?", None,
                    source="workshop_output")
    assert asks.stance is Stance.SUGGESTION  # a "could it" question is a proposal too
    question = classify("Kuka päättää kuljetuspalvelun rajoista?", None, source="workshop_output")
    assert question.stance is Stance.QUESTION


def test_reported_speech_is_no_suggestion_of_the_writer() -> None:
    c = classify("My brother keeps saying everyone would be better off without him.", "en")
    assert c.stance is not Stance.SUGGESTION
    assert any(r.startswith("stance.reported.en:") for r in c.rules), c.rules
    own = classify("It would be better to have evening appointments.", "en")
    assert own.stance is Stance.SUGGESTION


def test_a_clause_opening_when_is_no_question() -> None:
    c = classify("När vi kom till mottagningen var dörren låst och ingen svarade.", "sv")
    assert c.stance is not Stance.QUESTION
    assert classify("När öppnar mottagningen?", "sv").stance is Stance.QUESTION

"""Language from what the record knows, then the text (issue 14): short Finnish and Swedish texts
are classified in their language, Northern Sámi is recognised and noted; the stream passes the
unit's service languages from the organisation registry. Texts written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kokemusvirta.organisations import demo_organisations
from schemas.dead_letter import Origin
from schemas.lifecycle import ItemClassified
from schemas.taxonomy import Stance, Theme
from schemas.topics import TopicNames
from streams.classification import UNSUPPORTED, classify
from streams.classification.language import choose, detect_language
from streams.classification.morphology import voikko_morphology
from streams.processing import Processor
from tests.factories import as_bytes, feedback


@pytest.mark.parametrize("text", [
    "Ajanvarausviesti myös tekstiviestinä",
    "Asukkaat mukaan ruokalistan suunnitteluun.",
    "Hissi taas rikki.",
    "Maksuton pysäköinti terveysaseman pihaan.",
])
def test_short_finnish_workshop_outputs_are_finnish(text: str) -> None:
    morphology = voikko_morphology()
    assert morphology is not None, "Voikko is a dependency of the classifier (README)"
    assert detect_language(text, morphology.finnish_word) == "fi"
    c = classify(text, None, analyser=morphology)
    assert c.language == "fi" and "language.detected.fi" in c.rules
    assert c.themes, c  # classified in Finnish, not as an unsupported language without themes


def test_short_swedish_texts_are_swedish() -> None:
    for text in ("Kallelser på båda språken.", "Färdtjänst med plats för två rullstolar."):
        assert classify(text, None).language == "sv", text


@pytest.mark.parametrize("text", ["Giitu ollu! Buorre bálvalus.",
                                  "Dulka bođii maŋŋit, mii vurdimet guhká."])
def test_northern_sami_is_recognised_and_noted(text: str) -> None:
    assert detect_language(text) == "se"
    c = classify(text, None)
    assert c.language == "se" and c.language != UNSUPPORTED
    assert "language.detected.se" in c.rules
    assert c.explanation is not None and c.explanation.language == "detected"


def test_sami_rules_read_sami_words_and_finnish_ones_still_apply() -> None:
    praise = classify("Giitu ollu! Buorre bálvalus.", "se")
    assert praise.language == "se" and praise.stance is Stance.PRAISE
    assert any(r.startswith("stance.praise.se:") for r in praise.rules)
    interpreter = classify("Áhkku ii ipmir suomagiela. Ei ollut tulkkia.", "se")
    assert Theme.COMMUNICATION in interpreter.themes
    # a Finnish critical frame inside a Sámi text still escalates
    mixed = classify("Áhkku lea muistisairas, son kaatui ja makasi lattialla aamuun asti.", "se")
    assert mixed.language == "se" and mixed.severity == "critical"


def test_the_unit_s_language_decides_when_the_text_does_not() -> None:
    assert choose("Personal 10/10", None, ("sv",)).reported == "sv"
    assert choose("Personal 10/10", None, ("sv",)).how == "registry"
    assert classify("Personal 10/10", None, unit_languages=("sv",)).language == "sv"
    assert "language.registry.sv" in classify("Personal 10/10", None,
                                              unit_languages=("sv",)).rules
    # the text wins when it is clear, and a declared language wins over both
    assert classify("Hissi on taas rikki.", None, unit_languages=("sv",)).language == "fi"
    assert choose("Personal 10/10", "en", ("sv",)).reported == "en"
    assert choose("Personal 10/10", None, ()).reported == UNSUPPORTED


def test_the_stream_classifies_in_the_unit_s_language() -> None:
    processor = Processor(TopicNames("kv."), organisations=demo_organisations())
    now = datetime(2026, 10, 1, 12, tzinfo=UTC)
    origin = Origin(topic="kv.intake", partition=0, offset=1)
    raw = as_bytes(feedback(language=None, text="Personal 10/10", county="pohjanmaa",
                            unit="pietarsaaren-terveysasema", service_area="perusterveydenhuolto"))
    classified = [o.event for o in processor.process(raw, origin, now)
                  if isinstance(o.event, ItemClassified)]
    assert [c.classification.language for c in classified] == ["sv"]

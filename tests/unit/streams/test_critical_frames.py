"""Critical frames (issue 14): an event of harm or risk with a vulnerable or unattended person is
critical; partial evidence is critical_suspected; negation and risk talk are no events; every
verdict names its frame and the words. The texts are written for these tests."""

from __future__ import annotations

import pytest

from schemas.taxonomy import Severity, Stance
from streams.classification import classify
from streams.processing import rule_based_classify

COMPLETE = [  # event + vulnerable or unattended person -> critical, not suspected
    ("fi", "Äiti kaatui yöllä ja painoi hälytysnappia, mutta kukaan ei tullut kahteen tuntiin.",
     "fall"),
    ("fi", "Muistisairas isoäitini asuu yksin, ja hänen lääkkeensä jäävät usein antamatta.",
     "medication"),
    ("fi", "Naapurin lapset ovat taas yksin pakkasella myöhään illalla ja kuuluu itkua.",
     "child_at_risk"),
    ("fi", "Vanhus kotiutettiin yöllä taksilla, eikä kotona ollut ketään vastassa.",
     "unsafe_discharge"),
    ("sv", "Mormor som har demens låg på golvet hela natten innan någon kom.", "fall"),
    ("en", "My father with dementia was found lying on the floor in the morning.", "fall"),
    ("en", "My grandmother with dementia was given someone else's pills.", "medication"),
]


@pytest.mark.parametrize(("lang", "text", "frame"), COMPLETE, ids=[c[2] + "-" + c[0]
                                                                    for c in COMPLETE])
def test_an_event_with_a_person_at_risk_is_critical(lang: str, text: str, frame: str) -> None:
    for declared in (lang, None):  # also without a declared language, as `classify` is scored
        c = classify(text, declared)
        assert c.severity is Severity.CRITICAL, c
        assert c.explanation is not None and frame in c.explanation.frames, c.explanation
        assert c.explanation.critical_triggers, c.explanation
        assert any(i.startswith(f"severity.critical.frame.{frame}.") for i in c.rules), c.rules


SUSPECTED = [  # the event without its person: critical, waiting for a person to confirm
    ("fi", "Kotihoito unohti antaa isän insuliinin.", "medication"),
    ("fi", "Hoitaja puristi käsivarresta kovaa, ja iholla on nyt mustelmia.", "violence"),
    ("fi", "Haavat haisevat, eikä niitä ole katsottu viikkoon.", "neglect"),
    ("sv", "Personalen har fotograferat henne i duschen.", "abuse"),
    ("en", "Dad slipped in the shower and broke his hip.", "fall"),
]


@pytest.mark.parametrize(("lang", "text", "frame"), SUSPECTED, ids=[c[2] + "-" + c[0]
                                                                     for c in SUSPECTED])
def test_partial_evidence_is_critical_suspected(lang: str, text: str, frame: str) -> None:
    c = classify(text, lang)
    assert c.severity is Severity.CRITICAL and c.critical_suspected, c
    assert c.explanation is not None and frame in c.explanation.frames
    summary = c.explanation.summary(c)
    assert "critical suspected" in summary and frame in summary, summary
    # and it reaches the event the stream emits
    assert rule_based_classify(text, lang).critical_suspected


NOT_CRITICAL = [  # risk talk, negation, prevention, praise of a situation handled well
    ("fi", "Kaatumisriski arvioitiin hyvin ja kylpyhuoneeseen saatiin tukikahvat."),
    ("fi", "Tasapainojumppaa kaikkiin palvelutaloihin kaatumisten ehkäisemiseksi."),
    ("fi", "Isä ei kaatunut, vaikka käytävän lattia oli märkä."),
    ("fi", "Lääkkeenjakovirhe huomattiin ajoissa, ennen kuin äiti ehti ottaa mitään."),
    ("fi", "Lääkäri kysyi suoraan itsetuhoisista ajatuksista, ja se tuntui turvalliselta."),
    ("fi", "Sain lähisuhdeväkivaltatyöstä hyvää tukea ja pääsin turvakotiin heti. Kiitos!"),
    ("fi", "Tässä on toinen tapa asioida kuin sähköinen."),  # "tapa" is no "tappaa"
    ("sv", "Hemtjänsten kom genast när pappa hade fallit, och de var så vänliga. Tack!"),
    ("en", "We talked about fall prevention and the risk assessment went well."),
]


@pytest.mark.parametrize(("lang", "text"), NOT_CRITICAL, ids=[t[:30] for _l, t in NOT_CRITICAL])
def test_risk_talk_negation_and_handled_situations_are_not_critical(lang: str, text: str) -> None:
    c = classify(text, lang)
    assert c.severity is not Severity.CRITICAL and not c.critical_suspected, c


def test_a_negated_event_is_noted_not_counted() -> None:
    c = classify("Muistisairas äiti ei kaatunut, vaikka lattia oli liukas.", "fi")
    assert c.severity is not Severity.CRITICAL
    assert any(i.startswith("frame.negated.fall.fi:") for i in c.rules), c.rules


def test_a_negated_care_verb_leaves_the_event_standing() -> None:
    # "eikä painehaavoja ole hoidettu": the ulcers are there, the care is what is missing
    c = classify("Äiti makaa palvelutalossa, eikä painehaavoja ole hoidettu.", "fi")
    assert c.severity is Severity.CRITICAL, c
    assert not any(i.startswith("frame.negated.neglect") for i in c.rules)
    healthy = classify("Äidillä ei ole painehaavoja, iho on ehjä.", "fi")
    assert healthy.severity is not Severity.CRITICAL, healthy


def test_praise_lowers_a_frame_by_one_step() -> None:
    # a complete frame told as handled well is still suspected: a person looks at it
    c = classify("Kiitos hoitajalle, joka huomasi että muistisairas äiti oli kaatunut ja "
                 "makasi lattialla, ja soitti heti apua. Iso kiitos!", "fi")
    assert c.stance is Stance.PRAISE
    assert c.severity is Severity.CRITICAL and c.critical_suspected, c


def test_a_first_person_wish_to_die_needs_no_second_half() -> None:
    for text, lang in (("En jaksa enää elää.", "fi"), ("I want to die.", "en"),
                       ("Jag orkar inte leva längre.", "sv")):
        c = classify(text, lang)
        assert c.severity is Severity.CRITICAL and not c.critical_suspected, (text, c)

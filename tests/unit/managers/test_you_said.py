""""You said, we did" pairs: what may be shown of what was said, and in which language; pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from managers import you_said as ys

ITEM = ys.Answered(
    item_id="fb-0123456789abcdef", source_family="feedback", county="lappi",
    unit="rovaniemen-terveysasema", text="Jonotin tunnin, soittakaa 040 123 4567.",
    language="fi", themes=("access", "communication"),
    received_at=datetime(2026, 10, 1, tzinfo=UTC), decided_at=datetime(2026, 10, 9, tzinfo=UTC),
    outcome="adopted", rationale="Lisäämme  takaisinsoiton;\nkysy maija@example.fi.",
    decision_ref="LAPHA/12/2026", group_size=5,
)


def test_a_group_at_the_threshold_shows_the_words_redacted_once_more() -> None:
    p = ys.pair(ITEM)
    assert p.said == "Jonotin tunnin, soittakaa [PUHELIN]." and p.said_language == "fi"
    assert p.rationale == "Lisäämme takaisinsoiton; kysy [SÄHKÖPOSTI]."
    assert not p.summarised


def test_a_small_group_gets_the_theme_summary_instead_of_the_words() -> None:
    for size in (1, 4, 0):  # 0: the group's size is not known, so not known to be big
        p = ys.pair(replace(ITEM, group_size=size))
        assert p.said is None and p.said_language is None and p.summarised
        assert ys.summary(p, "fi") == ("Palaute aiheesta Saatavuus ja odottaminen ja "
                                       "Tiedonkulku ja viestintä")
        assert ys.summary(p, "sv") == ("Respons om Tillgänglighet och väntetider och "
                                       "Information och kommunikation")


def test_the_stores_threshold_decides() -> None:
    assert ys.pair(replace(ITEM, group_size=7), limit=8).summarised
    assert not ys.pair(replace(ITEM, group_size=8), limit=8).summarised
    assert [ys.is_small_group(n) for n in (0, 1, 4, 5)] == [False, True, True, False]


def test_a_forgotten_persons_words_are_never_shown() -> None:
    assert ys.pair(replace(ITEM, group_size=500, erased=True)).summarised


def test_the_public_reference_is_stable_short_and_not_the_item_id() -> None:
    ref = ys.public_ref(ITEM.item_id)
    assert ref == ys.public_ref("fb-0123456789abcdef") == ys.pair(ITEM).ref
    assert ref.startswith("yv-") and len(ref) == 15
    assert "0123456789abcdef" not in ref and ref != ys.public_ref("fb-0123456789abcdee")


def test_summary_of_each_kind_and_of_no_theme() -> None:
    p = ys.pair(replace(ITEM, group_size=1, themes=(), source_family="workshop_output"))
    assert ys.summary(p, "fi") == "Työpajan ehdotus (muista asioista)"
    assert ys.summary(replace(p, themes=("fees",), source_family="expert_statement"),
                      "sv") == "Utlåtande om Avgifter och förmåner"


def test_language_marks_only_where_the_text_is_in_another_language() -> None:
    assert ys.language_mark("fi", "sv") == "på finska"
    assert ys.language_mark("sv", "fi") == "ruotsiksi"
    assert ys.language_mark("se", "fi") == "pohjoissaameksi"
    assert ys.language_mark("fi", "fi") is None and ys.language_mark(None, "sv") is None
    assert ys.with_mark("Teksti.", "fi", "sv") == "Teksti. (på finska)"


def test_a_rationales_language_is_read_from_its_words_then_the_unit() -> None:
    assert ys.rationale_language("Vi ordnar fler tider på svenska.") == "sv"
    assert ys.rationale_language("Kiitos palautteesta.", ("sv",)) == "fi"  # its words say
    assert ys.rationale_language("Toimenpiteet käynnistetty.") == "fi"  # unsure: Finnish
    assert ys.rationale_language("Toimenpiteet käynnistetty.", ("sv", "fi")) == "sv"


def test_page_languages_follow_the_registry() -> None:
    assert ys.unit_page_languages(("sv", "fi")) == ("sv", "fi")
    assert ys.unit_page_languages(("fi", "se")) == ("fi",)
    assert ys.unit_page_languages(()) == ("fi",)


def test_newest_decision_first() -> None:
    old = ys.pair(ITEM)
    new = ys.pair(replace(ITEM, item_id="fb-x", decided_at=datetime(2026, 11, 1, tzinfo=UTC)))
    assert ys.newest_first([old, new]) == [new, old]


def test_public_words_lose_control_characters_and_direction_overrides() -> None:
    p = ys.pair(replace(ITEM, text="Hyvä \x1b[2J jono \u202etxt.exe\x00 loppu 👍",
                        rationale="Korjattu\u2066 \x07nyt."))
    assert p.said == "Hyvä [2J jono txt.exe loppu 👍"
    assert p.rationale == "Korjattu nyt."

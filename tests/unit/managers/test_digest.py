""""Sanoitte, me teimme": the digest's text, pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from managers import digest as dg
from schemas.organisations import Names


def decided(item: str, themes: tuple[str, ...], outcome: str, rationale: str, day: int,
            ref: str | None = None) -> dg.DecidedItem:
    return dg.DecidedItem(item_id=f"fb-{item:0>16}", themes=themes, outcome=outcome,
                          rationale=rationale, decided_at=datetime(2026, 10, day, tzinfo=UTC),
                          decision_ref=ref)


ITEMS = [
    decided("1", ("access", "communication"), "adopted",
            "Puhelinpalveluun lisätään takaisinsoitto arkisin klo 8–16.", 5, "LAPHA/12/2026"),
    decided("2", ("access",), "already_under_way", "Ajanvarauksen uudistus on jo käynnissä.", 9),
    decided("3", ("respect",), "partly",
            "Henkilökunta koulutetaan; soita 040 123 4567 tai maija@example.fi.", 12),
    decided("4", (), "no_action_needed", "Kiitos palautteesta.", 20),
]


def test_finnish_digest_groups_by_main_theme_with_outcome_and_rationale() -> None:
    text = dg.render("rovaniemen-terveysasema", "2026-10", ITEMS, swedish=False)
    assert text.splitlines()[0] == (
        "Sanoitte, me teimme – Rovaniemen terveysasema, lokakuussa 2026")
    assert "4 päätöstä." in text
    assert "Saatavuus ja odottaminen (2)" in text  # item 1 listed once, under its main theme
    assert "Tiedonkulku ja viestintä" not in text
    assert ("- Toteutamme: Puhelinpalveluun lisätään takaisinsoitto arkisin klo 8–16. "
            "(päätös LAPHA/12/2026)") in text
    assert "- Työ on jo käynnissä: Ajanvarauksen uudistus on jo käynnissä." in text
    assert "Kohtaaminen ja kunnioitus (1)" in text
    assert "Muut asiat (1)\n- Ei vaadi muutoksia: Kiitos palautteesta." in text
    # the biggest theme comes first
    assert text.index("Saatavuus") < text.index("Kohtaaminen") < text.index("Muut asiat")
    assert "Ni sade" not in text


def test_digest_carries_no_personal_data() -> None:
    text = dg.render("rovaniemen-terveysasema", "2026-10", ITEMS, swedish=True)
    assert "040 123 4567" not in text and "maija@example.fi" not in text
    assert "[PUHELIN]" in text and "[SÄHKÖPOSTI]" in text
    assert "fb-" not in text  # item ids mean nothing to clients


def test_swedish_part_follows_the_finnish_one() -> None:
    text = dg.render("vaasan-terveysasema", "2026-03", ITEMS[:1], swedish=True)
    fi, sv = text.split("Ni sade, vi gjorde")
    assert "maaliskuussa 2026" in fi and "1 päätös." in fi
    assert sv.startswith(" – Vaasan terveysasema, i mars 2026")
    assert "Tillgänglighet och väntetider (1)" in sv
    assert "- Vi genomför: Puhelinpalveluun lisätään" in sv
    assert "(beslut LAPHA/12/2026)" in sv


def test_a_month_without_decisions_says_so() -> None:
    text = dg.render("x", "2026-10", [], swedish=False)
    assert "X ei tehnyt lokakuussa 2026 palautteen pohjalta päätöksiä." in text


def test_the_text_is_the_same_every_time() -> None:
    a = dg.render("u", "2026-10", ITEMS, swedish=True)
    assert a == dg.render("u", "2026-10", list(reversed(ITEMS)), swedish=True)


def test_swedish_when_at_least_8_percent_of_known_languages_is_swedish() -> None:
    assert dg.is_swedish_unit({"fi": 92, "sv": 8})
    assert not dg.is_swedish_unit({"fi": 93, "sv": 7})
    assert not dg.is_swedish_unit({"fi": 92, "sv": 7, None: 50})  # unknown languages don't count
    assert dg.is_swedish_unit({"sv": 1})
    assert not dg.is_swedish_unit({})


def test_period_is_a_month_in_finnish_time() -> None:
    start, end = dg.parse_period("2026-12")
    assert start.isoformat() == "2026-12-01T00:00:00+02:00"
    assert end.isoformat() == "2027-01-01T00:00:00+02:00"
    start, end = dg.parse_period("2026-10")
    assert (start.utcoffset(), end.utcoffset()) == (
        datetime(2026, 10, 1, tzinfo=UTC).astimezone(start.tzinfo).utcoffset(),
        datetime(2026, 11, 1, tzinfo=UTC).astimezone(end.tzinfo).utcoffset(),
    )
    for bad in ["2026-13", "2026-1", "10/2026", "2026"]:
        with pytest.raises(dg.PeriodError):
            dg.parse_period(bad)


def test_each_decision_says_what_it_answered_words_or_summary() -> None:
    said = replace(ITEMS[1], said="Jonotin tunnin.", said_language="fi")
    text = dg.render("u", "2026-10", [said, ITEMS[2]], swedish=True)
    assert ("- Työ on jo käynnissä: Ajanvarauksen uudistus on jo käynnissä.\n"
            "  Sanoitte: ”Jonotin tunnin.”") in text
    assert "  Ni sade: ”Jonotin tunnin.” (på finska)" in text
    assert ("  Sanoitte: palaute aiheesta Kohtaaminen ja kunnioitus (ei lainausta, jotta "
            "kirjoittajaa ei voi tunnistaa)") in text


def test_the_swedish_part_names_the_unit_in_swedish_and_marks_finnish_rationales() -> None:
    names = Names(fi="Vaasan terveysasema", sv="Vasa hälsostation")
    text = dg.render("vaasan-terveysasema", "2026-03", ITEMS[:2], swedish=True, names=names)
    fi, sv = text.split("Ni sade, vi gjorde")
    assert "Vaasan terveysasema" in fi and "Vasa hälsostation" not in fi
    assert "Vasa hälsostation" in sv and "Vaasan terveysasema" not in sv
    assert "Puhelinpalveluun lisätään takaisinsoitto arkisin klo 8–16. (på finska)" in sv
    assert "(suomeksi)" not in fi
    swedish_rationale = replace(ITEMS[0], rationale="Vi ordnar fler tider på svenska.")
    assert "Vi ordnar fler tider på svenska. (ruotsiksi)" in dg.render(
        "u", "2026-03", [swedish_rationale], swedish=False)


def test_the_parts_follow_the_registrys_languages_then_the_8_percent_rule() -> None:
    assert dg.languages_of(("sv", "fi"), {"fi": 100}) == ("sv", "fi")
    assert dg.languages_of(("fi", "se"), {"sv": 100}) == ("fi",)
    assert dg.languages_of((), {"fi": 92, "sv": 8}) == ("fi", "sv")
    assert dg.languages_of((), {"fi": 93, "sv": 7}) == ("fi",)
    text = dg.render("u", "2026-03", ITEMS[:1], swedish=False, languages=("sv", "fi"))
    assert text.index("Ni sade, vi gjorde") < text.index("Sanoitte, me teimme")

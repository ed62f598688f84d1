"""Redaction of free text: henkilötunnus, IBAN, phone, e-mail, names; idempotent."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.redaction import IBAN_LENGTHS, iban_valid, redact
from schemas.redaction.names import case_forms, name_spans
from tests.conftest import TEST_DATA

HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}
WORDS = ("hoitaja", "oli", "ystävällinen", "ja", "jonotin", "tunnin", "päivystyksessä", "kiitos",
         "lääkäri", "ei", "vastannut", "puhelimeen", "maksu", "palautus", "tilille", "numero",
         "hetu", "min", "the", "doctor", "was", "kind", "3", "euroa", "klo", "12.3.2026", "Kela")


@st.composite
def henkilotunnus(draw: st.DrawFn) -> str:
    born = draw(st.dates(date(1850, 1, 1), date(2029, 12, 31)))
    sign = draw(st.sampled_from(CENTURY_SIGNS[born.year // 100 * 100]))
    individual = draw(st.integers(2, 999))
    digits = f"{born:%d%m}{born.year % 100:02d}{individual:03d}"
    return f"{digits[:6]}{sign}{digits[6:]}{HETU_CHECK[int(digits) % 31]}"


def _with_check_digits(country: str, bban: str) -> str:
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


# BBAN shapes: (country, bank code letters, digits after it)
BBANS = {"FI": (0, 14), "SE": (0, 20), "NO": (0, 11), "DE": (0, 18), "DK": (0, 14),
         "EE": (0, 16), "GB": (4, 14), "NL": (4, 10), "FR": (0, 23), "ES": (0, 20)}


@st.composite
def iban(draw: st.DrawFn) -> str:
    country = draw(st.sampled_from(sorted(BBANS)))
    letters, digits = BBANS[country]
    bban = draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=letters, max_size=letters)) + \
        draw(st.text("0123456789", min_size=digits, max_size=digits))
    compact = _with_check_digits(country, bban)
    assert len(compact) == IBAN_LENGTHS[country] and iban_valid(compact)
    if draw(st.booleans()):
        return compact
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def _embedded(draw: Callable[[st.SearchStrategy[Any]], Any], value: str) -> tuple[str, str, str]:
    before = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6)))
    after = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6)))
    sep = draw(st.sampled_from([" ", ": ", " (", "\n"]))
    end = draw(st.sampled_from(["", ".", ",", ")", " "]))
    return before, f"{before}{sep}{value}{end} {after}", after


@settings(max_examples=300, deadline=None)
@given(st.data(), henkilotunnus())
def test_no_valid_henkilotunnus_survives(data: st.DataObject, hetu: str) -> None:
    _, text, _ = _embedded(data.draw, hetu)
    out = redact(text)
    assert hetu not in out and hetu.lower() not in out
    assert "[HETU]" in out
    assert redact(out) == out


@settings(max_examples=300, deadline=None)
@given(st.data(), iban())
def test_no_valid_iban_survives(data: st.DataObject, account: str) -> None:
    _, text, _ = _embedded(data.draw, account)
    out = redact(text)
    assert account not in out
    assert account.replace(" ", "")[4:] not in out.replace(" ", "")
    assert "[IBAN]" in out
    assert redact(out) == out


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_redaction_is_idempotent_on_any_text(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(WORDS), henkilotunnus(), iban(),
    st.sampled_from(["Liisa", "Virtanen", "Anna", "Mäki", "hoitaja", "Terveisin", "olen",
                     "040 123 4567", "+358 50 1234567", "a@b.fi", "[NIMI]", "Kiitos", ".", ","]),
), max_size=25))
def test_redaction_is_idempotent_on_mixed_identifiers(parts: list[str]) -> None:
    once = redact(" ".join(parts))
    assert redact(once) == once


@pytest.mark.parametrize(("text", "expected"), [
    ("Henkilötunnukseni on 240347-321C.", "Henkilötunnukseni on [HETU]."),
    ("hetu 010594Y9032 ja 010594y9032", "hetu [HETU] ja [HETU]"),
    ("syntynyt 010100A123D, hetu 010100 A 123D", "syntynyt [HETU], hetu [HETU]"),
    ("Mitt kontonummer är FI21 1234 5600 0007 85.", "Mitt kontonummer är [IBAN]."),
    ("refund to GB82 WEST 1234 5698 7654 32 please", "refund to [IBAN] please"),
    ("e-post liisa.virtanen@example.fi, liisa(at)posti.fi", "e-post [SÄHKÖPOSTI], [SÄHKÖPOSTI]"),
])
def test_identifiers_become_placeholders(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("phone", [
    "040 765 4321", "0401234567", "040-1234567", "+358 40 1234567", "+35840123456",
    "+358 40 123 4567", "(09) 123 456", "09-123 4567", "016 123 4567", "00358 50 123 4567",
    "+46 8 123 456 78", "+44 20 7946 0958",
])
def test_phone_numbers_are_redacted(phone: str) -> None:
    assert redact(f"Soittakaa {phone} kiitos") == "Soittakaa [PUHELIN] kiitos"


def test_a_local_number_after_puh_is_redacted() -> None:
    assert redact("Puh. 123 4567") == "Puh. [PUHELIN]"


@pytest.mark.parametrize("text", [
    "Käynti 12.3.2026 klo 8-9, maksoin 120 euroa.",
    "Postinumero 00100, vuodet 2019-2024, 7 tuntia, 1 200 euroa.",
    "Odotin 45 min ja ajoin 120 km. Lähete nro 12345.",
    "hetu 311399-123A ei ole päivämäärä",  # month 13: not a henkilötunnus
])
def test_numbers_that_are_not_identifiers_stay(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(("text", "expected"), [
    ("Sairaanhoitaja Liisa oli ihana.", "Sairaanhoitaja [NIMI] oli ihana."),
    ("Kiitos hoitaja Virtaselle!", "Kiitos hoitaja [NIMI]!"),
    ("lääkäri Anna tutki minut", "lääkäri [NIMI] tutki minut"),
    ("Nimeni on Hilppa Rautanen.", "Nimeni on [NIMI] [NIMI]."),
    ("Terveisin Jonne Kauppi", "Terveisin [NIMI] [NIMI]"),
    ("t. Marjatta", "t. [NIMI]"),
    ("Hälsningar Karin Lindholm", "Hälsningar [NIMI] [NIMI]"),
    ("Dr. Smith and nurse Sandra were kind. Regards, Andrew",
     "Dr. [NIMI] and nurse [NIMI] were kind. Regards, [NIMI]"),
    ("Dearvvuođat, Máret Aikio", "Dearvvuođat, [NIMI] [NIMI]"),
    ("Pekan ja Heikin kanssa, Erik:lle", "[NIMI] ja [NIMI] kanssa, [NIMI]"),
    ("Anna Mäki kävi.", "[NIMI] [NIMI] kävi."),
    ("Jonne Virtanen soitti.", "[NIMI] [NIMI] soitti."),
    ("hoitaja liisa oli kiva", "hoitaja [NIMI] oli kiva"),
    ("KIITOS HOITAJA LIISA", "KIITOS HOITAJA [NIMI]"),
])
def test_names_in_context(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "Anna palautetta! Toivon vastausta.",  # verbs that are also names
    "Pian tämän jälkeen Ainoa ongelma oli Kela.",
    "Lääkärit Suomessa ovat kiireisiä. Hoitaja oli ystävällinen.",
    "asun Salossa ja kävin Lahdessa",  # places that are also surnames
    "Olen poikani omaishoitaja. Sain ajan heti.",
    "HENKILÖKUNTAA ON AIVAN LIIAN VÄHÄN, HOITAJAT JUOKSEVAT KOKO AJAN.",
    "Harkitsen kantelua. Kiitos!",
])
def test_words_that_look_like_names_stay(text: str) -> None:
    assert name_spans(text) == []


def test_finnish_case_forms_of_names() -> None:
    assert {"liisalle", "liisan", "liisaa"} <= case_forms("Liisa")
    assert {"virtasen", "virtaselle", "virtasta"} <= case_forms("Virtanen")
    assert {"pekan", "pekalle", "pekkaa"} <= case_forms("Pekka")
    assert {"erikin", "erikille", "eriks"} <= case_forms("Erik")


def test_the_shared_sample_loses_only_its_identifiers() -> None:
    texts = [json.loads(line)["text"] for line in
             (TEST_DATA / "feedback_labelled_sample.jsonl").read_text().splitlines() if line]
    changed = {t: redact(t) for t in texts if redact(t) != t}
    assert sorted(changed.values()) == sorted([
        "Laskussa oli veloitettu käynti, jota en ollut edes varannut. Soittakaa minulle "
        "numeroon [PUHELIN].",
        "Potilastietoni oli lähetetty väärälle henkilölle, jolla on sama sukunimi. "
        "Henkilötunnukseni on [HETU].",
        "I was charged twice for the same visit and nobody answers my emails at [SÄHKÖPOSTI].",
    ])


def test_every_scenario_identifier_is_redacted() -> None:
    from kokemusvirta.bench.redaction import _texts, held_out, misses

    texts = _texts(2_000)
    total, missed = misses(texts)
    assert set(total) == {"hetu", "iban", "phone", "email", "name"}
    assert not missed
    n, m, _ = held_out(texts)
    assert n > 50 and m / n < 0.05  # names in no list, found by context alone


def test_dates_are_not_mistaken_for_henkilotunnus_with_a_bad_century() -> None:
    born = date(2000, 1, 1) + timedelta(days=10)
    assert redact(f"{born:%d%m%y}") == f"{born:%d%m%y}"

"""The units' posters: the name, the question in the unit's languages, the short address and
a QR code that encodes exactly the form's address (kokemusvirta/intake/posters.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import segno

from kokemusvirta.intake import posters
from kokemusvirta.intake.form_logic import find_unit
from kokemusvirta.organisations import demo_organisations
from schemas.organisations import Unit

BASE = "https://palaute.example.fi"


def unit(code: str) -> Unit:
    found = find_unit(demo_organisations(), code)
    assert found is not None
    return found


def qr_path(html: str) -> str:
    found = re.search(r'<svg[^>]*class="qr".*?<path[^>]* d="([^"]+)"', html, re.S)
    assert found, "no inline SVG QR code"
    return found.group(1)


def test_a_poster_has_the_name_the_question_the_address_and_a_qr_code_of_it() -> None:
    poster = posters.poster_html(unit("rovaniemen-terveysasema"), BASE + "/")
    assert poster.url == f"{BASE}/palaute/rovaniemen-terveysasema"
    html = poster.html
    assert "Rovaniemen terveysasema" in html and "Miten onnistuimme tänään?" in html
    assert f'<p class="url">{poster.url}</p>' in html
    assert "http" not in html.replace(BASE, "")  # nothing fetched from anywhere
    assert "@page { size: A4" in html
    # The QR code's modules are those of the form's address, no other.
    def modules(url: str) -> str:
        return qr_path(segno.make(url, error="m", micro=False).svg_inline(
            scale=1, border=4, svgclass="qr", lineclass=None))
    assert qr_path(html) == modules(poster.url)
    assert qr_path(html) != modules(f"{BASE}/palaute/kemin-terveysasema")


def test_a_bilingual_unit_asks_in_both_and_opens_its_first_language() -> None:
    bilingual = next(u for u in demo_organisations().units if u.languages[:2] == ("sv", "fi")
                     or u.languages[:1] == ("sv",))
    poster = posters.poster_html(bilingual, BASE)
    assert poster.url == f"{BASE}/respons/{bilingual.code}"
    assert '<html lang="sv">' in poster.html and "Hur lyckades vi i dag?" in poster.html
    both = next(u for u in demo_organisations().units if u.languages == ("fi", "sv"))
    html = posters.poster_html(both, BASE).html
    assert "Miten onnistuimme tänään?" in html and "Hur lyckades vi i dag?" in html
    assert f"{BASE}/respons/{both.code}" in html


def test_units_are_chosen_by_code_or_all_and_an_unknown_one_is_one_line() -> None:
    registry = demo_organisations()
    assert [u.code for u in posters.chosen_units(
        registry, ["kemin-terveysasema", "rovaniemen-terveysasema", "kemin-terveysasema"],
        False)] == ["kemin-terveysasema", "rovaniemen-terveysasema"]
    assert len(posters.chosen_units(registry, [], True)) == len(registry.units)
    with pytest.raises(posters.PosterProblem, match=r"\(unknown unit\) 'nope'"):
        posters.chosen_units(registry, ["nope"], False)
    with pytest.raises(posters.PosterProblem, match="--unit"):
        posters.chosen_units(registry, [], False)
    with pytest.raises(posters.PosterProblem, match="--base-url"):
        posters.check_base_url("palaute.fi")


def test_posters_are_written_one_file_per_unit(tmp_path: Path) -> None:
    written = posters.write_posters([unit("kemin-terveysasema")], tmp_path / "julisteet", BASE)
    assert [p.name for p in written] == ["kemin-terveysasema.html"]
    assert "Kemin terveysasema" in written[0].read_text(encoding="utf-8")

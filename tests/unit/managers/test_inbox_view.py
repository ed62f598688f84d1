"""The inbox at a terminal (managers/inbox_view.py): 100 columns, text wrapped and cut with …,
the item id whole, the unit's language (fi, sv, en), and the wide table of old."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from managers import inbox as ib
from managers import inbox_view as view

TODAY = date(2026, 10, 20)
LONG = ("Äidilleni annettiin väärää lääkettä ja hän joutui teho-osastolle, eikä kukaan kertonut "
        "meille mitään ennen kuin soitin itse osastolle kolme kertaa. ") * 4
ITEM = ib.InboxItem(item_id="fb-0123456789abcdef", source_family="feedback",
                    received_at=datetime(2026, 10, 1, 8, tzinfo=UTC),
                    themes=("safety", "access", "coordination", "communication"),
                    stance="mixed", severity="critical", immediate_attention=True,
                    text=LONG, status="acknowledged_by_leadership", confirmation_waiting=True)
OTHER = replace(ITEM, item_id="fb-fedcba9876543210", severity="low", immediate_attention=False,
                confirmation_waiting=False, themes=(), text="Kiitos!", status="routed",
                stance="praise")


def _lines(lang: view.Lang, width: int = view.WIDTH) -> list[str]:
    return view.render(view.rows([ITEM, OTHER], TODAY, lang), lang, width)


@pytest.mark.parametrize("lang", view.LANGS)
@pytest.mark.parametrize("width", [60, 80, 100])
def test_every_line_fits_and_the_item_id_stays_whole(lang: view.Lang, width: int) -> None:
    lines = _lines(lang, width)
    assert max(len(line) for line in lines) <= width
    assert any(ITEM.item_id in line for line in lines)
    assert any(OTHER.item_id in line for line in lines)


def test_the_text_wraps_and_is_cut_after_three_lines() -> None:
    lines = _lines("fi")
    text_lines = [line for line in lines if line.startswith(view.INDENT)
                  and ("lääkettä" in line or "osastolle" in line or line.endswith("…"))]
    assert len(text_lines) == view.TEXT_LINES
    assert text_lines[-1].endswith("…")
    assert "Äidilleni annettiin" in text_lines[0]
    assert any(line == view.INDENT + "kiitos · –" for line in lines)  # no themes: a dash
    assert view.INDENT + "Kiitos!" in lines


def test_a_deadline_breaks_after_its_colon() -> None:
    assert view._cell_lines("palautus 2026-11-03: myöhässä 23 työpv", 24) == [
        "palautus 2026-11-03:", "myöhässä 23 työpv"]
    assert view._cell_lines("kuittaus 2026-10-06: tänään", 40) == [
        "kuittaus 2026-10-06: tänään"]


def test_clipped_cuts_with_an_ellipsis_only_when_more_was_left() -> None:
    assert view.clipped("yksi kaksi kolme", 20, 1) == ["yksi kaksi kolme"]
    assert view.clipped("yksi kaksi kolme neljä", 10, 2) == ["yksi kaksi", "kolme…"]
    assert all(len(line) <= 10 for line in view.clipped("x" * 50, 10, 3))


def test_swedish_headings_words_and_deadlines() -> None:
    text = "\n".join(_lines("sv"))
    for words in ("allvarlighet", "inkommen", "ärende", "tidsfrist", "karaktär · teman / text",
                  "kritisk ! ?", "kvitterat av ledningen", "beröm och missförhållande",
                  "Säkerhet", "beslut 2026-11-02:", "9 arbetsd. kvar", "kvittering 2026-10-06:",
                  "försenad 10",
                  "arbetsd."):
        assert words in text, words
    for finnish in ("vakavuus", "kriittinen", "myöhässä", "työpv", "Turvallisuus"):
        assert finnish not in text, finnish


def test_english_and_finnish_headings() -> None:
    assert _lines("en")[0].split() == ["severity", "received", "item", "status", "deadline"]
    assert _lines("fi")[0].split() == ["vakavuus", "saapui", "kohde", "tila", "määräaika"]
    assert "kriittinen ! ?" in _lines("fi")[3]


@pytest.mark.parametrize(("languages", "lang"), [
    (("sv",), "sv"), (("sv", "fi"), "sv"), (("fi", "sv"), "fi"), (("se", "fi"), "fi"),
    (("fi", "se"), "fi"), ((), "fi"), (("en",), "en"),
])
def test_the_default_language_is_the_units_first_that_the_inbox_speaks(
    languages: tuple[str, ...], lang: str,
) -> None:
    assert view.unit_language(languages) == lang


def test_wide_is_the_table_of_old_in_finnish() -> None:
    assert view.wide_rows([ITEM, OTHER], TODAY, "fi") == ib.table_rows([ITEM, OTHER], TODAY)
    assert view.WIDE_HEADINGS["fi"] == ib.TABLE_COLUMNS
    (swedish, _) = view.wide_rows([ITEM, OTHER], TODAY, "sv")
    assert swedish[0] == "kritisk ! ?" and swedish[3] == "kvitterat av ledningen"
    assert len(swedish) == len(view.WIDE_HEADINGS["sv"])


def test_the_summary_wraps_and_keeps_the_finnish_of_old() -> None:
    lines = view.summary("fi", "lappi.rovaniemen-terveysasema", False, 2, 2, 3,
                         "kv.routed.unit.lappi.rovaniemen-terveysasema")
    assert all(len(line) <= view.WIDTH for line in lines) and len(lines) > 1
    assert "avoimet (open) 2/2" in " ".join(lines)
    (one,) = view.summary("sv", "p.u", True, 1, 1, 1, "t", width=None)
    assert one.startswith("p.u: alla 1/1 visas, 1 styrda ärenden")

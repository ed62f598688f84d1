"""The web dashboards' pure parts: the Altair trend chart rendered by vl-convert (patterns,
title, description), the exports (Finnish Excel CSV, XLSX), sorting and the item links."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from dashboards import exports, vega, web
from dashboards.filters import Filters
from dashboards.labels import Labels
from dashboards.queries import BadChoice, QueryResult, choices

TREND_COLUMNS = ["period_start", "period", "items", "reached", "closed_unreached", "still_open",
                 "reached_share", "previous_items", "items_change", "previous_reached_share",
                 "reached_share_change", "suppressed"]


def trend(*rows: tuple[object, ...]) -> QueryResult:
    return QueryResult("trend", TREND_COLUMNS, list(rows), 0.0)


TREND = trend(
    (date(2026, 9, 1), "2026-09", 120, 80, 10, 30, 80 / 120, None, None, None, None, False),
    (date(2026, 10, 1), "2026-10", 100, 20, 5, 75, 0.2, 120, -20, 80 / 120, 0.2 - 80 / 120,
     False),
    (date(2026, 11, 1), "2026-11", None, None, None, None, None, 100, None, 0.2, None, True),
)
OVERDUE = QueryResult("overdue_items_list",
                      ["item_id", "county", "service_area", "unit", "deadline", "due_date",
                       "working_days_overdue", "severity", "theme"],
                      [("ki-aaa", "lappi", "pth", "u1", "acknowledge", date(2026, 10, 1), 3,
                        "high", "access"),
                       ("ki-bbb/../x", "lappi", "pth", "u1", "acknowledge", date(2026, 9, 1), 9,
                        "critical", None)], 0.0)
LINKS = web.Links("/kojelauta/trendit", {"lang": "fi", "county": "lappi"},
                  lambda name, fmt: f"/kojelauta/vienti/{name}.{fmt}")


def test_the_trend_svg_is_an_image_with_a_title_a_description_and_patterns() -> None:
    labels = Labels("fi")
    spec = vega.trend_spec(TREND.records(), labels, "month", "returned")
    svg = vega.svg(spec, "Otsikko", "Kuvaus")
    assert svg.startswith("<svg") and 'role="img"' in svg
    ids = re.search(r'aria-labelledby="([^"]+)"', svg)
    assert ids is not None
    title_id, desc_id = ids.group(1).split()
    assert f'<title id="{title_id}">Otsikko</title>' in svg
    assert f'<desc id="{desc_id}">Kuvaus</desc>' in svg
    # every series is a pattern, not only a colour: no mark keeps the bare series colour
    for s in vega.TREND_SERIES:
        assert f'fill="{s.colour}"' not in svg.split("</defs>", 1)[1]
    assert svg.count("fill=\"url(#pat-stripes") >= 3  # two bars and the legend's symbol
    assert "<script" not in svg and "http://" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', "")


def test_the_trend_draws_only_what_the_query_returned() -> None:
    spec = vega.trend_spec(TREND.records(), Labels("en"), "month", "returned")
    values = spec["data"]["values"]
    # the suppressed month draws nothing; the others their three parts as returned
    assert {v["period"] for v in values} == {"2026-09", "2026-10"}
    assert sorted(v["items"] for v in values if v["period"] == "2026-10") == [5, 20, 75]


def test_the_png_is_a_png() -> None:
    spec = vega.trend_spec(TREND.records(), Labels("sv"), "week", "acknowledged")
    assert vega.png(spec).startswith(b"\x89PNG\r\n\x1a\n")


def test_the_csv_export_is_the_finnish_excel_dialect() -> None:
    data = exports.as_csv(TREND)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == TREND_COLUMNS
    assert rows[1][:7] == ["1.9.2026", "2026-09", "120", "80", "10", "30", "0,6666666666666666"]
    assert rows[2][8] == "-20"  # a number, not a formula guarded as text
    assert rows[3][2] == ""  # suppressed: empty


def test_the_xlsx_export_opens_with_openpyxl() -> None:
    book = load_workbook(io.BytesIO(exports.as_xlsx(TREND, "Trendit: kuukausittain")))
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == TREND_COLUMNS
    assert rows[1][2] == 120 and rows[3][2] is None
    assert exports.filename("trend", Filters(county="lappi"), "xlsx") == \
        "kokemusvirta-trend-lappi.xlsx"


def test_the_trend_panel_marks_the_still_open_part_and_compares_periods() -> None:
    html = web.trend_panel(TREND, Labels("fi"), choices(), LINKS)
    assert "yhä avoimet näytetään omana osanaan" in html
    assert "Jakso verrattuna edelliseen" in html
    assert "/kojelauta/vienti/trend.csv" in html and "/kojelauta/vienti/trend.xlsx" in html
    assert "/kojelauta/vienti/trend.svg" in html and "/kojelauta/vienti/trend.png" in html
    # sorting is a link keeping the filters
    assert 'href="/kojelauta/trendit?lang=fi&amp;county=lappi&amp;sort=items&amp;dir=asc"' in html


def test_sorting_orders_rows_and_puts_suppressed_last() -> None:
    rows = web.sort_rows(TREND, "items", "asc")
    assert [r[2] for r in rows] == [100, 120, None]
    rows = web.sort_rows(TREND, "items", "desc")
    assert [r[2] for r in rows] == [120, 100, None]
    assert web.sort_rows(TREND, "no_such_column", "asc") == TREND.rows


def test_every_overdue_item_links_to_its_item_page() -> None:
    html = web.overdue_panel(OVERDUE, Labels("sv"), LINKS, "working_days_overdue", "desc")
    assert 'href="/asia/ki-aaa"' in html
    assert 'href="/asia/ki-bbb%2F..%2Fx"' in html  # an id cannot walk out of /asia/
    assert html.index("ki-bbb") < html.index("ki-aaa")  # most overdue first, as sorted
    assert 'aria-sort="descending"' in html


def test_a_choice_must_be_known() -> None:
    assert choices({}) == {"grain": "month", "milestone": "returned"}
    with pytest.raises(BadChoice):
        choices({"grain": "year"})


THEMES = QueryResult("themes_over_time",
                     ["month_received", "month", "theme", "severity", "severity_order", "items",
                      "suppressed"],
                     [(date(2026, 9, 1), "2026-09", "access", "critical", 4, 6, False),
                      (date(2026, 9, 1), "2026-09", "access", "high", 3, None, True),
                      (date(2026, 9, 1), "2026-09", "access", "low", 1, 40, False)], 0.0)


def test_the_themes_chart_labels_every_bar_and_draws_no_suppressed_one() -> None:
    spec = vega.themes_spec(THEMES.records(), Labels("fi"))
    values = spec["data"]["values"]
    assert sorted(v["items"] for v in values) == [6, 40]  # the suppressed high: nothing
    svg = vega.svg(spec, "Teemat", "Kuvaus", vega.SEVERITY_SERIES)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "6" in texts and "40" in texts  # a few critical items carry their count
    assert "fill=\"url(#pat-cross" in svg  # critical: cross-hatched as well as purple
    html = web.themes_panel(THEMES, Labels("en"), LINKS)
    assert "fewer than 5" in html and "/kojelauta/vienti/themes_over_time.png" in html


def test_a_kept_drawing_gets_each_pages_own_title_and_ids() -> None:
    spec = vega.trend_spec(TREND.records(), Labels("fi"), "month", "returned")
    first, again = vega.svg(spec, "Yksi", "A"), vega.svg(spec, "Kaksi", "B")
    assert "<title" in first and ">Yksi</title>" in first and ">Kaksi</title>" in again
    ids = [re.findall(r'<pattern id="([^"]+)"', s) for s in (first, again)]
    assert ids[0] and not set(ids[0]) & set(ids[1])  # unique within a built file too

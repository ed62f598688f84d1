"""The pages' charts (dashboards/page_charts.py, vega_kinds.py) and panels (panels.py), pure:
made-up query results in, Vega-Lite specifications and HTML out. Each chart draws only what
its query returned, writes "alle 5" where a group is suppressed and draws no bar for it, is an
image with a title and a description, and tells its series apart by pattern as well as colour;
every table sorts by its headers and lists link to the item page only inside the workplace."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dashboards import page_charts, vega, web
from dashboards.filters import Filters
from dashboards.labels import Labels
from dashboards.pages import content
from dashboards.queries import QueryResult
from dashboards.vega_kinds import ALERT, PALETTE, SINGLE


def result(name: str, rows: list[dict[str, Any]]) -> QueryResult:
    return QueryResult(name, list(rows[0]), [tuple(r.values()) for r in rows], 0.0)


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("colour", sorted({c for c, _ in PALETTE} | {SINGLE, ALERT}
                                          | {s.colour for s in vega.SEVERITY_SERIES}))
def test_every_colour_carries_white_text_and_stands_out_from_the_page(colour: str) -> None:
    # WCAG 1.4.3 (4.5:1 for white figures on it) and 1.4.11 (3:1 against the white page)
    assert (1.05) / (luminance(colour) + 0.05) >= 4.5


FUNNEL = [{"stage_order": i + 1, "stage": s, "items": n, "share_of_received": sh,
           "suppressed": n is None}
          for i, (s, n, sh) in enumerate((("received", 1234, 1.0), ("acknowledged", 617, 0.5),
                                          ("reached_leadership", None, None),
                                          ("reached_decision_makers", 0, 0.0),
                                          ("decided", 100, 0.081), ("returned", 99, 0.0802)))]


def svg_parts(svg: str) -> tuple[str, str, str]:
    ids = re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', svg)
    assert ids is not None, "not an image labelled by its title and description"
    title_id, desc_id = ids.group(1).split()
    title = re.search(rf'<title id="{title_id}">([^<]*)</title>', svg)
    desc = re.search(rf'<desc id="{desc_id}">([^<]*)</desc>', svg)
    assert title and desc
    return title.group(1), desc.group(1), svg.split("</defs>", 1)[-1]


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_the_funnel_draws_the_querys_figures_and_no_bar_for_a_suppressed_stage() -> None:
    drawing = page_charts.drawing(result("funnel", FUNNEL), Labels("fi"))
    assert drawing is not None
    [values] = drawing.spec["datasets"].values()  # the rows, named once in the spec
    bars = {v["label"]: v["value"] for v in values}
    assert bars["Tavoitti johdon"] is None and bars["Vastaanotettu"] == 1234
    title, desc, body = svg_parts(drawing.svg())
    assert title == Labels("fi").t("funnel_title") and desc == Labels("fi").t("funnel_desc")
    shown = [t.replace("\u202f", " ").replace("\xa0", " ") for t in texts(body)]
    assert "alle 5" in shown and "617 (50 %)" in shown and "1 234" in shown
    assert "<script" not in body and "http" not in body.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_series_differ_by_pattern_in_every_chart_that_has_series() -> None:
    rows: list[dict[str, Any]] = [
            {"theme": "access", "items": 40, "feedback_items": 38, "decided": 20, "adopted": 5,
             "partly": 5, "rejected": 5, "no_action_needed": 0, "already_under_way": 5,
             "returned": 12, "example_rationales": [], "suppressed": False},
            {"theme": None, "items": None, "feedback_items": None, "decided": None,
             "adopted": None, "partly": None, "rejected": None, "no_action_needed": None,
             "already_under_way": None, "returned": None, "example_rationales": [],
             "suppressed": True}]
    drawing = page_charts.drawing(result("you_said_we_did", rows), Labels("sv"))
    assert drawing is not None and len(drawing.series) == 5
    _, _, body = svg_parts(drawing.svg())
    for s in drawing.series:
        assert f'fill="{s.colour}"' not in body  # every mark and legend symbol: a pattern
    assert body.count('fill="url(#pat-') >= 4 + 5  # four segments drawn, five legend symbols
    shown = [t.replace("\u202f", " ") for t in texts(body)]
    assert any(t.startswith("färre än 5") for t in shown)  # the suppressed theme's total


def test_rates_put_three_shares_side_by_side_and_suppress_replies_on_their_own() -> None:
    row = {"dimension_value": "lappi", "items": 40, "reached_leadership": 20,
           "reached_leadership_share": 0.5, "returned": 10, "returned_share": 0.25,
           "reply_requested": None, "replied_to_client": None,
           "replied_share_of_requested": None, "delivered_to_client": None,
           "suppressed": False, "reply_suppressed": True}
    drawing = page_charts.drawing(result("rates_by_county", [row]), Labels("en"))
    assert drawing is not None
    [values] = drawing.spec["datasets"].values()
    assert [v["value"] for v in values] == [0.5, 0.25, None]
    assert [v["text"] for v in values][2] == "fewer than 5"


def test_every_drawn_query_has_an_image_over_the_empty_and_the_suppressed() -> None:
    # Each query's chart, from one suppressed row: drawn without a bar, and not an error.
    assert set(page_charts.DRAWN) >= {"funnel", "overdue_by_unit", "lead_time_distribution",
                                      "participation_workshops", "participation_roles",
                                      "participation_outcomes", "you_said_we_did"}
    assert page_charts.drawing(QueryResult("funnel", ["stage"], [], 0.0), Labels("fi")) is None
    unit = {"unit_rank": 1, "county": "lappi", "service_area": "pth", "unit": None,
            "unit_items": None, "deadline": "acknowledge", "items": None, "suppressed": True}
    drawing = page_charts.drawing(result("overdue_by_unit", [unit]), Labels("fi"))
    assert drawing is not None and "alle 5" in texts(drawing.svg())


LINKS = web.Links("/kojelauta/kulku", {"county": "lappi"},
                  lambda name, fmt: f"/kojelauta/vienti/{name}.{fmt}")


def test_a_pages_table_sorts_by_its_headers_and_opens_when_sorted() -> None:
    results = {"funnel": result("funnel", FUNNEL)}
    plain = content("kulku", results, Labels("fi"), Filters(), links=LINKS)
    assert 'href="/kojelauta/kulku?county=lappi&amp;sort=funnel.items&amp;dir=asc"' in plain
    assert '<details class="figures">' in plain
    for fmt in ("svg", "png", "csv", "xlsx"):
        assert f"/kojelauta/vienti/funnel.{fmt}\"" in plain
    by_items = content("kulku", results, Labels("fi"), Filters(), links=LINKS,
                       sort="funnel.items", direction="desc")
    assert '<details class="figures" open>' in by_items and 'aria-sort="descending"' in by_items
    table = by_items.split("<tbody>", 1)[1]
    order = [table.index(s) for s in ("Vastaanotettu", "Kuitattu", "Tavoitti johdon")]
    assert order == sorted(order)  # 1234, 617, ... and the suppressed stage last
    # another table's sort leaves this one in the query's order
    other = content("kulku", results, Labels("fi"), Filters(), links=LINKS,
                    sort="rates_by_unit.items", direction="desc")
    assert "aria-sort" not in other


def test_without_links_nothing_points_out_of_the_page() -> None:
    overdue = QueryResult("overdue_items_list",
                          ["item_id", "county", "service_area", "unit", "deadline", "due_date",
                           "working_days_overdue", "severity", "theme"],
                          [("ki-aaa", "lappi", "pth", "u1", "acknowledge", None, 3, "high",
                            None)], 0.0)
    results = {"overdue_by_deadline": QueryResult("overdue_by_deadline", [], [], 0.0),
               "overdue_by_unit": QueryResult("overdue_by_unit", [], [], 0.0),
               "overdue_items_list": overdue}
    built = content("myohassa", results, Labels("fi"), Filters())
    assert "ki-aaa" in built and "/asia/" not in built and "href" not in built
    served = content("myohassa", results, Labels("fi"), Filters(),
                     links=web.Links("/kojelauta/myohassa"))
    assert 'href="/asia/ki-aaa"' in served

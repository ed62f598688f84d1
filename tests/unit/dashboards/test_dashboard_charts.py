"""The SVG charts: well-formed, labelled, readable (contrast), and drawing only what they are
given."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from dashboards.charts import (
    SERIES,
    SEVERITY_STYLE,
    Bar,
    Group,
    Segment,
    bar_grid,
    columns,
    hbars,
    legend,
    stacked_columns_grid,
    stacked_rows,
)

SVG = "{http://www.w3.org/2000/svg}"


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("colour", sorted({c for c, _ in (*SERIES.values(),
                                                          *SEVERITY_STYLE.values())}))
def test_every_colour_carries_white_text_and_stands_out_from_the_page(colour: str) -> None:
    # White figures are written on solid patches of these colours (WCAG 1.4.3: 4.5:1), and
    # bars must stand out from the white page (1.4.11: 3:1).
    assert contrast(colour, "#ffffff") >= 4.5


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    labelled = root.get("aria-labelledby", "").split()
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert len(labelled) == 2 and set(labelled) <= ids  # title and description
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_horizontal_bars_write_each_figure_and_draw_no_bar_for_a_suppressed_group() -> None:
    root = parse(hbars("Kulku", "kuvaus", [Group("Vastaanotettu", (Bar(120, "120"),)),
                                           Group("Esitelty", (Bar(None, "alle 5"),)),
                                           Group("Päätetty", (Bar(60, "60 (50 %)"),))]))
    assert {"Vastaanotettu", "120", "alle 5", "60 (50 %)"} <= set(texts(root))
    widths = [float(r.get("width", 0)) for r in root.iter(f"{SVG}rect")
              if r.get("height") != "8"]
    assert len(widths) == 2 and widths[0] == pytest.approx(2 * widths[1])


def test_shares_on_a_fixed_scale_and_patterns_for_the_second_and_third_measure() -> None:
    svg = bar_grid("Osuudet", "kuvaus", ["A", "B", "C"],
                   [Group("Lappi", (Bar(0.5, "50 %"), Bar(0.25, "25 %"), Bar(None, "alle 5")))])
    root = parse(svg)
    assert "alle 5" in texts(root)
    fills = [r.get("fill", "") for r in root.iter(f"{SVG}rect") if r.get("height") != "8"]
    assert fills[0].startswith("#") and all(f.startswith("url(#") for f in fills[1:])


def test_stacked_and_gridded_charts_and_distributions_are_well_formed() -> None:
    parse(stacked_rows("Myöhässä", "d", [("Yksikkö", [Segment("high", 10, "10"),
                                                      Segment("low", None, "alle 5")])],
                       ends=["12"]))
    parse(stacked_columns_grid("Teemat", "d", ["Saatavuus"], ["9/2026", "10/2026"],
                               {(0, 0): [Segment("critical", 3, "3")]}))
    parse(columns("Jakauma", "d", [("0", Bar(5, "5"), "s1"), ("1", Bar(0, "0"), "alert")],
                  marker=(1, "Määräaika 3 työpäivää"), axis="Kesto (työpäivää)"))


def test_legend_names_every_series_in_text() -> None:
    html = legend([("s1", "Kuittaus"), ("s2", "Päätös")], caption="Määräaika")
    assert "Kuittaus" in html and "Päätös" in html and 'aria-hidden="true"' in html


def test_text_is_escaped() -> None:
    root = parse(hbars("<b>", "&", [Group("<script>", (Bar(1, "1"),))]))
    assert "<script>" in texts(root)  # as text, not as an element

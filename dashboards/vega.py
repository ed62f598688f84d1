"""Charts from a maintained library: Vega-Lite specifications written with Altair, rendered to
static SVG and PNG by vl-convert (its own bundled Vega engine: no network, no JavaScript in the
page, no browser).

    trend_spec(rows, labels, grain, milestone) -> dict      a Vega-Lite specification
    svg(spec, title, desc) -> str                           accessible SVG with patterns
    png(spec) -> bytes

A chart draws only what its query returns (dashboards/queries/*.sql): the specification takes
the rows as they are and only says which column is which mark; suppressed figures (NULL) draw
nothing. Vega-Lite fills marks with colours only, so series also differ by pattern: each series
gets a colour of its own that the rendered SVG names once per mark, and `svg` swaps that fill
for a pattern (solid, dots, diagonal stripes) drawn in the same colour, legend included. The SVG
is an image with a title and a description (role="img", aria-labelledby), and the page keeps
the figures in a data table under it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import altair as alt
import vl_convert as vlc

from dashboards.html import esc, new_id
from dashboards.labels import Labels

WIDTH = 640
HEIGHT = 260


@dataclass(frozen=True)
class Series:
    column: str          # the query's column
    label_key: str       # dashboards/labels.yaml ui key
    colour: str          # unique among the chart's series: `svg` finds the marks by it
    pattern: str         # "solid" | "dots" | "stripes"


# Colours give white text and the white background at least 4.5:1 (as vega_kinds.PALETTE).
TREND_SERIES: tuple[Series, ...] = (
    Series("reached", "reached_col", "#1f4e79", "solid"),
    Series("closed_unreached", "closed_unreached_col", "#595959", "dots"),
    Series("still_open", "still_open_col", "#8a3b08", "stripes"),
)


# The severities, most serious last: each but "none" has a pattern of its own.
SEVERITY_SERIES: tuple[Series, ...] = (
    Series("none", "", "#5c6670", "solid"),
    Series("low", "", "#2d7a3e", "lines"),
    Series("medium", "", "#8a5a00", "dots"),
    Series("high", "", "#b3261e", "stripes"),
    Series("critical", "", "#5b1a6e", "cross"),
)


def themes_spec(rows: Sequence[dict[str, Any]], labels: Labels) -> dict[str, Any]:
    """One small chart per theme: months along, a bar per severity side by side (not stacked:
    a few critical items are a bar of their own, not a sliver), each with its count above it."""
    names = {s.column: labels.code("severity", s.column) if s.column != "none"
             else labels.t("unknown") for s in SEVERITY_SERIES}
    order = {s.column: i for i, s in enumerate(SEVERITY_SERIES)}
    values = [{"theme": labels.code("theme", r["theme"]) if r["theme"] else labels.t("none_theme"),
               "month": str(r["month"]), "severity": names[r["severity"] or "none"],
               "order": order[r["severity"] or "none"], "items": r["items"]}
              for r in rows if r.get("items") is not None]
    domain = [names[s.column] for s in SEVERITY_SERIES]
    base = alt.Chart().encode(
        x=alt.X("month:O", title=labels.t("month"), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("severity:N", sort=domain),
        y=alt.Y("items:Q", title=labels.t("items_col")),
    )
    bars = base.mark_bar(stroke="#000000", strokeWidth=0.5).encode(
        color=alt.Color("severity:N", title=labels.t("severity"), sort=domain,
                        legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=domain,
                                        range=[s.colour for s in SEVERITY_SERIES])))
    counts = base.mark_text(dy=-6, fontSize=10, color="#1a1a1a").encode(text="items:Q")
    chart = alt.layer(bars, counts, data=alt.Data(values=values)).properties(
        width=WIDTH, height=110).facet(
        row=alt.Row("theme:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left",
                                                             labelFontWeight="bold")))
    spec: dict[str, Any] = chart.properties(
        title=labels.t("themes_title"), description=labels.t("themes_desc")).to_dict(validate=False)
    spec["config"] = {"font": "sans-serif", "background": "#ffffff"}
    spec["usermeta"] = {"lang": labels.lang}
    return spec


def trend_spec(rows: Sequence[dict[str, Any]], labels: Labels, grain: str,
               milestone: str) -> dict[str, Any]:
    """Stacked columns per period: reached, closed without reaching, still open (trend.sql)."""
    names = {s.column: labels.t(s.label_key) for s in TREND_SERIES}
    order = {s.column: i for i, s in enumerate(TREND_SERIES)}
    values = [{"period": str(r["period"]), "part": names[s.column], "order": order[s.column],
               "items": r[s.column]}
              for r in rows for s in TREND_SERIES if r.get(s.column) is not None]
    title = labels.t("trend_title", grain=labels.t(f"grain_{grain}"),
                     milestone=labels.t(f"milestone_{milestone}"))
    chart = alt.Chart(alt.Data(values=values)).mark_bar(stroke="#000000", strokeWidth=0.5).encode(
        x=alt.X("period:O", title=labels.t("period_col"), sort=None,
                axis=alt.Axis(labelAngle=-45 if grain == "week" else 0, labelLimit=90)),
        y=alt.Y("items:Q", title=labels.t("items_col"), stack="zero"),
        color=alt.Color("part:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=[names[s.column] for s in TREND_SERIES],
                                        range=[s.colour for s in TREND_SERIES])),
        order=alt.Order("order:Q"),
    ).properties(width=WIDTH, height=HEIGHT, title=title,
                 description=labels.t("trend_desc"))
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["config"] = {"font": "sans-serif", "background": "#ffffff"}
    spec["usermeta"] = {"lang": labels.lang}
    return spec


def _pattern(series: Series, pattern_id: str) -> str:
    c = series.colour
    if series.pattern == "lines":
        inner = (f'<rect width="6" height="6" fill="{c}"/>'
                 '<path d="M0,3 h6" stroke="#ffffff" stroke-width="1.2"/>')
    elif series.pattern == "cross":
        inner = (f'<rect width="6" height="6" fill="{c}"/>'
                 '<path d="M0,0 l6,6 M6,0 l-6,6" stroke="#ffffff" stroke-width="1"/>')
    elif series.pattern == "dots":
        inner = (f'<rect width="6" height="6" fill="{c}"/>'
                 '<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>')
    elif series.pattern == "stripes":
        inner = (f'<rect width="6" height="6" fill="{c}"/>'
                 '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#ffffff" '
                 'stroke-width="1.4"/>')
    else:
        inner = f'<rect width="6" height="6" fill="{c}"/>'
    return (f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="6" height="6">'
            f"{inner}</pattern>")


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def svg(spec: dict[str, Any], title: str, desc: str,
        series: Sequence[Series] = TREND_SERIES) -> str:
    """The chart as an accessible SVG document: patterns for the series, a title and a
    description the image is labelled by."""
    drawn = _drawn(json.dumps(spec, sort_keys=True, default=str))
    defs = []
    for s in series:
        pattern_id = new_id(f"pat-{s.pattern}")
        defs.append(_pattern(s, pattern_id))
        drawn = drawn.replace(f'fill="{s.colour}"', f'fill="url(#{pattern_id})"')
    title_id, desc_id = new_id("svg-title"), new_id("svg-desc")
    head = _SVG_OPEN.search(drawn)
    if head is None:  # vl-convert always writes one; a changed renderer must not pass silently
        raise ValueError("vl-convert returned no <svg> element")
    opening = head.group(0)[:-1] + f' role="img" aria-labelledby="{title_id} {desc_id}">'
    if "xlink:href" not in drawn:  # declared, never used: a page names no other address
        opening = opening.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    return (opening + f'<title id="{title_id}">{esc(title)}</title>'
            f'<desc id="{desc_id}">{esc(desc)}</desc><defs>{"".join(defs)}</defs>'
            + drawn[head.end():])


# The axes' numbers as the page writes them (1 234 and 0,5 in Finnish and Swedish).
LOCALES = {"fi": "fi-FI", "sv": "sv-SE", "en": "en-GB"}


def _locale(spec: dict[str, Any]) -> Any:  # vl-convert's own Literal of locale names
    return LOCALES.get(str(spec.get("usermeta", {}).get("lang", "")))


@lru_cache(maxsize=256)
def _drawn(spec_json: str) -> str:
    """vl-convert's SVG of a specification. Kept for the same specification (the same rows,
    words and choices): the figures change only with a new snapshot, and drawing the themes'
    small multiples takes most of a page's second, so a page looked at again is not drawn
    again. The ids and patterns are added per page (svg), so nothing page-specific is kept.
    No data is fetched: every specification carries its rows (allowed_base_urls empty)."""
    spec = json.loads(spec_json)
    drawn: str = vlc.vegalite_to_svg(spec, format_locale=_locale(spec), allowed_base_urls=[])
    # The image is one role="img" with a title and a description (svg) and its figures are in
    # the table under it; Vega's own roles and labels on groups and marks inside it would be
    # images without a name (axe: svg-img-alt, as in a chart of several parts).
    return _VEGA_ARIA.sub("", drawn)


_VEGA_ARIA = re.compile(r' (?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')


def warm() -> None:
    """Start vl-convert's engine (its first drawing in a process takes most of a second more
    than the others): a server calls this once at start, so no reader's first page waits."""
    vlc.vegalite_to_svg({"mark": "bar", "data": {"values": [{"a": 1}]},
                         "encoding": {"x": {"field": "a", "type": "quantitative"}}},
                        allowed_base_urls=[])


def clear() -> None:
    """Forget the kept drawings (the benchmark times a first view)."""
    from dashboards import page_charts  # it draws through this module

    _drawn.cache_clear()
    page_charts.clear()


def png(spec: dict[str, Any]) -> bytes:
    """The chart as a PNG image (the same specification; colours, for slides and documents)."""
    out: bytes = vlc.vegalite_to_png(spec, scale=2, format_locale=_locale(spec),
                                     allowed_base_urls=[])
    return out

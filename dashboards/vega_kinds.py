"""The chart kinds the dashboards' pages draw, as Altair (Vega-Lite) charts: pure, values in,
chart out. dashboards/page_charts.py says which query is drawn by which kind and with which
words; dashboards/vega.py renders the finished specification to SVG (patterns added) or PNG.

    hbars(bars, axis_title, ...)        one bar per row, its figure written at its end
    stacked(segments, ends, series)     one bar per row split into series, a total at its end
    grouped(bars, series, axis_title)   several measures per row side by side (shares)
    columns(bars, series, axis_title)   vertical bars in order (a distribution)
    finish(chart, title, desc) -> dict  the specification vl-convert draws

What every kind keeps: the rows in the order the query gave them (sort=None), a figure that is
None (suppressed or missing) draws no bar but still writes its text ("alle 5") where the bar
would start, and series that differ by colour also differ by pattern (each series' colour is
unique in the chart, so vega.svg can swap it for a pattern of the same colour).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from dashboards.vega import Series

Chart = alt.LayerChart | alt.FacetChart  # what .properties() gives back

WIDTH = 560
ROW = 22          # height of one bar row
INK = "#1a1a1a"
SINGLE = "#1f5f99"  # one series: a colour is enough (6.6:1 on white)
ALERT = "#b3261e"   # overdue: a colour of its own, also 6.0:1 on white

# The series styles (colour, pattern) as the hand-drawn charts had them: every colour carries
# white text and stands out from the page (at least 4.5:1 on white).
PALETTE: tuple[tuple[str, str], ...] = (
    ("#1f5f99", "solid"), ("#a8501a", "stripes"), ("#2d7a3e", "dots"),
    ("#6b4a9b", "cross"), ("#555f6b", "lines"), ("#b3261e", "lines"),
)


def series_for(codes: Sequence[str]) -> tuple[Series, ...]:
    """A style per code, in order: a code keeps its style whatever else is on the chart."""
    return tuple(Series(code, "", *PALETTE[i % len(PALETTE)]) for i, code in enumerate(codes))


@dataclass(frozen=True)
class Bar:
    label: str               # the row's name (a stage, a unit, a month ...)
    value: float | None      # the bar's length; None: no bar (suppressed or missing)
    text: str                # what is written at its end ("617 (50 %)", "alle 5")


def _axis(title: str, share: bool) -> alt.X:
    if share:
        return alt.X("value:Q", title=title, scale=alt.Scale(domain=[0, 1]),
                     axis=alt.Axis(format="%"))
    return alt.X("value:Q", title=title, axis=alt.Axis(tickMinStep=1))


_pending = threading.local()


def _data(values: list[dict[str, Any]]) -> alt.NamedData:
    """The rows by name: Altair deep-copies a chart's inline rows at every step (encode,
    layer, properties), which took longer than vl-convert's drawing on a page of several
    charts; `finish` puts the named rows into the specification once, as its `datasets`. The
    name is the rows' digest, so the same rows give the same specification (vega.py keeps
    drawings by it). Per thread: a chart is built and finished in the thread that draws it."""
    name = "d" + hashlib.sha1(json.dumps(values, sort_keys=True, default=str).encode(),
                              usedforsecurity=False).hexdigest()[:16]
    pending: dict[str, list[dict[str, Any]]] = getattr(_pending, "datasets", None) or {}
    pending[name] = values
    _pending.datasets = pending
    return alt.NamedData(name=name)


def _at(title: str, share: bool = False) -> alt.X:
    """Where a figure is written: the bar's end (0 for no bar), on the bars' own axis."""
    if share:
        return alt.X("at:Q", title=title, axis=alt.Axis(format="%"))
    return alt.X("at:Q", title=title, axis=alt.Axis(tickMinStep=1))


def _y(order: list[str]) -> alt.Y:
    return alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=280))


def hbars(bars: Sequence[Bar], axis_title: str, *, share: bool = False,
          colour: str = SINGLE) -> Chart:
    order = list(dict.fromkeys(b.label for b in bars))
    values = [{"label": b.label, "value": None if b.value is None else float(b.value),
               "at": float(b.value or 0), "text": b.text} for b in bars]
    base = alt.Chart().encode(y=_y(order))
    drawn = base.mark_bar(color=colour, stroke="#000000", strokeWidth=0.5).encode(
        x=_axis(axis_title, share))
    figures = base.mark_text(align="left", dx=4, color=INK).encode(
        x=_at(axis_title, share), text="text:N")
    return alt.layer(drawn, figures, data=_data(values)).properties(
        width=WIDTH, height=ROW * max(len(order), 1))


def _colour(series: Sequence[tuple[Series, str]], title: str | None) -> alt.Color:
    return alt.Color("part:N", title=title, sort=[n for _, n in series],
                     legend=alt.Legend(orient="bottom", labelLimit=300),
                     scale=alt.Scale(domain=[n for _, n in series],
                                     range=[s.colour for s, _ in series]))


def stacked(segments: Sequence[tuple[str, str, float | None]], ends: Sequence[Bar],
            series: Sequence[tuple[Series, str]], axis_title: str,
            legend_title: str | None = None) -> Chart:
    """Rows (`ends`: each row's label, total and the text at its end) split into segments
    (label, series name, value); a series is (its style, its name in the legend)."""
    order = list(dict.fromkeys(b.label for b in ends))
    rank = {name: i for i, (_, name) in enumerate(series)}
    parts = [{"label": label, "part": part, "order": rank.get(part, 0), "value": float(value)}
             for label, part, value in segments if value]
    # the total is written at the bar's end (a unit's items that missed several deadlines are
    # in several segments, so the bar can be longer than the total it names)
    length = dict.fromkeys(order, 0.0)
    for label, _, value in segments:
        length[label] = length.get(label, 0.0) + float(value or 0)
    totals = [{"label": b.label, "at": length[b.label], "text": b.text} for b in ends]
    drawn = alt.Chart(_data(parts)).mark_bar(stroke="#000000", strokeWidth=0.5).encode(
        y=_y(order), x=alt.X("value:Q", title=axis_title, stack="zero",
                             axis=alt.Axis(tickMinStep=1)),
        color=_colour(series, legend_title), order=alt.Order("order:Q"))
    figures = alt.Chart(_data(totals)).mark_text(align="left", dx=4, color=INK).encode(
        y=_y(order), x=_at(axis_title), text="text:N")
    return alt.layer(drawn, figures).properties(width=WIDTH,
                                                height=ROW * max(len(order), 1))


def grouped(bars: Sequence[tuple[Bar, str]], series: Sequence[tuple[Series, str]],
            axis_title: str) -> Chart:
    """Shares side by side: (bar, series name) each; the same series in the same place on
    every row, its figure at its end."""
    order = list(dict.fromkeys(b.label for b, _ in bars))
    names = [n for _, n in series]
    values = [{"label": b.label, "part": part, "value": None if b.value is None
               else float(b.value), "at": float(b.value or 0), "text": b.text}
              for b, part in bars]
    base = alt.Chart().encode(y=_y(order), yOffset=alt.YOffset("part:N", sort=names))
    drawn = base.mark_bar(stroke="#000000", strokeWidth=0.5).encode(
        x=_axis(axis_title, True), color=_colour(series, None))
    figures = base.mark_text(align="left", dx=4, color=INK, fontSize=11).encode(
        x=_at(axis_title, True), text="text:N")
    return alt.layer(drawn, figures, data=_data(values)).properties(
        width=WIDTH, height=alt.Step(11))


def columns(bars: Sequence[tuple[Bar, str]], series: Sequence[tuple[Series, str]],
            axis_title: str, value_title: str, title: str) -> Chart:
    """Vertical bars in the given order (buckets of a distribution), coloured by series
    (within or beyond the deadline), each with its figure above it."""
    order = list(dict.fromkeys(b.label for b, _ in bars))
    values = [{"label": b.label, "part": part, "value": None if b.value is None
               else float(b.value), "at": float(b.value or 0), "text": b.text}
              for b, part in bars]
    base = alt.Chart().encode(x=alt.X("label:N", title=axis_title, sort=order,
                                      axis=alt.Axis(labelAngle=0)))
    drawn = base.mark_bar(stroke="#000000", strokeWidth=0.5).encode(
        y=alt.Y("value:Q", title=value_title, axis=alt.Axis(tickMinStep=1)),
        color=_colour(series, None))
    figures = base.mark_text(dy=-6, color=INK, fontSize=11).encode(
        y=alt.Y("at:Q", title=value_title, axis=alt.Axis(tickMinStep=1)), text="text:N")
    return alt.layer(drawn, figures, data=_data(values)).properties(
        width=WIDTH, height=160, title=alt.TitleParams(title, anchor="start", fontSize=13))


def finish(chart: alt.TopLevelMixin, title: str, desc: str, lang: str) -> dict[str, Any]:
    """The specification vl-convert draws: the chart with its title and description; `lang`
    the page's language, whose number format the axes use (vega.LOCALES)."""
    spec: dict[str, Any] = chart.properties(title=title, description=desc).to_dict(validate=False)
    spec["datasets"] = getattr(_pending, "datasets", None) or {}
    _pending.datasets = {}
    spec["usermeta"] = {"lang": lang}
    spec["config"] = {"font": "sans-serif", "background": "#ffffff",
                      "axis": {"labelFontSize": 12, "titleFontSize": 12},
                      "legend": {"labelLimit": 300, "labelFontSize": 12, "titleFontSize": 12},
                      "title": {"fontSize": 14}, "text": {"fontSize": 12}}
    return spec


def vconcat(charts: Sequence[Chart]) -> alt.VConcatChart:
    """Several charts of one query (one per measure, family or kind), one under the other,
    each with its own scales: drawn and downloaded as one image."""
    return alt.vconcat(*charts).resolve_scale(color="independent")


def subtitle(chart: Chart, text: str) -> Chart:
    return chart.properties(title=alt.TitleParams(text, anchor="start", fontSize=13))

"""Inline SVG pieces every chart shares: the series and severity styles (colour and pattern),
the patterns themselves, the legend, the <svg> wrapper and what a chart is given (Bar, Group,
Segment). The chart kinds are dashboards/charts.py, whose docstring says what a chart may and
may not do and how it stays readable without colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dashboards.html import esc, new_id

WIDTH = 760
FONT = 14
ROW = 24  # height of one bar row
GAP = 6
CHAR = 7.8  # average width of a character at 14 px, for laying out labels

# Series styles: (fill colour, pattern or None). Colours tested against #fff: 1f5f99 6.6:1,
# a8501a 5.4:1, 2d7a3e 5.3:1, 6b4a9b 6.9:1, 555f6b 6.3:1, b3261e 6.0:1.
SERIES = {
    "s1": ("#1f5f99", None),
    "s2": ("#a8501a", "stripes"),
    "s3": ("#2d7a3e", "dots"),
    "s4": ("#6b4a9b", "cross"),
    "muted": ("#555f6b", "lines"),
    "alert": ("#b3261e", "stripes"),
}
# Severity, from the least to the most serious; each but "none" has a pattern of its own.
SEVERITY_STYLE = {
    "none": ("#5c6670", None),
    "low": ("#2d7a3e", "lines"),
    "medium": ("#8a5a00", "dots"),
    "high": ("#b3261e", "stripes"),
    "critical": ("#5b1a6e", "cross"),
}


PALETTE = ("s1", "s2", "s3", "s4", "muted", "alert")


def styles_for(codes: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """A style per code, in order (codes keep their style whatever else is on the chart)."""
    return {code: SERIES[PALETTE[i % len(PALETTE)]] for i, code in enumerate(codes)}


@dataclass(frozen=True)
class Bar:
    value: float | None  # what the bar's length shows; None: no bar (e.g. suppressed)
    text: str            # what is written at its end


@dataclass(frozen=True)
class Group:
    label: str
    bars: tuple[Bar, ...]  # one per series, in the series' order


@dataclass(frozen=True)
class Segment:
    key: str               # style key (a severity)
    value: float | None
    text: str


def pattern_defs(styles: dict[str, tuple[str, str | None]], prefix: str) -> str:
    """SVG <pattern>s: the fill colour with white stripes, dots or cross-hatching on it."""
    defs = []
    for key, (colour, pattern) in styles.items():
        pid = f"{prefix}-{key}"
        if pattern == "stripes":
            mark = '<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" stroke="#fff" stroke-width="1.6"/>'
        elif pattern == "dots":
            mark = '<circle cx="4" cy="4" r="1.4" fill="#fff"/>'
        elif pattern == "lines":
            mark = '<path d="M0,4 h8" stroke="#fff" stroke-width="1.4"/>'
        elif pattern == "cross":
            mark = ('<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#fff" stroke-width="1.3"/>')
        else:
            continue
        defs.append(f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
                    f'<rect width="8" height="8" fill="{colour}"/>{mark}</pattern>')
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def fill_of(styles: dict[str, tuple[str, str | None]], prefix: str, key: str) -> str:
    colour, pattern = styles[key]
    return f"url(#{prefix}-{key})" if pattern else colour


def clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def svg_chart(width: float, height: float, title: str, desc: str, body: str) -> str:
    tid, did = new_id("t"), new_id("d")
    return (f'<svg class="chart" width="{width:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'role="img" '
            f'aria-labelledby="{tid} {did}" xmlns="http://www.w3.org/2000/svg" '
            f'font-size="{FONT}">'
            f'<title id="{tid}">{esc(title)}</title><desc id="{did}">{esc(desc)}</desc>'
            f"{body}</svg>")


def legend(items: Sequence[tuple[str, str]], styles: dict[str, tuple[str, str | None]]
           | None = None, caption: str = "") -> str:
    """An HTML legend (read as text, wraps on narrow screens): swatch + label per series."""
    styles = styles or SERIES
    prefix = new_id("lg")
    swatches = []
    for key, label in items:
        fill = fill_of(styles, prefix, key)
        swatches.append(
            f'<li><svg width="18" height="14" aria-hidden="true" focusable="false">'
            f'{pattern_defs({key: styles[key]}, prefix)}'
            f'<rect width="18" height="14" fill="{fill}"/></svg>{esc(label)}</li>')
    head = f'<span class="legend-caption">{esc(caption)}</span>' if caption else ""
    return f'<div class="legend">{head}<ul>{"".join(swatches)}</ul></div>'

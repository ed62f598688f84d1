"""Inline SVG charts, drawn from figures the chart queries return; no chart library.

A chart only places what it is given: bar lengths are the given values on a scale, labels are
texts the caller formatted. It never adds, divides or rounds figures of its own (placing a
stacked segment after the previous one is geometry, not a figure anybody reads).

Accessibility: each SVG is `role="img"` with a <title> and <desc>; the figures are also in a data
table beside it (dashboards/html.py). Meaning is never colour alone: series differ by pattern
and order too, every bar carries its value as text, and every colour has at least 3:1 contrast
with the white background (WCAG 1.4.11); texts at least 4.5:1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


def _patterns(styles: dict[str, tuple[str, str | None]], prefix: str) -> str:
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


def _fill(styles: dict[str, tuple[str, str | None]], prefix: str, key: str) -> str:
    colour, pattern = styles[key]
    return f"url(#{prefix}-{key})" if pattern else colour


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _svg(width: float, height: float, title: str, desc: str, body: str) -> str:
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
        fill = _fill(styles, prefix, key)
        swatches.append(
            f'<li><svg width="18" height="14" aria-hidden="true" focusable="false">'
            f'{_patterns({key: styles[key]}, prefix)}'
            f'<rect width="18" height="14" fill="{fill}"/></svg>{esc(label)}</li>')
    head = f'<span class="legend-caption">{esc(caption)}</span>' if caption else ""
    return f'<div class="legend">{head}<ul>{"".join(swatches)}</ul></div>'


def hbars(title: str, desc: str, groups: Sequence[Group], series: Sequence[str] = ("s1",),
          scale_max: float | None = None) -> str:
    """Horizontal bars: one row per group, one bar per series within it. `scale_max` fixes the
    scale (1 for shares); otherwise the largest value fills the width."""
    prefix = new_id("p")
    longest = max((len(g.label) for g in groups), default=0)
    label_w = min(max(longest * CHAR + 12, 90), 290)
    text_w = max((len(b.text) for g in groups for b in g.bars), default=4) * CHAR + 14
    bar_x = label_w + 6
    bar_w = max(WIDTH - bar_x - text_w, 120)
    top = max((b.value or 0 for g in groups for b in g.bars), default=0)
    top = scale_max if scale_max is not None else top
    per_group = len(series) * ROW + (GAP * 2 if len(series) > 1 else GAP)
    parts: list[str] = [_patterns({k: SERIES[k] for k in series}, prefix)]
    y = 4.0
    for g in groups:
        label_y = y + (len(series) * ROW) / 2 + FONT / 2 - 2
        parts.append(f'<text x="{label_w:.0f}" y="{label_y:.1f}" text-anchor="end" '
                     f'fill="#1a1a1a">{esc(_clip(g.label, int(label_w / CHAR)))}</text>')
        for i, bar in enumerate(g.bars):
            by = y + i * ROW + 2
            length = 0.0
            if bar.value is not None and top > 0:
                length = max(bar_w * float(bar.value) / top, 1.5 if bar.value else 0)
                parts.append(f'<rect x="{bar_x:.1f}" y="{by:.1f}" width="{length:.1f}" '
                             f'height="{ROW - 4}" fill="{_fill(SERIES, prefix, series[i])}"/>')
            parts.append(f'<text x="{bar_x + length + 5:.1f}" y="{by + ROW / 2 + 2.5:.1f}" '
                         f'fill="#1a1a1a">{esc(bar.text)}</text>')
        y += per_group
    parts.append(f'<line x1="{bar_x:.1f}" x2="{bar_x:.1f}" y1="0" y2="{y:.1f}" '
                 f'stroke="#4d4d4d"/>')
    return _svg(WIDTH, y + 4, title, desc, "".join(parts))


def stacked_rows(title: str, desc: str, rows: Sequence[tuple[str, Sequence[Segment]]],
                 styles: dict[str, tuple[str, str | None]] | None = None,
                 ends: Sequence[str] = ()) -> str:
    """Horizontal stacked bars: one row per label, segments side by side with a white gap, each
    written with its figure when there is room (all figures are in the table as well); `ends`:
    a text after each row's bar (a total the query gave)."""
    styles = styles or SEVERITY_STYLE
    prefix = new_id("p")
    longest = max((len(label) for label, _ in rows), default=0)
    label_w = min(max(longest * CHAR + 12, 90), 290)
    bar_x = label_w + 6
    end_w = max((len(e) for e in ends), default=0) * CHAR + (14 if ends else 0)
    bar_w = WIDTH - bar_x - 10 - end_w
    widest = max((sum(s.value or 0 for s in segs) for _, segs in rows), default=0)
    parts: list[str] = [_patterns(styles, prefix)]
    y = 4.0
    for n, (label, segs) in enumerate(rows):
        parts.append(f'<text x="{label_w:.0f}" y="{y + ROW / 2 + 4:.1f}" text-anchor="end" '
                     f'fill="#1a1a1a">{esc(_clip(label, int(label_w / CHAR)))}</text>')
        x = bar_x
        for seg in segs:
            if not seg.value or widest <= 0:
                continue
            w = bar_w * float(seg.value) / widest
            parts.append(f'<rect x="{x:.1f}" y="{y + 1:.1f}" width="{max(w - 2, 1):.1f}" '
                         f'height="{ROW - 2}" fill="{_fill(styles, prefix, seg.key)}"/>')
            box = len(seg.text) * CHAR + 8
            if w >= box + 4:
                # On a solid patch of the segment's colour: white on a pattern is unreadable.
                parts.append(f'<rect x="{x + (w - box) / 2 - 1:.1f}" y="{y + 4:.1f}" '
                             f'width="{box:.1f}" height="{ROW - 8}" rx="3" '
                             f'fill="{styles[seg.key][0]}"/>'
                             f'<text x="{x + w / 2 - 1:.1f}" y="{y + ROW / 2 + 4:.1f}" '
                             f'text-anchor="middle" fill="#fff" font-weight="bold">'
                             f'{esc(seg.text)}</text>')
            x += w
        if n < len(ends):
            parts.append(f'<text x="{x + 5:.1f}" y="{y + ROW / 2 + 4:.1f}" '
                         f'fill="#1a1a1a">{esc(ends[n])}</text>')
        y += ROW + GAP
    return _svg(WIDTH, y + 2, title, desc, "".join(parts))


def stacked_columns_grid(title: str, desc: str, row_labels: Sequence[str],
                         column_labels: Sequence[str],
                         cells: Mapping[tuple[int, int], Sequence[Segment]],
                         styles: dict[str, tuple[str, str | None]] | None = None) -> str:
    """Small multiples: one band per row label (a theme), in it one stacked column per column
    label (a month) on one shared scale, so growth over time and across rows compare."""
    styles = styles or SEVERITY_STYLE
    prefix = new_id("p")
    longest = max((len(label) for label in row_labels), default=0)
    label_w = min(max(longest * CHAR + 12, 90), 260)
    band = 58
    slot = (WIDTH - label_w - 16) / max(len(column_labels), 1)
    tallest = max((sum(s.value or 0 for s in segs) for segs in cells.values()), default=0)
    parts: list[str] = [_patterns(styles, prefix)]
    y = 6.0
    for r, label in enumerate(row_labels):
        base = y + band - 6
        parts.append(f'<text x="{label_w:.0f}" y="{base - 4:.1f}" text-anchor="end" '
                     f'fill="#1a1a1a">{esc(_clip(label, int(label_w / CHAR)))}</text>')
        for c in range(len(column_labels)):
            x = label_w + 12 + c * slot + slot * 0.15
            w = min(slot * 0.7, 60)
            top = base
            for seg in cells.get((r, c), ()):
                if not seg.value or tallest <= 0:
                    continue
                h = (band - 10) * float(seg.value) / tallest
                parts.append(f'<rect x="{x:.1f}" y="{top - h + 1:.1f}" width="{w:.1f}" '
                             f'height="{max(h - 1, 0.8):.1f}" '
                             f'fill="{_fill(styles, prefix, seg.key)}"/>')
                top -= h
        parts.append(f'<line x1="{label_w + 8:.0f}" x2="{WIDTH - 4}" y1="{base:.1f}" '
                     f'y2="{base:.1f}" stroke="#4d4d4d"/>')
        y += band
    for c, label in enumerate(column_labels):
        x = label_w + 12 + c * slot + slot * 0.15 + min(slot * 0.7, 60) / 2
        parts.append(f'<text x="{x:.1f}" y="{y + 12:.1f}" text-anchor="middle" '
                     f'fill="#1a1a1a">{esc(_clip(label, int(slot / CHAR * 1.3)))}</text>')
    return _svg(WIDTH, y + 20, title, desc, "".join(parts))


def columns(title: str, desc: str, bars: Sequence[tuple[str, Bar, str]],
            marker: tuple[int, str] | None = None, axis: str = "") -> str:
    """Vertical bars (a distribution): (label under the bar, bar, series key) each; `marker`
    draws a dashed line before bar number i with a text (the deadline); `axis` names the
    horizontal axis."""
    prefix = new_id("p")
    height, base, top_pad = 268, 200, 22
    n = max(len(bars), 1)
    left = 10
    slot = (WIDTH - left - 10) / n
    top = max((b.value or 0 for _, b, _ in bars), default=0)
    keys = {key for _, _, key in bars}
    parts: list[str] = [_patterns({k: SERIES[k] for k in keys}, prefix)]
    for i, (label, bar, key) in enumerate(bars):
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        h = 0.0
        if bar.value and top > 0:
            h = max((base - top_pad) * float(bar.value) / top, 1.5)
            parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" '
                         f'height="{h:.1f}" fill="{_fill(SERIES, prefix, key)}"/>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{base - h - 5:.1f}" text-anchor="middle" '
                     f'fill="#1a1a1a">{esc(bar.text)}</text>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{base + 17:.1f}" text-anchor="middle" '
                     f'fill="#1a1a1a">{esc(_clip(label, int(slot / CHAR * 1.2)))}</text>')
    parts.append(f'<line x1="{left}" x2="{WIDTH - 10}" y1="{base}" y2="{base}" '
                 f'stroke="#4d4d4d"/>')
    if marker is not None:
        i, text = marker
        mx = left + i * slot
        parts.append(f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="8" y2="{base + 24}" '
                     f'stroke="#1a1a1a" stroke-dasharray="5 3" stroke-width="1.5"/>')
        anchor = "end" if mx > WIDTH / 2 else "start"
        dx = -5 if anchor == "end" else 5
        parts.append(f'<text x="{mx + dx:.1f}" y="{base + 40}" text-anchor="{anchor}" '
                     f'fill="#1a1a1a" font-weight="bold">{esc(text)}</text>')
    if axis:
        parts.append(f'<text x="{left}" y="{base + 60}" fill="#1a1a1a">{esc(axis)}</text>')
    return _svg(WIDTH, height, title, desc, "".join(parts))


def bar_grid(title: str, desc: str, headers: Sequence[str], rows: Sequence[Group],
             scale_max: float = 1.0) -> str:
    """One row per group and one column per measure, each cell a bar with its figure: several
    shares side by side without a legend to decode (the column heading names the measure)."""
    prefix = new_id("p")
    keys = tuple(SERIES)[: len(headers)]
    longest = max((len(g.label) for g in rows), default=0)
    label_w = min(max(longest * CHAR + 12, 90), 370)
    col_w = 200.0  # a share's bar and its figure; the chart grows with the measures
    width = label_w + 10 + col_w * max(len(headers), 1)
    head_h = 40
    parts: list[str] = [_patterns({k: SERIES[k] for k in keys}, prefix)]
    for i, header in enumerate(headers):
        x = label_w + 10 + i * col_w
        words = header.split(" ")
        half = (len(words) + 1) // 2
        lines = [" ".join(words[:half]), " ".join(words[half:])] if len(header) > col_w / CHAR \
            else [header]
        for j, line in enumerate(lines):
            parts.append(f'<text x="{x:.1f}" y="{14 + j * 15}" font-weight="bold" '
                         f'fill="#1a1a1a">{esc(line)}</text>')
    y = float(head_h)
    for g in rows:
        parts.append(f'<text x="{label_w:.0f}" y="{y + ROW / 2 + 4:.1f}" text-anchor="end" '
                     f'fill="#1a1a1a">{esc(_clip(g.label, int(label_w / CHAR)))}</text>')
        for i, bar in enumerate(g.bars):
            x = label_w + 10 + i * col_w
            room = col_w - 70
            length = 0.0
            if bar.value is not None and scale_max > 0:
                length = max(room * min(float(bar.value) / scale_max, 1.0),
                             1.5 if bar.value else 0)
                parts.append(f'<rect x="{x:.1f}" y="{y + 2:.1f}" width="{length:.1f}" '
                             f'height="{ROW - 5}" fill="{_fill(SERIES, prefix, keys[i])}"/>')
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y:.1f}" y2="{y + ROW:.1f}" '
                         f'stroke="#4d4d4d"/>')
            parts.append(f'<text x="{x + length + 4:.1f}" y="{y + ROW / 2 + 4:.1f}" '
                         f'fill="#1a1a1a">{esc(bar.text)}</text>')
        y += ROW + 2
    return _svg(width, y + 4, title, desc, "".join(parts))


def stacked_cells(title: str, desc: str, row_labels: Sequence[str],
                  column_labels: Sequence[str],
                  cells: Mapping[tuple[int, int], Sequence[Segment]],
                  styles: dict[str, tuple[str, str | None]] | None = None) -> str:
    """Few columns (months): one row per row label (a theme), one horizontal stacked bar per
    column in it, all on one scale, figures written where they fit."""
    styles = styles or SEVERITY_STYLE
    prefix = new_id("p")
    longest = max((len(label) for label in row_labels), default=0)
    label_w = min(max(longest * CHAR + 12, 90), 260)
    col_w = (WIDTH - label_w - 10) / max(len(column_labels), 1)
    room = col_w - 14
    widest = max((sum(s.value or 0 for s in segs) for segs in cells.values()), default=0)
    parts: list[str] = [_patterns(styles, prefix)]
    for c, label in enumerate(column_labels):
        parts.append(f'<text x="{label_w + 10 + c * col_w:.1f}" y="16" font-weight="bold" '
                     f'fill="#1a1a1a">{esc(label)}</text>')
    y = 26.0
    for r, label in enumerate(row_labels):
        parts.append(f'<text x="{label_w:.0f}" y="{y + ROW / 2 + 4:.1f}" text-anchor="end" '
                     f'fill="#1a1a1a">{esc(_clip(label, int(label_w / CHAR)))}</text>')
        for c in range(len(column_labels)):
            x = label_w + 10 + c * col_w
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y:.1f}" y2="{y + ROW:.1f}" '
                         f'stroke="#4d4d4d"/>')
            for seg in cells.get((r, c), ()):
                if not seg.value or widest <= 0:
                    continue
                w = room * float(seg.value) / widest
                parts.append(f'<rect x="{x + 1:.1f}" y="{y + 2:.1f}" width="{max(w - 1.5, 1):.1f}" '
                             f'height="{ROW - 4}" fill="{_fill(styles, prefix, seg.key)}"/>')
                box = len(seg.text) * CHAR + 8
                if w >= box + 4:
                    parts.append(f'<rect x="{x + (w - box) / 2:.1f}" y="{y + 5:.1f}" '
                                 f'width="{box:.1f}" height="{ROW - 10}" rx="3" '
                                 f'fill="{styles[seg.key][0]}"/>'
                                 f'<text x="{x + w / 2:.1f}" y="{y + ROW / 2 + 4:.1f}" '
                                 f'text-anchor="middle" fill="#fff" font-weight="bold">'
                                 f'{esc(seg.text)}</text>')
                x += w
        y += ROW + GAP
    return _svg(WIDTH, y + 2, title, desc, "".join(parts))

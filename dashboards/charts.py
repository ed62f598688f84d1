"""Inline SVG charts, drawn from figures the chart queries return; no chart library.

A chart only places what it is given: bar lengths are the given values on a scale, labels are
texts the caller formatted. It never adds, divides or rounds figures of its own (placing a
stacked segment after the previous one is geometry, not a figure anybody reads).

Accessibility: each SVG is `role="img"` with a <title> and <desc>; the figures are also in a data
table beside it (dashboards/html.py). Meaning is never colour alone: series differ by pattern
and order too, every bar carries its value as text, and every colour has at least 3:1 contrast
with the white background (WCAG 1.4.11); texts at least 4.5:1.

The pieces every chart shares (styles and patterns, the legend, the <svg> wrapper, Bar, Group,
Segment) are dashboards/svg.py; callers import them from here as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dashboards.html import esc, new_id
from dashboards.svg import (
    CHAR,
    FONT,
    GAP,
    PALETTE,
    ROW,
    SERIES,
    SEVERITY_STYLE,
    WIDTH,
    Bar,
    Group,
    Segment,
    clip,
    fill_of,
    legend,
    pattern_defs,
    styles_for,
    svg_chart,
)

__all__ = [
    "PALETTE",
    "SERIES",
    "SEVERITY_STYLE",
    "Bar",
    "Group",
    "Segment",
    "bar_grid",
    "columns",
    "hbars",
    "legend",
    "stacked_cells",
    "stacked_columns_grid",
    "stacked_rows",
    "styles_for",
]


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
    parts: list[str] = [pattern_defs({k: SERIES[k] for k in series}, prefix)]
    y = 4.0
    for g in groups:
        label_y = y + (len(series) * ROW) / 2 + FONT / 2 - 2
        parts.append(f'<text x="{label_w:.0f}" y="{label_y:.1f}" text-anchor="end" '
                     f'fill="#1a1a1a">{esc(clip(g.label, int(label_w / CHAR)))}</text>')
        for i, bar in enumerate(g.bars):
            by = y + i * ROW + 2
            length = 0.0
            if bar.value is not None and top > 0:
                length = max(bar_w * float(bar.value) / top, 1.5 if bar.value else 0)
                parts.append(f'<rect x="{bar_x:.1f}" y="{by:.1f}" width="{length:.1f}" '
                             f'height="{ROW - 4}" fill="{fill_of(SERIES, prefix, series[i])}"/>')
            parts.append(f'<text x="{bar_x + length + 5:.1f}" y="{by + ROW / 2 + 2.5:.1f}" '
                         f'fill="#1a1a1a">{esc(bar.text)}</text>')
        y += per_group
    parts.append(f'<line x1="{bar_x:.1f}" x2="{bar_x:.1f}" y1="0" y2="{y:.1f}" '
                 f'stroke="#4d4d4d"/>')
    return svg_chart(WIDTH, y + 4, title, desc, "".join(parts))


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
    parts: list[str] = [pattern_defs(styles, prefix)]
    y = 4.0
    for n, (label, segs) in enumerate(rows):
        parts.append(f'<text x="{label_w:.0f}" y="{y + ROW / 2 + 4:.1f}" text-anchor="end" '
                     f'fill="#1a1a1a">{esc(clip(label, int(label_w / CHAR)))}</text>')
        x = bar_x
        for seg in segs:
            if not seg.value or widest <= 0:
                continue
            w = bar_w * float(seg.value) / widest
            parts.append(f'<rect x="{x:.1f}" y="{y + 1:.1f}" width="{max(w - 2, 1):.1f}" '
                         f'height="{ROW - 2}" fill="{fill_of(styles, prefix, seg.key)}"/>')
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
    return svg_chart(WIDTH, y + 2, title, desc, "".join(parts))


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
    parts: list[str] = [pattern_defs(styles, prefix)]
    y = 6.0
    for r, label in enumerate(row_labels):
        base = y + band - 6
        parts.append(f'<text x="{label_w:.0f}" y="{base - 4:.1f}" text-anchor="end" '
                     f'fill="#1a1a1a">{esc(clip(label, int(label_w / CHAR)))}</text>')
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
                             f'fill="{fill_of(styles, prefix, seg.key)}"/>')
                top -= h
        parts.append(f'<line x1="{label_w + 8:.0f}" x2="{WIDTH - 4}" y1="{base:.1f}" '
                     f'y2="{base:.1f}" stroke="#4d4d4d"/>')
        y += band
    for c, label in enumerate(column_labels):
        x = label_w + 12 + c * slot + slot * 0.15 + min(slot * 0.7, 60) / 2
        parts.append(f'<text x="{x:.1f}" y="{y + 12:.1f}" text-anchor="middle" '
                     f'fill="#1a1a1a">{esc(clip(label, int(slot / CHAR * 1.3)))}</text>')
    return svg_chart(WIDTH, y + 20, title, desc, "".join(parts))


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
    parts: list[str] = [pattern_defs({k: SERIES[k] for k in keys}, prefix)]
    for i, (label, bar, key) in enumerate(bars):
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        h = 0.0
        if bar.value and top > 0:
            h = max((base - top_pad) * float(bar.value) / top, 1.5)
            parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" '
                         f'height="{h:.1f}" fill="{fill_of(SERIES, prefix, key)}"/>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{base - h - 5:.1f}" text-anchor="middle" '
                     f'fill="#1a1a1a">{esc(bar.text)}</text>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{base + 17:.1f}" text-anchor="middle" '
                     f'fill="#1a1a1a">{esc(clip(label, int(slot / CHAR * 1.2)))}</text>')
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
    return svg_chart(WIDTH, height, title, desc, "".join(parts))


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
    parts: list[str] = [pattern_defs({k: SERIES[k] for k in keys}, prefix)]
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
                     f'fill="#1a1a1a">{esc(clip(g.label, int(label_w / CHAR)))}</text>')
        for i, bar in enumerate(g.bars):
            x = label_w + 10 + i * col_w
            room = col_w - 70
            length = 0.0
            if bar.value is not None and scale_max > 0:
                length = max(room * min(float(bar.value) / scale_max, 1.0),
                             1.5 if bar.value else 0)
                parts.append(f'<rect x="{x:.1f}" y="{y + 2:.1f}" width="{length:.1f}" '
                             f'height="{ROW - 5}" fill="{fill_of(SERIES, prefix, keys[i])}"/>')
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y:.1f}" y2="{y + ROW:.1f}" '
                         f'stroke="#4d4d4d"/>')
            parts.append(f'<text x="{x + length + 4:.1f}" y="{y + ROW / 2 + 4:.1f}" '
                         f'fill="#1a1a1a">{esc(bar.text)}</text>')
        y += ROW + 2
    return svg_chart(width, y + 4, title, desc, "".join(parts))


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
    parts: list[str] = [pattern_defs(styles, prefix)]
    for c, label in enumerate(column_labels):
        parts.append(f'<text x="{label_w + 10 + c * col_w:.1f}" y="16" font-weight="bold" '
                     f'fill="#1a1a1a">{esc(label)}</text>')
    y = 26.0
    for r, label in enumerate(row_labels):
        parts.append(f'<text x="{label_w:.0f}" y="{y + ROW / 2 + 4:.1f}" text-anchor="end" '
                     f'fill="#1a1a1a">{esc(clip(label, int(label_w / CHAR)))}</text>')
        for c in range(len(column_labels)):
            x = label_w + 10 + c * col_w
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y:.1f}" y2="{y + ROW:.1f}" '
                         f'stroke="#4d4d4d"/>')
            for seg in cells.get((r, c), ()):
                if not seg.value or widest <= 0:
                    continue
                w = room * float(seg.value) / widest
                parts.append(f'<rect x="{x + 1:.1f}" y="{y + 2:.1f}" width="{max(w - 1.5, 1):.1f}" '
                             f'height="{ROW - 4}" fill="{fill_of(styles, prefix, seg.key)}"/>')
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
    return svg_chart(WIDTH, y + 2, title, desc, "".join(parts))

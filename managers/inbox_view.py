"""The inbox as a person reads it at a terminal: in the unit's language, 100 columns wide.

Pure: items in, lines out. One item takes a line of short columns (severity, received, item,
status, next deadline), then, indented below it, its stance and themes and its text, wrapped
to the width and cut with "…" after a few lines. `--wide` keeps the one-line-per-item table of
old (managers/inbox.py: table_rows), whose Finnish is unchanged, for those who pipe it on.

Languages: fi, sv, en, as the clients' surfaces have them. The default is the unit's own
(the organisation registry's `languages`, first that the inbox speaks): a unit that serves in
Swedish (`[sv]`) reads Swedish; a bilingual unit reads its first language. Words for codes
come from schemas/vocabulary.py so they read as on the dashboards and in the digest.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from managers import inbox as ib
from schemas.deadlines import Deadlines
from schemas.vocabulary import SEVERITIES, STANCES, STEPS, THEMES

Lang = Literal["fi", "sv", "en"]
LANGS: tuple[Lang, ...] = ("fi", "sv", "en")
WIDTH = 100
GAP = "  "
INDENT = "    "
TEXT_LINES = 3  # of an item's text; the rest is cut with …
ABOUT_LINES = 2  # of its stance and themes

HEADINGS: dict[Lang, tuple[str, ...]] = {
    "fi": ("vakavuus", "saapui", "kohde", "tila", "määräaika"),
    "sv": ("allvarlighet", "inkommen", "ärende", "status", "tidsfrist"),
    "en": ("severity", "received", "item", "status", "deadline"),
}
DETAIL_HEADING: dict[Lang, str] = {
    "fi": "laatu · teemat / teksti", "sv": "karaktär · teman / text",
    "en": "stance · themes / text",
}
WIDE_HEADINGS: dict[Lang, list[str]] = {
    "fi": ib.TABLE_COLUMNS,
    "sv": ["allvarlighet", "inkommen", "ärende", "status", "teman", "karaktär", "tidsfrist",
           "text"],
    "en": ["severity", "received", "item", "status", "themes", "stance", "deadline", "text"],
}
NEXT_STEP: dict[Lang, dict[str, str]] = {
    "fi": {"acknowledged": "kuittaus", "decided": "päätös", "returned": "palautus"},
    "sv": {"acknowledged": "kvittering", "decided": "beslut", "returned": "återkoppling"},
    "en": {"acknowledged": "acknowledge", "decided": "decide", "returned": "return"},
}
OVERDUE = {"fi": "myöhässä {n} työpv", "sv": "försenad {n} arbetsd.",
           "en": "overdue {n} working d."}
LEFT = {"fi": "{n} työpv jäljellä", "sv": "{n} arbetsd. kvar", "en": "{n} working d. left"}
TODAY = {"fi": "tänään", "sv": "i dag", "en": "today"}
KIND = {"fi": ("avoimet (open)", "kaikki (all)"), "sv": ("öppna", "alla"), "en": ("open", "all")}
SUMMARY = {
    # Finnish with the English beside it, as the other commands speak (and as it read before)
    "fi": "{where}: {kind} {shown}/{total} shown, {routed} routed items on {topic}{note}; "
          "työpv = working days; ! = immediate attention; ? = vakavuus odottaa vahvistusta "
          "(severity awaits confirmation)",
    "sv": "{where}: {kind} {shown}/{total} visas, {routed} styrda ärenden i ämnet "
          "{topic}{note}; arbetsd. = arbetsdagar; ! = kräver omedelbar uppmärksamhet; "
          "? = väntar på bekräftad allvarlighet",
    "en": "{where}: {kind} {shown}/{total} shown, {routed} routed items on {topic}{note}; "
          "working d. = working days; ! = immediate attention; ? = severity awaits "
          "confirmation",
}


def unit_language(languages: Sequence[str]) -> Lang:
    """The unit's first service language that the inbox speaks; Finnish when none is known."""
    for language in languages:
        if language in LANGS:
            return language
    return "fi"


def deadline_words(d: ib.Due | None, lang: Lang) -> str:
    if d is None:
        return "–"
    head = f"{NEXT_STEP[lang][d.next_step]} {d.on:%Y-%m-%d}"
    if d.overdue:
        return f"{head}: {OVERDUE[lang].format(n=-d.working_days_left)}"
    if d.working_days_left == 0:
        return f"{head}: {TODAY[lang]}"
    return f"{head}: {LEFT[lang].format(n=d.working_days_left)}"


@dataclass(frozen=True)
class Row:
    severity: str
    received: str
    item_id: str
    status: str
    deadline: str
    stance: str
    themes: str
    text: str


def rows(items: Iterable[ib.InboxItem], today: date, lang: Lang,
         deadlines: Deadlines = ib.DEFAULTS) -> list[Row]:
    out = []
    for i in items:
        marks = (" !" if i.immediate_attention else "") + (" ?" if i.confirmation_waiting else "")
        out.append(Row(
            severity=SEVERITIES[i.severity][lang] + marks, received=ib.received_text(i.received_at),
            item_id=i.item_id, status=STEPS.get(i.status, {}).get(lang, i.status),
            deadline=deadline_words(ib.due(i, today, deadlines), lang),
            stance=STANCES[i.stance][lang],
            themes=", ".join(THEMES[t][lang] for t in i.themes) or "–",
            text=" ".join(i.text.split()),
        ))
    return out


def wide_rows(items: Iterable[ib.InboxItem], today: date, lang: Lang,
              deadlines: Deadlines = ib.DEFAULTS) -> list[tuple[str, ...]]:
    """The table of old, one line per item; in Finnish exactly as before."""
    listed = list(items)
    if lang == "fi":
        return ib.table_rows(listed, today, deadlines)
    return [(r.severity, r.received, r.item_id, r.status, r.themes, r.stance, r.deadline,
             ib.short(r.text)) for r in rows(listed, today, lang, deadlines)]


def clipped(text: str, width: int, lines: int) -> list[str]:
    """The text wrapped to `width`, at most `lines` lines, the last cut with … when more was
    left."""
    wrapped = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    last = kept[-1]
    kept[-1] = (last if len(last) < width else last[: width - 1]) + "…"
    return kept


def column_widths(headings: Sequence[str], cells: Sequence[Sequence[str]], width: int,
                  fixed: frozenset[int] = frozenset()) -> list[int]:
    """Each column as wide as its widest cell, the widest wrappable one narrowed first until
    the line fits (a column in `fixed`, like the item id a person copies, keeps its width)."""
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headings)]
    room = width - len(GAP) * (len(headings) - 1)
    while sum(widths) > room:
        narrowable = [i for i in range(len(widths)) if i not in fixed and widths[i] > 6]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def fitted(line: str, width: int) -> str:
    """The last guard of the width: whatever is longer is cut with …"""
    return line if len(line) <= width else line[: width - 1] + "…"


def _joined(cells: Sequence[list[str]], widths: Sequence[int], width: int) -> list[str]:
    height = max(len(c) for c in cells)
    return [fitted(GAP.join((c[k] if k < len(c) else "").ljust(w)
                            for c, w in zip(cells, widths, strict=True)).rstrip(), width)
            for k in range(height)]


def _cell_lines(cell: str, width: int) -> list[str]:
    """A cell wrapped to its column; "what: how far" (a deadline) breaks after the colon
    first, so that "myöhässä 23 työpv" stays together."""
    if len(cell) <= width:
        return [cell]
    head, colon, tail = cell.partition(": ")
    parts = [head + ":", tail] if colon else [cell]
    return [line for part in parts
            for line in textwrap.wrap(part, width, break_on_hyphens=False)] or [""]


def render(listed: Sequence[Row], lang: Lang, width: int = WIDTH) -> list[str]:
    """The narrow inbox: the columns of each item's first line wrap within their width; the
    item id is never cut (it is what `kokemusvirta ack ITEM` takes)."""
    headings = HEADINGS[lang]
    firsts = [(r.severity, r.received, r.item_id, r.status, r.deadline) for r in listed]
    widths = column_widths(headings, firsts, width, fixed=frozenset({1, 2}))
    lines = _joined([textwrap.wrap(h, w) for h, w in zip(headings, widths, strict=True)],
                    widths, width)
    lines.append(fitted(INDENT + DETAIL_HEADING[lang], width))
    lines.append(fitted(GAP.join("-" * w for w in widths), width))
    detail = width - len(INDENT)
    for row, first in zip(listed, firsts, strict=True):
        cells = [_cell_lines(c, w) for c, w in zip(first, widths, strict=True)]
        lines += _joined(cells, widths, width)
        lines += [INDENT + part for part in clipped(f"{row.stance} · {row.themes}", detail,
                                                    ABOUT_LINES)]
        lines += [INDENT + part for part in clipped(row.text, detail, TEXT_LINES)]
    return lines


def summary(lang: Lang, where: str, show_all: bool, shown: int, total: int, routed: int,
            topic: str, note: str = "", width: int | None = WIDTH) -> list[str]:
    text = SUMMARY[lang].format(where=where, kind=KIND[lang][1 if show_all else 0],
                                shown=shown, total=total, routed=routed, topic=topic,
                                note=note)
    return [text] if width is None else textwrap.wrap(text, width, break_on_hyphens=False)

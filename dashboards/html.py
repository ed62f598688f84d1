"""Small HTML builders: escaping, the accessible data table behind every chart, sections."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from html import escape

_ids = itertools.count(1)


ECHO_LIMIT = 80  # characters of a reader's value that an error message repeats


def esc(text: object) -> str:
    return escape("" if text is None else str(text), quote=True)


def cut(value: object, limit: int = ECHO_LIMIT) -> str:
    """A value a reader sent, cut to `limit` characters for an error message: a 65 KB filter
    value is not sent back whole (escaping is the page's, esc)."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def echo(value: object, limit: int = ECHO_LIMIT) -> str:
    """`cut`, quoted as Python quotes a string."""
    return repr(cut(value, limit))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def new_id(prefix: str) -> str:
    """An id unique within a process's output. The built file holds every page in three
    languages, so ids must not repeat across pages (axe: duplicate-id)."""
    return f"{prefix}-{next(_ids)}"


Cell = str | tuple[str, str]  # text, or (text, css class) — text is escaped here


def _cell(tag: str, cell: Cell, attrs: str = "") -> str:
    text, cls = cell if isinstance(cell, tuple) else (cell, "")
    klass = f' class="{cls}"' if cls else ""
    return f"<{tag}{attrs}{klass}>{esc(text)}</{tag}>"


def table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]],
          numeric: Sequence[int] = (), row_headers: bool = True) -> str:
    """A data table: a caption, column headers, and the first cell of each row as the row's
    header (screen readers announce it with each figure). Columns in `numeric` align right."""
    def col_class(i: int) -> str:
        return "num" if i in numeric else ""

    head = "".join(_cell("th", (h, col_class(i)), ' scope="col"') for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, c in enumerate(row):
            cell = c if isinstance(c, tuple) else (c, col_class(i))
            if i == 0 and row_headers:
                cells.append(_cell("th", cell, ' scope="row"'))
            else:
                cells.append(_cell("td", cell))
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption_id = new_id("cap")
    return (f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{caption_id}">'
            f'<table><caption id="{caption_id}">{esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def details_table(summary: str, table_html: str) -> str:
    """The figures behind a chart, one click (or Enter) away."""
    return f'<details class="figures"><summary>{esc(summary)}</summary>{table_html}</details>'


def section(title: str, body: str, description: str = "", note: str = "",
            level: int = 2) -> str:
    heading_id = new_id("h")
    desc = f'<p class="desc">{esc(description)}</p>' if description else ""
    foot = f'<p class="note">{esc(note)}</p>' if note else ""
    return (f'<section class="panel" aria-labelledby="{heading_id}">'
            f'<h{level} id="{heading_id}">{esc(title)}</h{level}>{desc}{body}{foot}</section>')


def empty(text: str) -> str:
    return f'<p class="empty">{esc(text)}</p>'

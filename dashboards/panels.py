"""A page's panels rendered with Jinja2 (dashboards/templates/panel.html): a heading, what the
chart shows, the chart (dashboards/page_charts.py, drawn by vl-convert), its downloads, and its
figures in data tables that sort by their column headers. Pure: results in, HTML out.

    View(labels, links, sort, direction)     how a page is being looked at
    Col(column, title, cell, numeric, href)  a table column: the query column it shows and
                                             sorts by, and how a row's cell is written
    panel(view, result, ...) -> str           one chart's panel

The same panels serve the workplace's signed-in `/kojelauta` (links: sorting, downloads, item
links) and the no-login server and built file (links None: nothing points anywhere else).
A table's sort link names its query and column (`sort=rates_by_unit.items`), so sorting one of
a page's tables leaves the others as the query ordered them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup

from dashboards import page_charts, web
from dashboards.html import new_id
from dashboards.labels import Labels
from dashboards.queries import QueryResult

Row = dict[str, Any]
Results = Mapping[str, QueryResult]


@dataclass(frozen=True)
class View:
    labels: Labels
    links: web.Links | None = None
    sort: str | None = None
    direction: str | None = None

    def sorted_by(self, query: str) -> tuple[str | None, str | None]:
        """The column a query's tables are sorted by now, and the direction."""
        name, _, column = (self.sort or "").partition(".")
        if name != query or self.direction not in web.DIRECTIONS:
            return None, None
        return column, self.direction


@dataclass(frozen=True)
class Col:
    column: str                              # the query's column: sorts the table
    title: str
    cell: Callable[[Row], str]
    numeric: bool = False
    href: Callable[[Row], str] | None = None  # a link per row (only where links are given)
    link_label: Callable[[Row], str] | None = None


@dataclass(frozen=True)
class Table:
    caption: str
    cols: Sequence[Col]
    rows: Sequence[tuple[Any, ...]] | None = None  # a part of the result's rows (None: all)
    folded: bool = True                             # behind "Show the figures as a table"
    extra: dict[str, Any] = field(default_factory=dict)


def table_model(view: View, result: QueryResult, table: Table) -> dict[str, Any]:
    part = result if table.rows is None else replace(result, rows=list(table.rows))
    column, direction = view.sorted_by(result.name)
    ordered = web.sort_rows(part, column, direction) if column in result.columns \
        else list(part.rows)
    columns = []
    for col in table.cols:
        now = direction if col.column == column else None
        href = None
        if view.links is not None:
            href = view.links.with_query(sort=f"{result.name}.{col.column}",
                                         dir="desc" if now == "asc" else "asc")
        columns.append({"title": col.title, "numeric": col.numeric, "sorted": now,
                        "href": href})
    rows = []
    for values in ordered:
        row = dict(zip(result.columns, values, strict=True))
        cells = []
        for col in table.cols:
            cell: dict[str, str] = {"text": col.cell(row)}
            if col.href is not None and view.links is not None:
                cell["href"] = col.href(row)
                cell["label"] = col.link_label(row) if col.link_label else cell["text"]
            cells.append(cell)
        rows.append(cells)
    return {"caption": table.caption, "caption_id": new_id("cap"), "columns": columns,
            "rows": rows, "folded": table.folded, "open": column is not None}


def downloads(view: View, name: str, drawn: bool) -> list[dict[str, str]]:
    if view.links is None or view.links.export is None:
        return []
    formats = web.EXPORTS if drawn else ("csv", "xlsx")
    return [{"href": view.links.export(name, f), "text": view.labels.t(f"download_{f}")}
            for f in formats]


def source(labels: Labels, *names: str) -> str:
    return " ".join(labels.t("source_note", name=n) for n in names)


def panel(view: View, result: QueryResult, tables: Sequence[Table], *, title: str,
          desc: str = "", note: str = "", level: int = 2, before: str = "", after: str = "",
          chart: bool = True) -> str:
    """One chart query's panel. `before`/`after`: HTML rendered by a template (key figures,
    cards) around the chart; `chart`: whether the query is drawn (a list is not)."""
    labels = view.labels
    drawing = page_charts.drawing(result, labels) if chart else None
    svg = Markup(drawing.svg()) if drawing is not None else ""  # vl-convert escapes its texts
    empty = not result.rows
    return web.environment().get_template("panel.html").render(
        t=labels.t, title=title, desc=desc, level=level, heading_id=new_id("h"), empty=empty,
        chart=svg, before=Markup(before), after=Markup(after),
        tables=[table_model(view, result, t) for t in tables],
        downloads=downloads(view, result.name, drawing is not None),
        note=note or source(labels, result.name))


def fragment(template: str, labels: Labels, **values: Any) -> str:
    return web.environment().get_template(template).render(t=labels.t, **values)

"""The dashboards' panels for the web (the workplace's `/kojelauta/...`): Jinja2 templates
(dashboards/templates/) over the chart queries' results. Pure: results in, HTML out; the route
glue (kokemusvirta/workplace/dashboards_routes.py) runs the queries under the reader's scope and
wraps the panels in the workplace's page.

    trend_panel(result, labels, picked, links) -> str    the trend chart, comparison, table
    overdue_panel(result, labels, links) -> str          the overdue items, each a link
    sort_rows(result, column, direction) -> rows         a table sorted by a column

Sorting is by links (`?sort=column&dir=asc`), no JavaScript; it orders rows and never changes a
figure. Every item in a list links to its item page, `/asia/<item_id>`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from dashboards import vega
from dashboards.dates import day_text
from dashboards.html import new_id
from dashboards.labels import Labels
from dashboards.queries import CHOICES, QueryResult

TEMPLATES = Path(__file__).with_name("templates")
ITEM_PAGE = "/asia/"
DIRECTIONS = ("asc", "desc")
EXPORTS = ("svg", "png", "csv", "xlsx")


@cache
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(
        default=True, default_for_string=True), trim_blocks=False, lstrip_blocks=False)


@dataclass(frozen=True)
class Links:
    """Where the panel's links go; None (the self-contained file): no sorting, no downloads.
    `path`: the page's own address; `query`: its current query string (filters, choices, lang);
    `export`: makes the download address of a chart in a format."""
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    export: Callable[[str, str], str] | None = None

    def with_query(self, **changes: str) -> str:
        return f"{self.path}?{urlencode({**self.query, **changes})}"


def sort_rows(result: QueryResult, column: str | None,
              direction: str | None) -> list[tuple[Any, ...]]:
    """The rows ordered by a column (NULLs, i.e. suppressed or missing, last either way); an
    unknown column keeps the query's own order."""
    if column not in result.columns:
        return list(result.rows)
    i = result.columns.index(column)
    present = [r for r in result.rows if r[i] is not None]
    missing = [r for r in result.rows if r[i] is None]
    present.sort(key=lambda r: (str(type(r[i])), r[i]), reverse=direction == "desc")
    return present + missing


def _columns(result: QueryResult, shown: Sequence[tuple[str, str, bool]], labels: Labels,
             links: Links | None, sort: str | None, direction: str | None) -> list[dict[str, Any]]:
    cols = []
    for column, key, numeric in shown:
        sorted_now = direction if column == sort and direction in DIRECTIONS else None
        href = None
        if links is not None:
            href = links.with_query(sort=column, dir="desc" if sorted_now == "asc" else "asc")
        cols.append({"title": labels.t(key), "numeric": numeric, "sorted": sorted_now,
                     "href": href})
    return cols


def _downloads(name: str, labels: Labels, links: Links | None,
               formats: Sequence[str]) -> list[dict[str, str]]:
    if links is None or links.export is None:
        return []
    return [{"href": links.export(name, f), "text": labels.t(f"download_{f}")} for f in formats]


def _render(template: str, labels: Labels, **values: Any) -> str:
    return environment().get_template(template).render(t=labels.t, **values)


def _signed(labels: Labels, value: Any, share: bool = False) -> str:
    if value is None:
        return "–"
    if share:
        points = round(float(value) * 100)
        return f"{'+' if points > 0 else ''}{points}"
    text = labels.number(value)
    return f"+{text}" if value > 0 else text


def comparison(result: QueryResult, labels: Labels) -> str:
    """The last period against the one before it, in a sentence (the query's own figures)."""
    rows = result.records()
    if len(rows) < 2:
        return ""
    last = rows[-1]
    return labels.t("comparison_text", period=last["period"],
                    items=labels.number(last["items"], last["suppressed"]),
                    change=_signed(labels, last["items_change"]),
                    previous=labels.number(last["previous_items"]),
                    share=labels.share(last["reached_share"], last["suppressed"]),
                    share_change=_signed(labels, last["reached_share_change"], share=True))


TREND_TABLE = (("period", "period_col", False), ("items", "items_col", True),
               ("reached", "reached_col", True), ("closed_unreached", "closed_unreached_col", True),
               ("still_open", "still_open_col", True),
               ("reached_share", "reached_share_col", True),
               ("items_change", "items_change_col", True))


def trend_panel(result: QueryResult, labels: Labels, picked: Mapping[str, str],
                links: Links | None, sort: str | None = None,
                direction: str | None = None) -> str:
    grain, milestone = picked["grain"], picked["milestone"]
    title = labels.t("trend_title", grain=labels.t(f"grain_{grain}"),
                     milestone=labels.t(f"milestone_{milestone}"))
    records = result.records()
    chart = ""
    if records:
        spec = vega.trend_spec(records, labels, grain, milestone)
        # the SVG is vl-convert's (it escapes every text it draws) with our escaped title
        chart = Markup(vega.svg(spec, title, labels.t("trend_desc")))

    def cell(row: Mapping[str, Any], column: str) -> dict[str, str]:
        value = row[column]
        if column == "period":
            return {"text": str(value)}
        if column == "reached_share":
            return {"text": labels.share(value, row["suppressed"])}
        if column == "items_change":
            return {"text": _signed(labels, value)}
        return {"text": labels.number(value, row["suppressed"])}

    rows = [dict(zip(result.columns, r, strict=True))
            for r in sort_rows(result, sort, direction)]
    table = {"caption": title, "caption_id": new_id("cap"),
             "columns": _columns(result, TREND_TABLE, labels, links, sort, direction),
             "rows": [[cell(r, c) for c, _, _ in TREND_TABLE] for r in rows]}
    choose = None
    if links is not None:
        hidden = [(k, v) for k, v in links.query.items() if k not in CHOICES
                  and k not in ("sort", "dir", "period_start", "period_end")]
        choose = {"action": links.path, "hidden": hidden,
                  "period_start": links.query.get("period_start", ""),
                  "period_end": links.query.get("period_end", ""),
                  "grains": [{"value": g, "text": labels.t(f"grain_{g}"), "selected": g == grain}
                             for g in CHOICES["grain"]],
                  "milestones": [{"value": m, "text": labels.t(f"milestone_{m}"),
                                  "selected": m == milestone} for m in CHOICES["milestone"]]}
    ids = {k: new_id(k.replace("_", "-")) for k in ("heading", "grain", "milestone", "comparison",
                                                    "period_start", "period_end")}
    return _render("trend.html", labels, title=title, ids=ids, chart=chart, empty=not records,
                   comparison=comparison(result, labels), table=table, choose=choose,
                   downloads=_downloads("trend", labels, links, EXPORTS))


OVERDUE_TABLE = (("item_id", "item_id", False), ("unit", "unit", False),
                 ("deadline", "deadline_col", False), ("due_date", "due_date", True),
                 ("working_days_overdue", "late_wd", True), ("severity", "severity", False),
                 ("theme", "themes", False))


def item_href(item_id: str) -> str:
    return ITEM_PAGE + quote(item_id, safe="")


def overdue_panel(result: QueryResult, labels: Labels, links: Links | None,
                  sort: str | None = None, direction: str | None = None) -> str:
    def cell(row: Mapping[str, Any], column: str) -> dict[str, str]:
        value = row[column]
        if column == "item_id":
            if links is None:  # the no-login server and the built file have no item pages
                return {"text": str(value)}
            return {"text": str(value), "href": item_href(str(value)),
                    "label": labels.t("open_item", item=value)}
        if column == "unit":
            return {"text": labels.org(value) if value else labels.t("unknown")}
        if column == "deadline":
            return {"text": labels.code("deadline", value)}
        if column == "due_date":
            return {"text": day_text(value)}
        if column == "working_days_overdue":
            return {"text": labels.number(value)}
        if column == "severity":
            return {"text": labels.code("severity", value)}
        return {"text": labels.code("theme", value) if value else labels.t("none_theme")}

    rows = [dict(zip(result.columns, r, strict=True))
            for r in sort_rows(result, sort, direction)]
    title = labels.t("overdue_list_title")
    table = {"caption": title, "caption_id": new_id("cap"),
             "columns": _columns(result, OVERDUE_TABLE, labels, links, sort, direction),
             "rows": [[cell(r, c) for c, _, _ in OVERDUE_TABLE] for r in rows]}
    return _render("overdue_list.html", labels, title=title, ids={"heading": new_id("h")},
                   empty=not rows, table=table,
                   downloads=_downloads("overdue_items_list", labels, links, ("csv", "xlsx")))


THEMES_TABLE = (("theme", "theme", False), ("month", "month", False),
                ("severity", "severity", False), ("items", "items_col", True))


def themes_panel(result: QueryResult, labels: Labels, links: Links | None,
                 sort: str | None = None, direction: str | None = None) -> str:
    """Themes by month and severity: small multiples drawn by vl-convert, counts on the bars."""
    title = labels.t("themes_title")
    records = result.records()
    chart = ""
    if any(r["items"] is not None for r in records):
        spec = vega.themes_spec(records, labels)
        # the SVG is vl-convert's (it escapes every text it draws) with our escaped title
        chart = Markup(vega.svg(spec, title, labels.t("themes_desc"), vega.SEVERITY_SERIES))

    def cell(row: Mapping[str, Any], column: str) -> dict[str, str]:
        value = row[column]
        if column == "theme":
            return {"text": labels.code("theme", value) if value else labels.t("none_theme")}
        if column == "month":
            return {"text": labels.month(value)}
        if column == "severity":
            return {"text": labels.code("severity", value)}
        return {"text": labels.number(value, row["suppressed"])}

    rows = [dict(zip(result.columns, r, strict=True))
            for r in sort_rows(result, sort, direction)]
    table = {"caption": title, "caption_id": new_id("cap"),
             "columns": _columns(result, THEMES_TABLE, labels, links, sort, direction),
             "rows": [[cell(r, c) for c, _, _ in THEMES_TABLE] for r in rows]}
    return _render("chart_panel.html", labels, title=title, desc=labels.t("themes_desc"),
                   ids={"heading": new_id("h")}, chart=chart, empty=not records, table=table,
                   query=result.name,
                   downloads=_downloads(result.name, labels, links, EXPORTS))

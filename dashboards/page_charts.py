"""Which chart draws which query, in the reader's words: one chart (one image) per chart query,
so that the page, the SVG and the PNG download are the same picture. Pure: a query's result
and the labels in, a Drawing (a Vega-Lite specification, its title, description and series)
out; dashboards/vega.py draws it.

    drawing(result, labels) -> Drawing | None     None: nothing to draw (no rows, or no query)
    DRAWN: the queries drawn here (the trend and themes charts are vega.py's own)

A chart draws only what its query returned: figures, shares and suppression ("alle 5") come
from the row as they are, never computed here.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from dashboards import vega
from dashboards.labels import Labels
from dashboards.queries import QueryResult
from dashboards.vega_kinds import (
    ALERT,
    Bar,
    Chart,
    columns,
    finish,
    grouped,
    hbars,
    series_for,
    stacked,
    subtitle,
    vconcat,
)

Row = dict[str, Any]
DEADLINES = ("acknowledge", "decide_or_answer", "return_after_decision", "reply_to_client")
OUTCOMES = ("adopted", "partly", "already_under_way", "no_action_needed", "rejected")
FORUM_TYPES = ("structural", "pop_up", "digital")
UNITS_IN_CHART = 15  # the units with most overdue items; the table has them all
RATE_MEASURES = (("reached_leadership_share", "reached_leadership_share", "suppressed"),
                 ("returned_share", "returned_share", "suppressed"),
                 ("replied_share_of_requested", "replied_share", "reply_suppressed"))


@dataclass(frozen=True)
class Drawing:
    spec: dict[str, Any]
    title: str
    desc: str
    series: tuple[vega.Series, ...] = ()

    def svg(self) -> str:
        return vega.svg(self.spec, self.title, self.desc, self.series)


def _done(chart: Chart | alt.VConcatChart, title: str, desc: str, labels: Labels,
          named: Sequence[tuple[vega.Series, str]] = ()) -> Drawing:
    return Drawing(finish(chart, title, desc, labels.lang), title, desc,
                   tuple(s for s, _ in named))


def count(labels: Labels, row: Row, column: str, flag: str = "suppressed") -> str:
    return labels.number(row.get(column), suppressed=bool(row.get(flag)))


def share(labels: Labels, row: Row, column: str, flag: str = "suppressed") -> str:
    return labels.share(row.get(column), suppressed=bool(row.get(flag)))


def theme_name(labels: Labels, code: object) -> str:
    return labels.code("theme", code) if code else labels.t("none_theme")


def unit_name(labels: Labels, row: Row) -> str:
    if row.get("unit") is None:
        return f"{labels.org(row.get('service_area'))} {labels.t('no_unit')}"
    return labels.org(row["unit"])


def dimension_label(labels: Labels, dimension: str, row: Row) -> str:
    value = row["dimension_value"]
    if dimension in ("county", "service_area"):
        return labels.org(value)
    if dimension == "unit":
        return unit_name(labels, {**row, "unit": value})
    if dimension == "theme":
        return theme_name(labels, value)
    if dimension == "channel":
        return labels.code("channel", value) if value else labels.t("no_channel")
    if dimension == "month":
        return labels.month(value)
    return str(value)


def deadline_name(labels: Labels, row: Row) -> str:
    return (f"{labels.code('deadline', row['deadline'])} "
            f"({labels.deadline(row['deadline_amount'], row['deadline_unit'])})")


def _named(labels: Labels, kind: str, codes: Sequence[str]) -> list[tuple[vega.Series, str]]:
    return [(s, labels.code(kind, s.column)) for s in series_for(codes)]


def _unique(names: list[str]) -> list[str]:
    """Row labels as the chart's axis needs them: two rows never share one (two units of the
    same name in different areas get a counter)."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


# --- the flow ------------------------------------------------------------------------------

def funnel(rows: list[Row], labels: Labels) -> Drawing:
    bars = []
    for r in rows:
        text = count(labels, r, "items")
        if r["share_of_received"] is not None and r["stage"] != "received":
            text += f" ({labels.share(r['share_of_received'])})"
        bars.append(Bar(labels.code("stage", r["stage"]), r["items"], text))
    title, desc = labels.t("funnel_title"), labels.t("funnel_desc")
    return _done(hbars(bars, labels.t("items_col")), title, desc, labels)


def _rates(dimension: str) -> Callable[[list[Row], Labels], Drawing]:
    def draw(rows: list[Row], labels: Labels) -> Drawing:
        named = [(s, labels.t(key)) for s, (_, key, _) in
                 zip(series_for([m for m, _, _ in RATE_MEASURES]), RATE_MEASURES, strict=True)]
        names = _unique([dimension_label(labels, dimension, r) for r in rows])
        bars = [(Bar(name, r[column], share(labels, r, column, flag)), part)
                for name, r in zip(names, rows, strict=True)
                for (column, _, flag), (_, part) in zip(RATE_MEASURES, named, strict=True)]
        title = labels.t("rates_by", dimension=labels.dimension(dimension))
        desc = labels.t("rates_desc")
        chart = grouped(bars, named, labels.t("share_col"))
        return _done(chart, title, desc, labels, named)
    return draw


def lead_time_summary(rows: list[Row], labels: Labels) -> Drawing:
    bars = [Bar(labels.code("measure", r["measure"]), r["within_deadline_share"],
                share(labels, r, "within_deadline_share") if r["deadline"]
                else labels.t("no_deadline")) for r in rows]
    title, desc = labels.t("lead_summary_title"), labels.t("lead_summary_desc")
    chart = hbars(bars, labels.t("within_deadline"), share=True)
    return _done(chart, title, desc, labels)


def lead_time_distribution(rows: list[Row], labels: Labels) -> Drawing:
    by_measure: dict[str, list[Row]] = {}
    for r in rows:
        by_measure.setdefault(r["measure"], []).append(r)
    within, beyond = series_for(("within", "beyond"))
    named = [(within, labels.t("within_deadline")), (beyond, labels.t("beyond_deadline"))]
    charts = []
    for measure, mine in by_measure.items():
        unit = mine[0]["day_unit"] or "working_days"
        deadline = labels.deadline(mine[0]["deadline_amount"], unit)
        if mine[0]["deadline_amount"] is not None:
            deadline = f"{labels.t('deadline_col').lower()} {deadline}"
        heading = f"{labels.code('measure', measure)} ({deadline})"
        bars = [(Bar(str(r["bucket"]), r["items"], count(labels, r, "items")),
                 named[1 if r["beyond_deadline"] else 0][1]) for r in mine]
        charts.append(columns(bars, named, f"{labels.t('bucket_col')} ({labels.t(unit)})",
                              labels.t("items_col"), heading))
    title, desc = labels.t("distributions_title"), labels.t("distribution_desc")
    return _done(vconcat(charts), title, desc, labels, named)


def overdue_by_deadline(rows: list[Row], labels: Labels) -> Drawing:
    bars = []
    for r in rows:
        text = count(labels, r, "items")
        if r["max_working_days_overdue"] is not None:
            text += f" ({labels.t('at_most', n=labels.number(r['max_working_days_overdue']))})"
        bars.append(Bar(deadline_name(labels, r), r["items"], text))
    title, desc = labels.t("overdue_by_deadline_title"), labels.t("overdue_by_deadline_desc")
    chart = hbars(bars, labels.t("overdue_items"), colour=ALERT)
    return _done(chart, title, desc, labels)


def overdue_by_unit(rows: list[Row], labels: Labels) -> Drawing:
    named = _named(labels, "deadline", DEADLINES)
    units: dict[tuple[str, str, str | None], list[Row]] = {}
    for r in rows:
        if r["unit_rank"] <= UNITS_IN_CHART:
            units.setdefault((r["county"], r["service_area"], r["unit"]), []).append(r)
    names = _unique([unit_name(labels, rs[0]) for rs in units.values()])
    segments = [(name, labels.code("deadline", r["deadline"]), r["items"])
                for name, rs in zip(names, units.values(), strict=True) for r in rs]
    ends = [Bar(name, rs[0]["unit_items"],
                labels.number(rs[0]["unit_items"], suppressed=rs[0]["unit_items"] is None))
            for name, rs in zip(names, units.values(), strict=True)]
    title, desc = labels.t("overdue_by_unit_title"), labels.t("overdue_by_unit_desc")
    chart = stacked(segments, ends, named, labels.t("overdue_items"), labels.t("deadline_col"))
    return _done(chart, title, desc, labels, named)


# --- people and outcomes -------------------------------------------------------------------

def participation_workshops(rows: list[Row], labels: Labels) -> Drawing:
    named = _named(labels, "forum_type", FORUM_TYPES)
    months = list(dict.fromkeys(r["month"] for r in rows))
    segments = [(labels.month(r["month"]), labels.code("forum_type", r["forum_type"]),
                 r["workshops"]) for r in rows]
    ends = [Bar(labels.month(m), sum(r["workshops"] or 0 for r in rows if r["month"] == m), "")
            for m in months]
    title, desc = labels.t("workshops_title"), labels.t("workshops_desc")
    chart = stacked(segments, ends, named, labels.t("workshops_n"), labels.t("forum_type"))
    return _done(chart, title, desc, labels, named)


ROLE_KINDS = (("workshop_participants", "roles_title", "participants", "participant_role"),
              ("statement_authors", "authors_title", "statements", "author_role"))


def participation_roles(rows: list[Row], labels: Labels) -> Drawing | None:
    charts = []
    for kind, title_key, value, codes in ROLE_KINDS:
        mine = [r for r in rows if r["kind"] == kind]
        if mine:
            bars = [Bar(labels.code(codes, r["role"]), r[value], count(labels, r, value))
                    for r in mine]
            charts.append(subtitle(hbars(bars, labels.t(f"{value}_n"), colour="#2d7a3e"),
                                   labels.t(title_key)))
    if not charts:
        return None
    title = f"{labels.t('roles_title')} · {labels.t('authors_title')}"
    desc = f"{labels.t('roles_desc')} {labels.t('authors_desc')}"
    return _done(vconcat(charts), title, desc, labels)


def participation_outcomes(rows: list[Row], labels: Labels) -> Drawing | None:
    charts = []
    for family in ("workshop_output", "expert_statement"):
        mine = [r for r in rows if r["rollup"] and r["source_family"] == family]
        if mine:
            bars = [Bar(labels.code("outcome_status", r["outcome"]), r["items"],
                        count(labels, r, "items")) for r in mine]
            charts.append(subtitle(hbars(bars, labels.t("items_col"), colour="#6b4a9b"),
                                   labels.code("source_family_plural", family)))
    if not charts:
        return None
    title, desc = labels.t("outcomes_title"), labels.t("outcomes_desc")
    return _done(vconcat(charts), title, desc, labels)


def you_said_we_did(rows: list[Row], labels: Labels) -> Drawing:
    named = _named(labels, "outcome", OUTCOMES)
    names = _unique([theme_name(labels, r["theme"]) for r in rows])
    segments = [(name, labels.code("outcome", o), r[o])
                for name, r in zip(names, rows, strict=True) for o in OUTCOMES]
    ends = [Bar(name, r["decided"],
                f"{count(labels, r, 'decided')} {labels.t('ysaid_decided').lower()}")
            for name, r in zip(names, rows, strict=True)]
    title, desc = labels.t("ysaid_chart"), labels.t("ysaid_chart_desc")
    chart = stacked(segments, ends, named, labels.t("ysaid_decided"), labels.t("outcome_col"))
    return _done(chart, title, desc, labels, named)


DRAWN: dict[str, Callable[[list[Row], Labels], Drawing | None]] = {
    "funnel": funnel,
    **{f"rates_by_{d}": _rates(d)
       for d in ("county", "service_area", "unit", "theme", "channel", "month")},
    "lead_time_summary": lead_time_summary,
    "lead_time_distribution": lead_time_distribution,
    "overdue_by_deadline": overdue_by_deadline,
    "overdue_by_unit": overdue_by_unit,
    "participation_workshops": participation_workshops,
    "participation_roles": participation_roles,
    "participation_outcomes": participation_outcomes,
    "you_said_we_did": you_said_we_did,
}


# key -> (the registry that named the places, the drawing): the registry is kept alive with
# its drawings, so its id in the key is never another registry's
_kept: OrderedDict[str, tuple[object, Drawing | None]] = OrderedDict()
_kept_lock = threading.Lock()
KEPT = 256  # drawings kept: a few pages' charts in three languages, for a few filters


def drawing(result: QueryResult, labels: Labels) -> Drawing | None:
    """The query's chart, or None when there is nothing to draw. Kept for the same rows in the
    same words: the figures change only with a new snapshot, and building a specification
    with Altair costs about as much as a query, so a page looked at again builds none."""
    draw = DRAWN.get(result.name)
    if draw is None or not result.rows:
        return None
    key = json.dumps([result.name, labels.lang, id(labels.organisations), result.columns,
                      result.rows], default=str)
    with _kept_lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key][1]
    drawn = draw(result.records(), labels)
    with _kept_lock:
        _kept[key] = (labels.organisations, drawn)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return drawn


def clear() -> None:
    """Forget the kept drawings (a benchmark times a first view)."""
    with _kept_lock:
        _kept.clear()


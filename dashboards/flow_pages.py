"""Pages about the flow: Kulku (the funnel), Tavoittavuus ja palautus (reach and return rates),
Läpimenoajat (lead times), Myöhässä (overdue). Pure: query results in, HTML out.

Every figure shown is a column of a chart query's row, formatted for reading; where the query
says `suppressed`, the figure is written "alle 5" (groups under five could identify a person).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboards.charts import (
    Bar,
    Group,
    Segment,
    bar_grid,
    columns,
    hbars,
    legend,
    stacked_rows,
    styles_for,
)
from dashboards.dates import day_text
from dashboards.filters import Filters
from dashboards.html import details_table, empty, esc, section, table
from dashboards.labels import Labels
from dashboards.queries import QueryResult

Results = Mapping[str, QueryResult]
Row = dict[str, Any]


def _suppressed(row: Row, key: str = "suppressed") -> bool:
    return bool(row.get(key))


def _count(labels: Labels, row: Row, column: str, flag: str = "suppressed") -> str:
    return labels.number(row.get(column), suppressed=_suppressed(row, flag))


def _share(labels: Labels, row: Row, column: str, flag: str = "suppressed") -> str:
    return labels.share(row.get(column), suppressed=_suppressed(row, flag))


def _source(labels: Labels, *names: str) -> str:
    return " ".join(labels.t("source_note", name=n) for n in names)


# --- 1 Kulku ---------------------------------------------------------------------------------

def kulku(results: Results, labels: Labels, filters: Filters) -> str:
    rows = results["funnel"].records()
    if not rows or all(r["items"] in (None, 0) and not r["suppressed"] for r in rows):
        return section(labels.t("funnel_title"), empty(labels.t("no_data")))
    cards = []
    for r in rows:
        if r["stage"] in ("received", "reached_leadership", "returned"):
            share = "" if r["stage"] == "received" else \
                f' <span class="share">({_share(labels, r, "share_of_received")})</span>'
            cards.append(f'<li><span class="figure">{esc(_count(labels, r, "items"))}</span>'
                         f'{esc(labels.code("stage", r["stage"]))}{share}</li>')
    groups = []
    for r in rows:
        text = _count(labels, r, "items")
        if r["share_of_received"] is not None and r["stage"] != "received":
            text += f" ({labels.share(r['share_of_received'])})"
        groups.append(Group(labels.code("stage", r["stage"]), (Bar(r["items"], text),)))
    title = labels.t("funnel_title")
    chart = hbars(title, labels.t("funnel_desc"), groups)
    figures = details_table(labels.t("show_table"), table(
        title, [labels.t("stage"), labels.t("items_col"),
                f"{labels.t('share_col')} {labels.t('of_received')}"],
        [[labels.code("stage", r["stage"]), _count(labels, r, "items"),
          _share(labels, r, "share_of_received")] for r in rows], numeric=(1, 2)))
    note = labels.t("funnel_theme_note") if filters.theme else ""
    return (f'<ul class="kpis">{"".join(cards)}</ul>'
            + section(title, chart + figures, labels.t("funnel_desc"),
                      " ".join(x for x in (note, _source(labels, "funnel")) if x)))


# --- 2 Tavoittavuus ja palautus ----------------------------------------------------------------

def _dimension_label(labels: Labels, dimension: str, row: Row) -> str:
    value = row["dimension_value"]
    if dimension in ("county", "service_area"):
        return labels.org(value)
    if dimension == "unit":
        if value is None:
            return f"{labels.org(row.get('service_area'))} {labels.t('no_unit')}"
        return labels.org(value)
    if dimension == "theme":
        return labels.code("theme", value) if value else labels.t("none_theme")
    if dimension == "channel":
        return labels.code("channel", value) if value else labels.t("no_channel")
    if dimension == "month":
        return labels.month(value)
    return str(value)


def _rates_panel(labels: Labels, dimension: str, result: QueryResult) -> str:
    title = labels.t("rates_by", dimension=labels.dimension(dimension))
    rows = result.records()
    if not rows:
        return section(title, empty(labels.t("no_data")))
    headers = [labels.t("reached_leadership_share"), labels.t("returned_share"),
               labels.t("replied_share")]
    groups = [Group(_dimension_label(labels, dimension, r), (
        Bar(r["reached_leadership_share"], _share(labels, r, "reached_leadership_share")),
        Bar(r["returned_share"], _share(labels, r, "returned_share")),
        Bar(r["replied_share_of_requested"],
            _share(labels, r, "replied_share_of_requested", "reply_suppressed")),
    )) for r in rows]
    chart = bar_grid(title, labels.t("rates_desc"), headers, groups)
    figures = details_table(labels.t("show_table"), table(
        title,
        [labels.t("dimension_col"), labels.t("items_col"), labels.t("reached_leadership_n"),
         labels.t("reached_leadership_share"), labels.t("returned_n"),
         labels.t("returned_share"), labels.t("reply_requested_n"), labels.t("replied_n"),
         labels.t("replied_share"), labels.t("delivered_n")],
        [[_dimension_label(labels, dimension, r), _count(labels, r, "items"),
          _count(labels, r, "reached_leadership"), _share(labels, r, "reached_leadership_share"),
          _count(labels, r, "returned"), _share(labels, r, "returned_share"),
          _count(labels, r, "reply_requested", "reply_suppressed"),
          _count(labels, r, "replied_to_client", "reply_suppressed"),
          _share(labels, r, "replied_share_of_requested", "reply_suppressed"),
          _count(labels, r, "delivered_to_client", "reply_suppressed")] for r in rows],
        numeric=tuple(range(1, 10))))
    return section(title, chart + figures, labels.t("rates_desc"),
                   _source(labels, result.name))


def tavoittavuus(results: Results, labels: Labels, filters: Filters) -> str:
    return "".join(_rates_panel(labels, name.removeprefix("rates_by_"), result)
                   for name, result in results.items())


# --- 3 Läpimenoajat --------------------------------------------------------------------------

def _in_deadline_unit(labels: Labels, r: Row, which: str) -> str:
    """The median or 90th percentile in the unit its deadline counts in (calendar days for a
    30-day deadline, working days for the 3-working-day one); both are in the table."""
    unit = r["deadline_unit"] or "working_days"
    column = f"{which}_days" if unit == "calendar_days" else f"{which}_working_days"
    if r[column] is None:
        return labels.number(None, r["suppressed"])
    return labels.days(r[column], unit)


def _summary_panel(labels: Labels, result: QueryResult) -> str:
    rows = result.records()
    title = labels.t("lead_summary_title")
    headers = [labels.t("within_deadline")]
    groups = [Group(labels.code("measure", r["measure"]),
                    (Bar(r["within_deadline_share"],
                         _share(labels, r, "within_deadline_share") if r["deadline"]
                         else labels.t("no_deadline")),))
              for r in rows]
    chart = bar_grid(title, labels.t("lead_summary_desc"), headers, groups)
    cards = table(title, [labels.t("measure_col"), labels.t("items_col"), labels.t("median"),
                          labels.t("p90"), labels.t("deadline_col"), labels.t("within_deadline")],
                  [[labels.code("measure", r["measure"]), _count(labels, r, "items"),
                    _in_deadline_unit(labels, r, "median"), _in_deadline_unit(labels, r, "p90"),
                    labels.deadline(r["deadline_amount"], r["deadline_unit"]),
                    _share(labels, r, "within_deadline_share") if r["deadline"] else "–"]
                   for r in rows], numeric=(1, 2, 3, 5))
    figures = details_table(labels.t("show_table"), table(
        title, [labels.t("measure_col"), labels.t("median_wd"), labels.t("p90_wd"),
                labels.t("median_d"), labels.t("p90_d"), labels.t("within_deadline_n")],
        [[labels.code("measure", r["measure"]),
          labels.number(r["median_working_days"], r["suppressed"], digits=1),
          labels.number(r["p90_working_days"], r["suppressed"], digits=1),
          labels.number(r["median_days"], r["suppressed"], digits=1),
          labels.number(r["p90_days"], r["suppressed"], digits=1),
          _count(labels, r, "within_deadline") if r["deadline"] else "–"] for r in rows],
        numeric=(1, 2, 3, 4, 5)))
    return section(title, cards + chart + figures, labels.t("lead_summary_desc"),
                   _source(labels, result.name))


def _distribution_panels(labels: Labels, result: QueryResult) -> str:
    by_measure: dict[str, list[Row]] = {}
    for r in result.records():
        by_measure.setdefault(r["measure"], []).append(r)
    panels = []
    for measure, rows in by_measure.items():
        title = labels.t("distribution_title", measure=labels.code("measure", measure))
        bars = [(str(r["bucket"]), Bar(r["items"], _count(labels, r, "items")),
                 "alert" if r["beyond_deadline"] else "s1") for r in rows]
        first_late = next((i for i, r in enumerate(rows) if r["beyond_deadline"]), None)
        unit = rows[0]["day_unit"] or "working_days"
        deadline = f"{labels.t('deadline_col')} " \
                   f"{labels.deadline(rows[0]['deadline_amount'], unit)}"
        marker = (first_late, deadline) if first_late else None
        axis = f"{labels.t('bucket_col')} ({labels.t(unit)})"
        chart = columns(title, labels.t("distribution_desc"), bars, marker, axis)
        key = legend([("s1", labels.t("within_deadline")), ("alert", labels.t("beyond_deadline"))])
        figures = details_table(labels.t("show_table"), table(
            title, [axis, labels.t("items_col"), labels.t("deadline_col")],
            [[str(r["bucket"]), _count(labels, r, "items"),
              labels.t("beyond_deadline") if r["beyond_deadline"] else labels.t("within_deadline")]
             for r in rows], numeric=(1,)))
        panels.append(section(title, key + chart + figures, labels.t("distribution_desc"),
                              _source(labels, result.name), level=3))
    return "".join(panels)


def lapimenoajat(results: Results, labels: Labels, filters: Filters) -> str:
    out = _summary_panel(labels, results["lead_time_summary"])
    out += section(labels.t("distributions_title"),
                   _distribution_panels(labels, results["lead_time_distribution"]))
    return out


# --- 4 Myöhässä ------------------------------------------------------------------------------

DEADLINES = ("acknowledge", "decide_or_answer", "return_after_decision", "reply_to_client")
UNITS_IN_CHART = 15


def _overdue_by_deadline(labels: Labels, result: QueryResult) -> str:
    rows = result.records()
    title = labels.t("overdue_by_deadline_title")
    groups = []
    for r in rows:
        text = _count(labels, r, "items")
        if r["max_working_days_overdue"] is not None:
            text += f" ({labels.t('at_most', n=labels.number(r['max_working_days_overdue']))})"
        name = f"{labels.code('deadline', r['deadline'])} " \
               f"({labels.deadline(r['deadline_amount'], r['deadline_unit'])})"
        groups.append(Group(name, (Bar(r["items"], text),)))
    chart = hbars(title, labels.t("overdue_by_deadline_desc"), groups, ("alert",))
    figures = details_table(labels.t("show_table"), table(
        title, [labels.t("deadline_col"), labels.t("overdue_items"), labels.t("median_late"),
                labels.t("max_late")],
        [[g.label, _count(labels, r, "items"),
          labels.number(r["median_working_days_overdue"], r["suppressed"], digits=1),
          _count(labels, r, "max_working_days_overdue")] for g, r in zip(groups, rows,
                                                                           strict=True)],
        numeric=(1, 2, 3)))
    return section(title, chart + figures, labels.t("overdue_by_deadline_desc"),
                   _source(labels, result.name))


def _unit_name(labels: Labels, r: Row) -> str:
    if r["unit"] is None:
        return f"{labels.org(r['service_area'])} {labels.t('no_unit')}"
    return labels.org(r["unit"])


def _overdue_by_unit(labels: Labels, result: QueryResult) -> str:
    rows = result.records()
    title = labels.t("overdue_by_unit_title")
    if not rows:
        return section(title, empty(labels.t("no_data")))
    styles = styles_for(DEADLINES)
    units: dict[tuple[str, str, str | None], list[Row]] = {}
    for r in rows:
        units.setdefault((r["county"], r["service_area"], r["unit"]), []).append(r)
    shown = [(key, rs) for key, rs in units.items() if rs[0]["unit_rank"] <= UNITS_IN_CHART]
    bars = [(_unit_name(labels, rs[0]),
             [Segment(r["deadline"], r["items"], labels.number(r["items"])) for r in rs])
            for _, rs in shown]
    ends = [_count(labels, rs[0], "unit_items") for _, rs in shown]
    key = legend([(d, labels.code("deadline", d)) for d in DEADLINES], styles,
                 labels.t("deadline_col"))
    chart = stacked_rows(title, labels.t("overdue_by_unit_desc"), bars, styles, ends)
    figures = details_table(labels.t("show_table"), table(
        title, [labels.t("unit"), labels.t("county"), labels.t("unit_overdue"),
                labels.t("deadline_col"), labels.t("overdue_items")],
        [[_unit_name(labels, r), labels.org(r["county"]),
          labels.number(r["unit_items"], suppressed=r["unit_items"] is None),
          labels.code("deadline", r["deadline"]), _count(labels, r, "items")] for r in rows],
        numeric=(2, 4)))
    return section(title, key + chart + figures, labels.t("overdue_by_unit_desc"),
                   _source(labels, result.name))


def _overdue_list(labels: Labels, result: QueryResult) -> str:
    rows = result.records()
    title = labels.t("overdue_list_title")
    if not rows:
        return section(title, empty(labels.t("no_data")))
    body = table(title, [labels.t("item_id"), labels.t("unit"), labels.t("deadline_col"),
                         labels.t("due_date"), labels.t("late_wd"), labels.t("severity"),
                         labels.t("theme"), labels.t("deadlines_missed")],
                 [[(r["item_id"], "code"), _unit_name(labels, r),
                   labels.code("deadline", r["deadline"]),
                   (day_text(r["due_date"]), "nowrap"),
                   labels.number(r["working_days_overdue"]),
                   labels.code("severity", r["severity"]),
                   labels.code("theme", r["theme"]) if r["theme"] else labels.t("none_theme"),
                   labels.number(r["deadlines_missed"])]
                  for r in rows], numeric=(4, 7))
    return section(title, body, labels.t("overdue_list_desc"), _source(labels, result.name))


def overdue_summary(results: Results, labels: Labels) -> str:
    """The overdue page's two charts without its list (the workplace shows the list with a
    link to each item, dashboards/web.py)."""
    return (_overdue_by_deadline(labels, results["overdue_by_deadline"])
            + _overdue_by_unit(labels, results["overdue_by_unit"]))


def myohassa(results: Results, labels: Labels, filters: Filters) -> str:
    return (_overdue_by_deadline(labels, results["overdue_by_deadline"])
            + _overdue_by_unit(labels, results["overdue_by_unit"])
            + _overdue_list(labels, results["overdue_items_list"]))

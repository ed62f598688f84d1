"""Pages about the flow: Kulku (the funnel), Tavoittavuus ja palautus (reach and return rates),
Läpimenoajat (lead times), Myöhässä (overdue). Pure: query results in, HTML out (Jinja2
templates through dashboards/panels.py; charts dashboards/page_charts.py).

Every figure shown is a column of a chart query's row, formatted for reading; where the query
says `suppressed`, the figure is written "alle 5" (groups under five could identify a person).
"""

from __future__ import annotations

from collections.abc import Mapping

from dashboards import web
from dashboards.filters import Filters
from dashboards.labels import Labels
from dashboards.page_charts import count, deadline_name, dimension_label, share, unit_name
from dashboards.panels import Col, Row, Table, View, fragment, panel
from dashboards.queries import QueryResult

Results = Mapping[str, QueryResult]


# --- 1 Kulku ---------------------------------------------------------------------------------

def kulku(results: Results, view: View, filters: Filters) -> str:
    labels = view.labels
    result = results["funnel"]
    rows = result.records()
    title = labels.t("funnel_title")
    if all(r["items"] in (None, 0) and not r["suppressed"] for r in rows):
        result = QueryResult(result.name, result.columns, [], result.seconds)  # "no data"
    kpis = [{"figure": count(labels, r, "items"), "stage": labels.code("stage", r["stage"]),
             "share": "" if r["stage"] == "received" else share(labels, r, "share_of_received")}
            for r in rows if r["stage"] in ("received", "reached_leadership", "returned")]
    cols = [Col("stage_order", labels.t("stage"), lambda r: labels.code("stage", r["stage"])),
            Col("items", labels.t("items_col"), lambda r: count(labels, r, "items"), True),
            Col("share_of_received", f"{labels.t('share_col')} {labels.t('of_received')}",
                lambda r: share(labels, r, "share_of_received"), True)]
    note = labels.t("funnel_theme_note") if filters.theme else ""
    return panel(view, result, [Table(title, cols)], title=title, desc=labels.t("funnel_desc"),
                 before=fragment("kpis.html", labels, kpis=kpis),
                 note=" ".join(x for x in (note, labels.t("source_note", name="funnel")) if x))


# --- 2 Tavoittavuus ja palautus ----------------------------------------------------------------

def _rates_panel(view: View, dimension: str, result: QueryResult) -> str:
    labels = view.labels
    title = labels.t("rates_by", dimension=labels.dimension(dimension))

    def n(column: str, flag: str = "suppressed") -> Col:
        return Col(column, labels.t(f"{column.removesuffix('_to_client')}_n")
                   if column != "items" else labels.t("items_col"),
                   lambda r: count(labels, r, column, flag), True)

    def s(column: str, key: str, flag: str = "suppressed") -> Col:
        return Col(column, labels.t(key), lambda r: share(labels, r, column, flag), True)

    cols = [Col("dimension_value", labels.t("dimension_col"),
                lambda r: dimension_label(labels, dimension, r)),
            n("items"), n("reached_leadership"),
            s("reached_leadership_share", "reached_leadership_share"),
            n("returned"), s("returned_share", "returned_share"),
            n("reply_requested", "reply_suppressed"), n("replied_to_client", "reply_suppressed"),
            s("replied_share_of_requested", "replied_share", "reply_suppressed"),
            n("delivered_to_client", "reply_suppressed")]
    return panel(view, result, [Table(title, cols)], title=title, desc=labels.t("rates_desc"))


def tavoittavuus(results: Results, view: View, filters: Filters) -> str:
    return "".join(_rates_panel(view, name.removeprefix("rates_by_"), result)
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


def _summary_panel(view: View, result: QueryResult) -> str:
    labels = view.labels
    title = labels.t("lead_summary_title")
    measure = Col("measure", labels.t("measure_col"),
                  lambda r: labels.code("measure", r["measure"]))
    within = Col("within_deadline_share", labels.t("within_deadline"),
                 lambda r: share(labels, r, "within_deadline_share") if r["deadline"] else "–",
                 True)
    summary = [measure, Col("items", labels.t("items_col"), lambda r: count(labels, r, "items"),
                            True),
               Col("median_working_days", labels.t("median"),
                   lambda r: _in_deadline_unit(labels, r, "median"), True),
               Col("p90_working_days", labels.t("p90"),
                   lambda r: _in_deadline_unit(labels, r, "p90"), True),
               Col("deadline_amount", labels.t("deadline_col"),
                   lambda r: labels.deadline(r["deadline_amount"], r["deadline_unit"])),
               within]

    def days(column: str, key: str) -> Col:
        return Col(column, labels.t(key),
                   lambda r: labels.number(r[column], r["suppressed"], digits=1), True)

    figures = [measure, days("median_working_days", "median_wd"),
               days("p90_working_days", "p90_wd"), days("median_days", "median_d"),
               days("p90_days", "p90_d"),
               Col("within_deadline", labels.t("within_deadline_n"),
                   lambda r: count(labels, r, "within_deadline") if r["deadline"] else "–", True)]
    return panel(view, result, [Table(title, summary, folded=False), Table(title, figures)],
                 title=title, desc=labels.t("lead_summary_desc"))


def _distribution_panel(view: View, result: QueryResult) -> str:
    labels = view.labels
    title = labels.t("distributions_title")
    cols = [Col("measure", labels.t("measure_col"), lambda r: labels.code("measure", r["measure"])),
            Col("bucket_order" if "bucket_order" in result.columns else "bucket",
                labels.t("bucket_col"),
                lambda r: f"{r['bucket']} ({labels.t(r['day_unit'] or 'working_days')})"),
            Col("items", labels.t("items_col"), lambda r: count(labels, r, "items"), True),
            Col("beyond_deadline", labels.t("deadline_col"),
                lambda r: labels.t("beyond_deadline") if r["beyond_deadline"]
                else labels.t("within_deadline"))]
    return panel(view, result, [Table(title, cols)], title=title,
                 desc=labels.t("distribution_desc"))


def lapimenoajat(results: Results, view: View, filters: Filters) -> str:
    return (_summary_panel(view, results["lead_time_summary"])
            + _distribution_panel(view, results["lead_time_distribution"]))


# --- 4 Myöhässä ------------------------------------------------------------------------------

def _overdue_by_deadline(view: View, result: QueryResult) -> str:
    labels = view.labels
    title = labels.t("overdue_by_deadline_title")
    cols = [Col("deadline", labels.t("deadline_col"), lambda r: deadline_name(labels, r)),
            Col("items", labels.t("overdue_items"), lambda r: count(labels, r, "items"), True),
            Col("median_working_days_overdue", labels.t("median_late"),
                lambda r: labels.number(r["median_working_days_overdue"], r["suppressed"],
                                        digits=1), True),
            Col("max_working_days_overdue", labels.t("max_late"),
                lambda r: count(labels, r, "max_working_days_overdue"), True)]
    return panel(view, result, [Table(title, cols)], title=title,
                 desc=labels.t("overdue_by_deadline_desc"))


def _overdue_by_unit(view: View, result: QueryResult) -> str:
    labels = view.labels
    title = labels.t("overdue_by_unit_title")
    cols = [Col("unit", labels.t("unit"), lambda r: unit_name(labels, r)),
            Col("county", labels.t("county"), lambda r: labels.org(r["county"])),
            Col("unit_items", labels.t("unit_overdue"),
                lambda r: labels.number(r["unit_items"], suppressed=r["unit_items"] is None),
                True),
            Col("deadline", labels.t("deadline_col"),
                lambda r: labels.code("deadline", r["deadline"])),
            Col("items", labels.t("overdue_items"), lambda r: count(labels, r, "items"), True)]
    return panel(view, result, [Table(title, cols)], title=title,
                 desc=labels.t("overdue_by_unit_desc"))


def myohassa(results: Results, view: View, filters: Filters) -> str:
    """The two charts and the list of overdue items; in the workplace each item links to its
    item page. Without the list's result (a council's secretary sees no single items) the
    page shows the charts only."""
    out = (_overdue_by_deadline(view, results["overdue_by_deadline"])
           + _overdue_by_unit(view, results["overdue_by_unit"]))
    if "overdue_items_list" in results:
        out += web.overdue_panel(results["overdue_items_list"], view.labels, view.links,
                                 view.sort, view.direction)
    return out

"""Pages about topics and people: Teemat (themes over time), Osallistuminen (participation),
Sanoitte, me teimme (the public "you said, we did"). Pure: query results in, HTML out (Jinja2
templates through dashboards/panels.py; charts dashboards/page_charts.py and vega.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from dashboards import web
from dashboards.filters import Filters
from dashboards.labels import Labels
from dashboards.page_charts import OUTCOMES, count, theme_name
from dashboards.panels import Col, Row, Table, View, fragment, panel
from dashboards.queries import QueryResult
from schemas.redaction import redact

Results = Mapping[str, QueryResult]


def _counted(labels: Labels, column: str) -> Callable[[Row], str]:
    return lambda r: count(labels, r, column)


def _coded(labels: Labels, kind: str, column: str) -> Callable[[Row], str]:
    return lambda r: labels.code(kind, r[column])


# --- 5 Teemat --------------------------------------------------------------------------------

def teemat(results: Results, view: View, filters: Filters) -> str:
    return web.themes_panel(results["themes_over_time"], view.labels, view.links, view.sort,
                            view.direction)


# --- 6 Osallistuminen ------------------------------------------------------------------------

def _workshops(view: View, result: QueryResult) -> str:
    labels = view.labels
    title = labels.t("workshops_title")

    def n(column: str, key: str) -> Col:
        return Col(column, labels.t(key), lambda r: labels.number(
            r[column], suppressed=bool(r["suppressed"]) if column in (
                "participants", "output_items") else r[column] is None), True)

    cols = [Col("month", labels.t("month"), lambda r: labels.month(r["month"])),
            Col("forum_type", labels.t("forum_type"),
                lambda r: labels.code("forum_type", r["forum_type"])),
            n("workshops", "workshops_n"), n("meetings", "meetings_n"), n("groups", "groups_n"),
            n("participants", "participants_n"), n("developer_clients", "developer_clients_n"),
            n("output_items", "output_items_n")]
    return panel(view, result, [Table(title, cols)], title=title,
                 desc=labels.t("workshops_desc"))


def _roles(view: View, result: QueryResult) -> str:
    labels = view.labels
    title = labels.t("roles_title")
    tables = []
    for kind, title_key, value, codes in (
            ("workshop_participants", "roles_title", "participants", "participant_role"),
            ("statement_authors", "authors_title", "statements", "author_role")):
        rows = [r for r in result.rows if dict(zip(result.columns, r, strict=True))["kind"] == kind]
        if not rows:
            continue
        cols = [Col("role", labels.t("role_col"), _coded(labels, codes, "role")),
                Col(value, labels.t(f"{value}_n"), _counted(labels, value), True)]
        if kind == "workshop_participants":
            cols.append(Col("workshops", labels.t("workshops_n"),
                            lambda r: count(labels, r, "workshops"), True))
        tables.append(Table(labels.t(title_key), cols, rows))
    return panel(view, result, tables, title=title,
                 desc=f"{labels.t('roles_desc')} {labels.t('authors_desc')}")


def _outcomes(view: View, result: QueryResult) -> str:
    labels = view.labels
    title = labels.t("outcomes_title")
    cols = [Col("outcome", labels.t("outcome_col"),
                lambda r: labels.code("outcome_status", r["outcome"])),
            Col("source_family", labels.t("ysaid_items"),
                lambda r: labels.code("source_family", r["source_family"])),
            Col("target", labels.t("target_col"),
                lambda r: labels.t("all_targets") if r["rollup"]
                else labels.code("target", r["target"])),
            Col("items", labels.t("items_col"), lambda r: count(labels, r, "items"), True),
            Col("reached_decision_makers", labels.t("reached_decision_makers_n"),
                lambda r: count(labels, r, "reached_decision_makers"), True),
            Col("returned", labels.t("returned_group_n"), lambda r: count(labels, r, "returned"),
                True)]
    return panel(view, result, [Table(title, cols)], title=title,
                 desc=labels.t("outcomes_desc"))


def osallistuminen(results: Results, view: View, filters: Filters) -> str:
    return (_workshops(view, results["participation_workshops"])
            + _roles(view, results["participation_roles"])
            + _outcomes(view, results["participation_outcomes"]))


# --- 7 Sanoitte, me teimme -------------------------------------------------------------------

def _card(view: View, r: Row) -> dict[str, object]:
    labels = view.labels
    facts = [(labels.t("ysaid_items"), count(labels, r, "items")),
             (labels.t("ysaid_decided"), count(labels, r, "decided"))]
    facts += [(labels.code("outcome", o), count(labels, r, o)) for o in OUTCOMES]
    facts.append((labels.t("ysaid_returned"), count(labels, r, "returned")))
    # The deciders' words, not the clients'; redacted like the digest in case a name or a
    # number slipped in.
    why = [redact(" ".join(text.split())) for text in r.get("example_rationales") or ()]
    return {"theme": theme_name(labels, r["theme"]), "facts": facts, "why": why}


def sanoitte(results: Results, view: View, filters: Filters) -> str:
    labels = view.labels
    result = results["you_said_we_did"]
    cards = fragment("ysaid_cards.html", labels, note=labels.t("rationale_lang_note"),
                     cards=[_card(view, r) for r in result.records()])
    cols = [Col("theme", labels.t("theme"), lambda r: theme_name(labels, r["theme"])),
            Col("items", labels.t("ysaid_items"), lambda r: count(labels, r, "items"), True),
            Col("decided", labels.t("ysaid_decided"), lambda r: count(labels, r, "decided"),
                True),
            *[Col(o, labels.code("outcome", o), _counted(labels, o), True) for o in OUTCOMES],
            Col("returned", labels.t("ysaid_returned"), lambda r: count(labels, r, "returned"),
                True)]
    return panel(view, result, [Table(labels.t("ysaid_chart"), cols)],
                 title=labels.t("ysaid_title"), desc=labels.t("ysaid_desc"), after=cards)

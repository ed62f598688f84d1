"""Pages about topics and people: Teemat (themes over time), Osallistuminen (participation),
Sanoitte, me teimme (the public "you said, we did"). Pure: query results in, HTML out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboards.charts import (
    SEVERITY_STYLE,
    Bar,
    Group,
    Segment,
    hbars,
    legend,
    stacked_cells,
    stacked_columns_grid,
    stacked_rows,
    styles_for,
)
from dashboards.dates import month_key
from dashboards.filters import Filters
from dashboards.html import details_table, empty, esc, section, table
from dashboards.labels import Labels
from dashboards.queries import QueryResult
from schemas.redaction import redact

Results = Mapping[str, QueryResult]
Row = dict[str, Any]
SEVERITIES = ("none", "low", "medium", "high", "critical")
OUTCOMES = ("adopted", "partly", "already_under_way", "no_action_needed", "rejected")
FORUM_TYPES = ("structural", "pop_up", "digital")


def _n(labels: Labels, row: Row, column: str) -> str:
    return labels.number(row.get(column), suppressed=bool(row.get("suppressed")))


def _source(labels: Labels, name: str) -> str:
    return labels.t("source_note", name=name)


def _theme(labels: Labels, code: object) -> str:
    return labels.code("theme", code) if code else labels.t("none_theme")


# --- 5 Teemat --------------------------------------------------------------------------------

def teemat(results: Results, labels: Labels, filters: Filters) -> str:
    result = results["themes_over_time"]
    rows = result.records()
    title = labels.t("themes_title")
    if not rows:
        return section(title, empty(labels.t("no_data")))
    themes: list[object] = []
    months: list[str] = []
    for r in rows:
        if r["theme"] not in themes:
            themes.append(r["theme"])
        if r["month"] not in months:
            months.append(r["month"])
    months.sort(key=month_key)  # not as text: '10000-01' (a year-9999 time) sorts first
    few = len(months) <= 4
    cells: dict[tuple[int, int], list[Segment]] = {}
    # Side by side the most serious come first; stacked upwards they come last (on top).
    for r in sorted(rows, key=lambda r: (r["severity_order"] if r["severity_order"] is not None
                                         else -1) * (-1 if few else 1)):
        key = (themes.index(r["theme"]), months.index(r["month"]))
        cells.setdefault(key, []).append(
            Segment(r["severity"] or "none", r["items"], labels.number(r["items"])))
    draw = stacked_cells if few else stacked_columns_grid
    chart = draw(title, labels.t("themes_desc"), [_theme(labels, t) for t in themes],
                 [(labels.month if few else labels.month_short)(m) for m in months], cells)
    severity_key = legend([(s, labels.code("severity", s)) for s in reversed(SEVERITIES)],
                          SEVERITY_STYLE, labels.t("severity"))
    figures = details_table(labels.t("show_table"), table(
        title, [labels.t("theme"), labels.t("month"), labels.t("severity"),
                labels.t("items_col")],
        [[_theme(labels, r["theme"]), labels.month(r["month"]),
          labels.code("severity", r["severity"]), _n(labels, r, "items")] for r in rows],
        numeric=(3,)))
    return section(title, severity_key + chart + figures, labels.t("themes_desc"),
                   _source(labels, result.name))


# --- 6 Osallistuminen ------------------------------------------------------------------------

def _workshops(labels: Labels, result: QueryResult) -> str:
    rows = result.records()
    title = labels.t("workshops_title")
    if not rows:
        return section(title, empty(labels.t("no_data")))
    styles = styles_for(FORUM_TYPES)
    months: dict[str, list[Row]] = {}
    for r in rows:
        months.setdefault(r["month"], []).append(r)
    bars = [(labels.month(m), [Segment(r["forum_type"], r["workshops"],
                                       labels.number(r["workshops"])) for r in rs])
            for m, rs in months.items()]
    key = legend([(f, labels.code("forum_type", f)) for f in FORUM_TYPES], styles,
                 labels.t("forum_type"))
    chart = stacked_rows(title, labels.t("workshops_desc"), bars, styles)
    figures = table(
        title, [labels.t("month"), labels.t("forum_type"), labels.t("workshops_n"),
                labels.t("meetings_n"), labels.t("groups_n"), labels.t("participants_n"),
                labels.t("developer_clients_n"), labels.t("output_items_n")],
        [[labels.month(r["month"]), labels.code("forum_type", r["forum_type"]),
          labels.number(r["workshops"]), labels.number(r["meetings"]),
          labels.number(r["groups"]), _n(labels, r, "participants"),
          labels.number(r["developer_clients"], suppressed=r["developer_clients"] is None),
          _n(labels, r, "output_items")] for r in rows], numeric=tuple(range(2, 8)))
    body = details_table(labels.t("show_table"), figures)
    return section(title, key + chart + body, labels.t("workshops_desc"),
                   _source(labels, result.name))


def _roles(labels: Labels, result: QueryResult) -> str:
    rows = result.records()
    out = []
    for kind, title_key, desc_key, value, kind_codes in (
            ("workshop_participants", "roles_title", "roles_desc", "participants",
             "participant_role"),
            ("statement_authors", "authors_title", "authors_desc", "statements",
             "author_role")):
        mine = [r for r in rows if r["kind"] == kind]
        title = labels.t(title_key)
        if not mine:
            out.append(section(title, empty(labels.t("no_data"))))
            continue
        groups = [Group(labels.code(kind_codes, r["role"]),
                        (Bar(r[value], _n(labels, r, value)),)) for r in mine]
        chart = hbars(title, labels.t(desc_key), groups, ("s3",))
        headers = [labels.t("role_col"), labels.t(f"{value}_n")]
        cells = [[g.label, _n(labels, r, value)] for g, r in zip(groups, mine, strict=True)]
        if kind == "workshop_participants":
            headers.append(labels.t("workshops_n"))
            for c, r in zip(cells, mine, strict=True):
                c.append(_n(labels, r, "workshops"))
        figures = details_table(labels.t("show_table"),
                                table(title, headers, cells, numeric=(1, 2)))
        out.append(section(title, chart + figures, labels.t(desc_key),
                           _source(labels, result.name)))
    return "".join(out)


def _outcomes(labels: Labels, result: QueryResult) -> str:
    rows = result.records()
    title = labels.t("outcomes_title")
    if not rows:
        return section(title, empty(labels.t("no_data")))
    parts = []
    for family in ("workshop_output", "expert_statement"):
        mine = [r for r in rows if r["rollup"] and r["source_family"] == family]
        if not mine:
            continue
        family_title = labels.code("source_family_plural", family)
        groups = [Group(labels.code("outcome_status", r["outcome"]),
                        (Bar(r["items"], _n(labels, r, "items")),)) for r in mine]
        parts.append(section(family_title, hbars(f"{title}: {family_title}",
                                                 labels.t("outcomes_desc"), groups, ("s4",)),
                             level=3))
    figures = details_table(labels.t("show_table"), table(
        title, [labels.t("outcome_col"), labels.t("ysaid_items"), labels.t("target_col"),
                labels.t("items_col"), labels.t("reached_decision_makers_n"),
                labels.t("returned_group_n")],
        [[labels.code("outcome_status", r["outcome"]),
          labels.code("source_family", r["source_family"]),
          labels.t("all_targets") if r["rollup"] else labels.code("target", r["target"]),
          _n(labels, r, "items"), _n(labels, r, "reached_decision_makers"),
          _n(labels, r, "returned")] for r in rows], numeric=(3, 4, 5)))
    return section(title, "".join(parts) + figures, labels.t("outcomes_desc"),
                   _source(labels, result.name))


def osallistuminen(results: Results, labels: Labels, filters: Filters) -> str:
    return (_workshops(labels, results["participation_workshops"])
            + _roles(labels, results["participation_roles"])
            + _outcomes(labels, results["participation_outcomes"]))


# --- 7 Sanoitte, me teimme -------------------------------------------------------------------

def _card(labels: Labels, r: Row) -> str:
    facts = [(labels.t("ysaid_items"), _n(labels, r, "items")),
             (labels.t("ysaid_decided"), _n(labels, r, "decided"))]
    facts += [(labels.code("outcome", o), _n(labels, r, o)) for o in OUTCOMES]
    facts.append((labels.t("ysaid_returned"), _n(labels, r, "returned")))
    listing = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    why = ""
    if r.get("example_rationales"):
        # The deciders' words, not the clients'; redacted like the digest in case a name or a
        # number slipped in. Written in Finnish: marked so that screen readers say it so.
        quotes = "".join(f'<li lang="fi">{esc(redact(" ".join(text.split())))}</li>'
                         for text in r["example_rationales"])
        note = labels.t("rationale_lang_note")
        why = (f'<p class="why">{esc(labels.t("ysaid_why"))}'
               + (f" ({esc(note)})" if note else "") + f":</p><ul>{quotes}</ul>")
    return (f"<li><h3>{esc(_theme(labels, r['theme']))}</h3>"
            f'<dl class="facts">{listing}</dl>{why}</li>')


def sanoitte(results: Results, labels: Labels, filters: Filters) -> str:
    result = results["you_said_we_did"]
    rows = result.records()
    title = labels.t("ysaid_title")
    if not rows:
        return section(title, empty(labels.t("no_data")))
    styles = styles_for(OUTCOMES)
    bars = [(_theme(labels, r["theme"]),
             [Segment(o, r[o], labels.number(r[o])) for o in OUTCOMES]) for r in rows]
    ends = [f"{_n(labels, r, 'decided')} {labels.t('ysaid_decided').lower()}" for r in rows]
    key = legend([(o, labels.code("outcome", o)) for o in OUTCOMES], styles,
                 labels.t("outcome_col"))
    chart = section(labels.t("ysaid_chart"),
                    key + stacked_rows(labels.t("ysaid_chart"), labels.t("ysaid_chart_desc"),
                                       bars, styles, ends),
                    labels.t("ysaid_chart_desc"), level=3)
    cards = f'<ul class="cards">{"".join(_card(labels, r) for r in rows)}</ul>'
    return section(title, chart + cards, labels.t("ysaid_desc"), _source(labels, result.name))

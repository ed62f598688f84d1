"""The expectation suites, as plain data: one suite per table or view, named after it. Pure.

Each suite validates one *frame*: a query over its table or view (sql/<suite>.sql), one row per
row of the relation, with `row_key` to name a row and, where a rule spans rows or tables, a
derived column that is NULL when the row is fine and otherwise says what is wrong (an unknown
item id, the milestones out of order, the kinds of identifier found). So every rule is an
ordinary Great Expectations column expectation, and its unexpected values are the row keys and
what is wrong, never a person's text. checkpoint.py turns these into GX objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from sinks.quality import codes


class Kind(StrEnum):
    UNIQUE = "unique"
    NOT_NULL = "not_null"
    IN_SET = "in_set"
    MATCHES = "matches"
    FINE = "fine"  # a derived column is NULL on every row
    AT_LEAST = "at_least"
    SUM_IS = "sum_is"  # the column's sum equals a figure computed from the store at run time
    ROWS_ARE = "rows_are"  # the frame has as many rows as a figure computed at run time


@dataclass(frozen=True)
class Check:
    kind: Kind
    column: str  # in the frame
    title: str  # what is expected, in Finnish, shown in the summary and Data Docs
    about: str = ""  # the relation's own column the person should look at; default `column`
    values: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: float | None = None
    parameter: str | None = None
    when: str | None = None  # only rows where this column is not NULL


@dataclass(frozen=True)
class Suite:
    name: str  # the table or view
    checks: tuple[Check, ...]
    frame: str | None = None  # sql/<frame>.sql; None: only row_key (tables checked for PII)
    columns: frozenset[str] = field(default_factory=frozenset)  # filled from the frame

    def applicable(self) -> tuple[Check, ...]:
        """The checks whose columns the frame has (a store older than a column skips them)."""
        return tuple(c for c in self.checks if self._has_columns(c))

    def skipped(self) -> tuple[str, ...]:
        """'suite.column' of the checks left out, for the summary to say so."""
        return tuple(dict.fromkeys(f"{self.name}.{c.column}" for c in self.checks
                                   if not self._has_columns(c)))

    def _has_columns(self, check: Check) -> bool:
        return check.column in self.columns and (check.when is None or check.when in self.columns)


IDENTIFIERS = "identifiers_found"
IDENTIFIER_TITLE = "ei henkilötunnusta, puhelinnumeroa, sähköpostia eikä IBANia"


def unique(column: str, about: str = "") -> Check:
    return Check(Kind.UNIQUE, column, "yksilöllinen", about=about)


def required(*columns: str, when: str | None = None, why: str = "") -> tuple[Check, ...]:
    title = "pakollinen (ei NULL)" + (f" {why}" if why else "")
    return tuple(Check(Kind.NOT_NULL, c, title, about=c.removesuffix("_length"), when=when)
                 for c in columns)


def code(column: str, allowed: tuple[str, ...], source: str) -> Check:
    return Check(Kind.IN_SET, column, f"koodi kuuluu luokitukseen ({source})", values=allowed)


def code_shape(*columns: str) -> tuple[Check, ...]:
    return tuple(Check(Kind.MATCHES, c, "koodin muoto (schemas/envelope.py Code)",
                       pattern=codes.CODE_PATTERN) for c in columns)


def fine(column: str, title: str, about: str) -> Check:
    return Check(Kind.FINE, column, title, about=about)


def identifiers(text_columns: str) -> Check:
    return Check(Kind.FINE, IDENTIFIERS, IDENTIFIER_TITLE, about=text_columns)


ITEM_EXISTS = "viittaa olemassa olevaan asiaan (knowledge_items)"
MILESTONES_IN_ORDER = ("virstanpylväät aikajärjestyksessä: vastaanotettu ≤ kuitattu ≤ eskaloitu ≤ "
                       "esitetty ≤ päätetty ≤ palautettu ≤ suljettu; johto tavoitettu ≥ "
                       "vastaanotettu")

EVENTS = Suite("events", frame="events", checks=(
    unique("event_id"),
    *required("event_id", "event_type", "schema_version", "occurred_at", "recorded_at",
              "county", "topic", "partition", "offset", "sunk_at"),
    code("event_type", codes.STORED_EVENT_TYPES, "schemas/registry.py"),
    *code_shape("county", "unit"),
    Check(Kind.MATCHES, "item_id", "asian tunnuksen muoto (schemas/envelope.py ItemId)",
          pattern=codes.ITEM_ID_PATTERN),
    fine("unknown_item_id", f"välitetty kopio tai muu tapahtuma {ITEM_EXISTS}", "item_id"),
))

KNOWLEDGE_ITEMS = Suite("knowledge_items", frame="knowledge_items", checks=(
    unique("item_id"),
    *required("item_id", "source_family", "source_event_id", "county", "service_area",
              "reply_requested", "contact_given", "text_length", "status", "received_at"),
    *required("stance", "severity", "themes", "classifier_version", when="classified_at",
              why="luokitellulla asialla"),
    Check(Kind.MATCHES, "item_id", "asian tunnuksen muoto (schemas/envelope.py ItemId)",
          pattern=codes.ITEM_ID_PATTERN),
    code("source_family", codes.SOURCE_FAMILIES, "SourceFamily"),
    code("language", codes.LANGUAGES, "Language"),
    code("channel", codes.CHANNELS, "Channel"),
    code("stance", codes.STANCES, "Stance"),
    code("severity", codes.SEVERITIES, "Severity"),
    code("target", codes.OUTPUT_TARGETS, "OutputTarget"),
    code("author_role", codes.AUTHOR_ROLES, "AuthorRole"),
    code("status", codes.ITEM_STATUSES, "elinkaaren vaiheet"),
    *code_shape("county", "service_area", "unit"),
    fine("unknown_themes", "teemat kuuluvat luokitukseen (Theme)", "themes"),
    fine("milestones_out_of_order", MILESTONES_IN_ORDER, "*_at"),
))

LIFECYCLE = Suite("lifecycle", frame="lifecycle", checks=(
    unique("event_id"),
    *required("event_id", "item_id", "step", "actor_role", "occurred_at", "recorded_at",
              "county", "topic", "partition", "offset"),
    code("step", codes.LIFECYCLE_STEPS, "schemas/registry.py LIFECYCLE_EVENTS"),
    code("actor_role", codes.ACTOR_ROLES, "ActorRole"),
    Check(Kind.IN_SET, "outcome", "päätöksen tulos kuuluu luokitukseen (Outcome)",
          about="details.outcome", values=codes.OUTCOMES),
    Check(Kind.IN_SET, "returned_to", "palautuksen saaja kuuluu luokitukseen (ReturnedTo)",
          about="details.returned_to", values=codes.RETURNED_TO),
    *code_shape("county", "unit"),
    fine("unknown_item_id", f"elinkaaren rivi {ITEM_EXISTS}", "item_id"),
    fine("returned_without_decision",
         "palautetulla asialla on päätös tai kirjattu syy ilman päätöstä (no_decision_reason)",
         "details.no_decision_reason"),
))

LABELS_HUMAN = Suite("labels_human", frame="labels_human", checks=(
    unique("event_id"),
    *required("event_id", "item_id", "step", "actor_role", "county", "reason_length",
              "occurred_at", "recorded_at", "topic", "partition", "offset"),
    code("step", codes.LABEL_STEPS, "streams/lifecycle.py LABEL_STEPS"),
    code("actor_role", codes.LABELLER_ROLES, "streams/guard.py LABELLERS"),
    code("stance", codes.STANCES, "Stance"),
    code("severity", codes.SEVERITIES, "Severity"),
    code("confirmation", codes.CONFIRMATIONS, "sinks/labels.sql"),
    *code_shape("county", "unit"),
    fine("unknown_themes", "teemat kuuluvat luokitukseen (Theme)", "themes"),
    fine("unknown_item_id", f"ihmisen luokitus {ITEM_EXISTS}", "item_id"),
    fine("step_shape", "vahvistuksella tulos ja vakavuus, korjauksella vähintään yksi luokka",
         "step, themes, stance, severity, confirmation"),
))

DEAD_LETTERS = Suite("dead_letters", frame="dead_letters", checks=(
    unique("event_id"),
    *required("event_id", "reason", "detail", "county", "origin_topic", "origin_partition",
              "origin_offset", "recorded_at", "topic", "partition", "offset", "sunk_at"),
    code("reason", codes.DEAD_LETTER_REASONS, "RejectionReason"),
    *code_shape("county"),
))

SINK_REJECTIONS = Suite("sink_rejections", frame="sink_rejections", checks=(
    unique("row_key", about="(topic, partition, offset)"),
    *required("topic", "partition", "offset", "reason", "exception_type", "stage", "sunk_at"),
    code("reason", codes.DEAD_LETTER_REASONS, "RejectionReason"),
    code("stage", codes.REJECTION_STAGES, "sinks/projection.py"),
))

AGGREGATE_MEMBERS = Suite("aggregate_members", frame="aggregate_members", checks=(
    unique("row_key", about="(aggregate_item_id, member_item_id)"),
    *required("aggregate_item_id", "member_item_id"),
    fine("unknown_aggregate_item_id", "viittaa olemassa olevaan viikkosignaaliin (aggregate)",
         "aggregate_item_id"),
    fine("unknown_member_item_id", f"jäsen {ITEM_EXISTS}", "member_item_id"),
))

SINK_COUNTERS = Suite("sink_counters", frame="sink_counters", checks=(
    code("name", codes.SINK_COUNTERS, "sinks/projection.py, quality/codes.py"),
    *required("value"),
    Check(Kind.AT_LEAST, "value", "ei negatiivinen", minimum=0),
    fine("unbalanced", "luetut täsmäävät: consumed = events + dead_letters + ei tallennetut "
         "(docs/quality.md)", "consumed"),
))

ITEM_MILESTONES = Suite("item_milestones", frame="item_milestones", checks=(
    unique("item_id"),
    *required("item_id", "source_family", "county", "service_area", "received_at",
              "month_received"),
    code("source_family", codes.CLIENT_SOURCE_FAMILIES, "SourceFamily ilman aggregate"),
    code("channel", codes.CHANNELS, "Channel"),
    code("language", codes.LANGUAGES, "Language"),
    code("stance", codes.STANCES, "Stance"),
    code("severity", codes.SEVERITIES, "Severity"),
    code("outcome", codes.OUTCOMES, "Outcome"),
    code("returned_to", codes.RETURNED_TO, "ReturnedTo"),
    fine("unknown_themes", "teemat kuuluvat luokitukseen (Theme)", "themes"),
    fine("milestones_out_of_order", MILESTONES_IN_ORDER, "*_at"),
    fine("differs_from_lifecycle", "sama kuin lifecycle-riveistä laskettuna",
         "*_at (lifecycle)"),
    Check(Kind.ROWS_ARE, "row_key", "yhtä monta asiaa kuin lifecycle-riveistä laskettuna",
          about="(rivit)", parameter="items_from_lifecycle"),
))

_FUNNEL_COUNTS = ("received", "acknowledged", "reached_leadership", "reached_decision_makers",
                  "decided", "returned", "closed")


def _funnel(name: str, parameter: str, by_theme: bool) -> Suite:
    return Suite(name, frame="flow_funnel", checks=(
        *required(*_FUNNEL_COUNTS),
        Check(Kind.AT_LEAST, "received", "vähintään yksi asia ryhmässä", minimum=1),
        fine("count_above_received", "mikään vaihe ei ylitä vastaanotettujen määrää",
             ", ".join(_FUNNEL_COUNTS[1:])),
        *((code("theme", codes.THEMES, "Theme"),) if by_theme else ()),
        code("source_family", codes.CLIENT_SOURCE_FAMILIES, "SourceFamily ilman aggregate"),
        Check(Kind.SUM_IS, "received", "vastaanotetut yhteensä = asiat item_milestones-"
              "näkymässä (teemoittain: kukin teemansa mukaan, teematon kerran)",
              parameter=parameter),
    ))


FLOW_FUNNEL = _funnel("flow_funnel", "flow_funnel_items", by_theme=False)
FLOW_FUNNEL_BY_THEME = _funnel("flow_funnel_by_theme", "flow_funnel_by_theme_items",
                               by_theme=True)

OVERDUE_ITEMS = Suite("overdue_items", frame="overdue_items", checks=(
    unique("row_key", about="(item_id, deadline)"),
    *required("item_id", "deadline", "started_at", "due_date", "days_overdue"),
    code("deadline", codes.DEADLINES, "sinks/calendar.py Deadlines"),
    Check(Kind.AT_LEAST, "days_overdue", "myöhässä vähintään päivän", minimum=1),
    Check(Kind.AT_LEAST, "working_days_overdue", "ei negatiivinen", minimum=0),
    fine("unknown_item_id", ITEM_EXISTS, "item_id"),
))

WORKSHOPS = Suite("workshops", frame="workshops", checks=(
    unique("event_id"),
    *required("event_id", "workshop_id", "forum_type", "held_on", "county", "service_area",
              "participants_total", "output_items"),
    code("forum_type", codes.FORUM_TYPES, "ForumType"),
    *code_shape("county", "service_area", "unit"),
    Check(Kind.AT_LEAST, "output_items", "ei negatiivinen", minimum=0),
    fine("participants_do_not_add_up", "osallistujat yhteensä = roolien summa",
         "participants_total"),
))

SUITES: tuple[Suite, ...] = (
    EVENTS, KNOWLEDGE_ITEMS, LIFECYCLE, LABELS_HUMAN, DEAD_LETTERS, SINK_REJECTIONS,
    AGGREGATE_MEMBERS, SINK_COUNTERS,
    ITEM_MILESTONES, FLOW_FUNNEL, FLOW_FUNNEL_BY_THEME, OVERDUE_ITEMS, WORKSHOPS,
)
REQUIRED_RELATIONS = ("events", "knowledge_items", "lifecycle", "dead_letters", "sink_counters")


def plan(relations: set[str], text_columns: dict[str, tuple[str, ...]]) -> list[Suite]:
    """The suites for a store with these tables and views (a suite for a relation an older
    store lacks is left out); `text_columns` lists each base table's VARCHAR, VARCHAR[] and
    JSON columns. Every such table gets the identifier check, in its own suite or in one named
    after it."""
    out = []
    for suite in SUITES:
        if suite.name not in relations:
            continue
        if suite.name in text_columns:
            suite = replace(suite, checks=(
                *suite.checks, identifiers(", ".join(text_columns[suite.name]))))
        out.append(suite)
    named = {s.name for s in SUITES}
    for table, columns in sorted(text_columns.items()):
        if table not in named:
            out.append(Suite(table, checks=(identifiers(", ".join(columns)),)))
    return out

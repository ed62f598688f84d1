"""One row of an export -> one `feedback.submitted` (or `expert_statement.issued`) record, or
the reason it cannot be one.

Pure: no file, broker or clock (the import's time is given). Every record is read back through
the contract's own parse (schemas/registry.py parse_source) and checked against the
organisation registry as the worker would, so what is published is what the worker accepts;
whatever it would make a dead letter is a bad row here, named by its row number, and is not
published at all.

A bad row's reason names the field and the column, never the cell's content: a cell may hold a
client's name or contact.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kokemusvirta.importing.mapping import FieldSpec, ImportMapping, normalised
from kokemusvirta.importing.readers import Cell
from schemas.envelope import derived_uuid
from schemas.organisations import OrganisationRegistry
from schemas.registry import InvalidEvent, parse_source
from streams.routing import unknown_organisation

# Excel's day 0 (its 1900 leap-year bug folded in, as every reader does for dates after 1900).
EXCEL_EPOCH = datetime(1899, 12, 30)
YES = {"kyllä", "k", "joo", "ja", "yes", "y", "true", "1", "x"}
NO = {"ei", "e", "nej", "no", "n", "false", "0"}
# What the worker would do with a row naming a unit the registry lacks, said up front.
# A content-derived event id is made of what the row says, but not of the import's time nor of
# anything personal (an id is no place for a client's id or contact, even hashed).
NOT_IN_THE_ID = frozenset({"event_id", "recorded_at", "contact", "client_id"})
DEAD_LETTER = "the worker would make it a dead letter (unknown_unit), so it is not published"


@dataclass(frozen=True)
class BadRow:
    row: int
    reason: str


@dataclass(frozen=True)
class Candidate:
    """A row that became a valid record, ready to publish (its event id decides whether it was
    already imported)."""

    row: int
    event_id: str
    line: bytes


class RowProblem(ValueError):
    pass


def cell_text(raw: Cell) -> str:
    """A cell as text: 4.0 from a spreadsheet is "4"."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.isoformat()
    return "" if raw is None else str(raw).strip()


def parse_time(raw: Any, spec: FieldSpec) -> datetime:
    """A cell as the UTC instant it names: an Excel date (or its day number), or text in one of
    the mapping's formats (ISO 8601 without one). A time without an offset is local time in the
    mapping's timezone (Europe/Helsinki), the summer and winter offsets both right."""
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, date):
        moment = datetime.combine(raw, time())
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        moment = EXCEL_EPOCH + timedelta(days=float(raw))
    else:
        moment = _parse_text_time(cell_text(raw), spec)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(spec.timezone))
    return moment.astimezone(UTC)


def _parse_text_time(text: str, spec: FieldSpec) -> datetime:
    for form in spec.formats:
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    if not spec.formats:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    wanted = " or ".join(spec.formats) if spec.formats else "ISO 8601 (2026-10-01T10:00)"
    raise RowProblem(f"time{_from(spec)}: not a time in the form {wanted}")


def _from(spec: FieldSpec) -> str:
    return f" (column {spec.column!r})" if spec.column else ""


class RowConverter:
    """Turns rows into records. Stateful only to number repeated rows: two identical rows in one
    export are two pieces of feedback, and stay two (and the same two) when imported again."""

    def __init__(self, mapping: ImportMapping, positions: dict[str, int],
                 registry: OrganisationRegistry, *, county: str | None,
                 recorded_at: datetime) -> None:
        self.mapping = mapping
        self.positions = positions
        self.registry = registry
        self.county = county
        self.recorded_at = recorded_at.astimezone(UTC).isoformat()
        self._occurrences: Counter[str] = Counter()
        self._ids: dict[str, int] = {}

    def convert(self, row: int, cells: list[Cell]) -> Candidate | BadRow | None:
        """The row's record, its bad row, or None for a row skipped by the mapping (no text,
        `rows_without_text: skip`: a smiley terminal's press without a comment)."""
        try:
            return self._convert(row, cells)
        except RowProblem as problem:
            return BadRow(row, str(problem))

    def _raw(self, name: str, cells: list[Cell]) -> Any:
        spec = self.mapping.spec(name)
        if spec is None:
            return None
        if spec.column is None:
            return spec.value
        pos = self.positions[spec.column]
        raw = cells[pos] if pos < len(cells) else None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return spec.default
        if spec.values is not None:
            key = normalised(cell_text(raw))
            if key not in spec.values:
                raise RowProblem(f"{name}{_from(spec)}: not one of the mapping's values "
                                 f"({spec.value_keys()})")
            return spec.values[key]
        return raw

    def _text(self, name: str, cells: list[Cell]) -> str | None:
        raw = self._raw(name, cells)
        text = raw if isinstance(raw, str) else cell_text(raw)
        return text.strip() or None

    def _convert(self, row: int, cells: list[Cell]) -> Candidate | BadRow | None:
        mapping = self.mapping
        text = self._text("text", cells)
        if text is None:
            if mapping.rows_without_text == "skip":
                return None
            raise RowProblem(f"text{_from(mapping.fields['text'])}: empty")
        county = self.county or self._text("county", cells)
        if county is None:
            raise RowProblem("county: none (give it in the mapping or with --county)")
        if self.registry.county(county) is None:
            raise RowProblem("unknown_unit: tuntematon hyvinvointialue (unknown county): not in "
                             f"the organisation registry; {DEAD_LETTER}")
        unit = self._unit(county, cells)
        named_area = self._text("service_area", cells)
        area = (self._area(county, named_area) if named_area
                else unit.service_area if unit else None)
        if area is None:
            raise RowProblem(f"service_area{_from(mapping.fields['service_area'])}: empty, and "
                             "no unit to take it from")
        time_spec = mapping.fields["time"]
        raw_time = self._raw("time", cells)
        if raw_time is None:
            raise RowProblem(f"time{_from(time_spec)}: empty")
        payload: dict[str, Any] = {
            "occurred_at": parse_time(raw_time, time_spec).isoformat(),
            "recorded_at": self.recorded_at, "county": county,
            "unit": unit.code if unit else None, "service_area": area,
            "language": self._text("language", cells), "text": text,
        }
        payload.update(self._feedback(cells) if mapping.family == "feedback"
                       else self._statement(cells))
        payload["event_id"] = str(self._event_id(row, cells, payload))
        line = json.dumps(payload, ensure_ascii=False).encode()
        try:
            event = parse_source(line)
        except InvalidEvent as rejected:
            raise RowProblem(f"{rejected.reason.value}: {self._problems(rejected)}") from None
        wrong_place = unknown_organisation(event, self.registry)
        if wrong_place is not None:
            raise RowProblem(f"{wrong_place.reason.value}: {wrong_place.detail}; {DEAD_LETTER}")
        return Candidate(row, payload["event_id"], line)

    def _feedback(self, cells: list[Cell]) -> dict[str, Any]:
        contact = self._text("contact", cells)
        return {"event_type": "feedback.submitted", "schema_version": 2,
                "channel": self._text("channel", cells), "rating": self._rating(cells),
                "respondent_role": self._text("respondent_role", cells) or "client",
                "contact": contact, "client_id": self._text("client_id", cells),
                "reply_requested": self._reply(cells, contact)}

    def _statement(self, cells: list[Cell]) -> dict[str, Any]:
        """An expert-by-experience statement: its recommendations one a line in their cell."""
        listed = self._text("recommendations", cells) or ""
        return {"event_type": "expert_statement.issued", "schema_version": 1,
                "author_role": self._text("author_role", cells),
                "topic": self._text("topic", cells),
                "decision_ref": self._text("decision_ref", cells),
                "county_wide": bool(self._yes_no("county_wide", cells)),
                "recommendations": [r.strip() for r in listed.splitlines() if r.strip()]}

    def _unit(self, county: str, cells: list[Cell]) -> Any:
        """The registry's unit the cell names, by its code or by its name in any language (an
        export says "Rovaniemen terveysasema", the registry knows rovaniemen-terveysasema);
        None for a statement that names none (it concerns its service area)."""
        named = self._text("unit", cells)
        spec = self.mapping.spec("unit")
        if named is None:
            if self.mapping.family == "expert_statement":
                return None
            raise RowProblem(f"unit{_from(spec) if spec else ''}: empty")
        assert spec is not None
        unit = self.registry.unit(county, named)
        if unit is not None:
            return unit
        wanted = normalised(named)
        for candidate in self.registry.units_of(county):
            names = candidate.names
            if wanted in {normalised(n) for n in (names.fi, names.sv, names.en) if n}:
                return candidate
        raise RowProblem(f"unknown_unit: tuntematon yksikkö (unknown unit){_from(spec)}: not one "
                         f"of {county}'s units in the organisation registry, by code or name; "
                         f"{DEAD_LETTER}")

    def _area(self, county: str, named: str) -> str:
        """The service area's code, by its code or its registry name in any language."""
        wanted = normalised(named)
        for area in self.registry.areas_of(county):
            names = area.names
            if wanted in {area.code, *(normalised(n) for n in (names.fi, names.sv, names.en)
                                       if n)}:
                return area.code
        raise RowProblem("unknown_unit: tuntematon palvelualue (unknown service area)"
                         f"{_from(self.mapping.fields['service_area'])}: not one of {county}'s "
                         f"service areas in the organisation registry, by code or name; "
                         f"{DEAD_LETTER}")

    def _rating(self, cells: list[Cell]) -> int | None:
        raw = self._raw("rating", cells)
        if raw is None or (isinstance(raw, int) and not isinstance(raw, bool)):
            return raw
        text = cell_text(raw)
        if text.isdigit():
            return int(text)
        raise RowProblem(f"rating{_from(self.mapping.fields['rating'])}: not a whole number "
                         "(a values map turns an export's words or smileys into 1-5)")

    def _reply(self, cells: list[Cell], contact: str | None) -> bool:
        """Whether the client wants a reply; without a column for it, whether they left a
        contact (nobody leaves one to be ignored)."""
        if self.mapping.spec("reply_requested") is None:
            return contact is not None
        return bool(self._yes_no("reply_requested", cells))

    def _yes_no(self, name: str, cells: list[Cell]) -> bool | None:
        raw = self._raw(name, cells)
        if raw is None or isinstance(raw, bool):
            return raw
        word = normalised(cell_text(raw))
        if word in YES | NO:
            return word in YES
        raise RowProblem(f"{name}{_from(self.mapping.fields[name])}: "
                         "not yes or no (kyllä/ei, ja/nej, yes/no, 1/0)")

    def _event_id(self, row: int, cells: list[Cell], payload: dict[str, Any]) -> Any:
        """The same row gives the same event id in every import, so the ledger and the sink
        know it: from the export's own row id when it has one, else from what the row says
        (without the client's id or contact) and how many identical rows came before it."""
        scope = ("import", self.mapping.name, payload["county"])
        if self.mapping.spec("id") is not None:
            row_id = self._text("id", cells)
            if row_id is None:
                raise RowProblem(f"id{_from(self.mapping.fields['id'])}: empty")
            first = self._ids.setdefault(row_id, row)
            if first != row:
                raise RowProblem(f"id{_from(self.mapping.fields['id'])}: the same as row "
                                 f"{first}'s (one answer twice in the export); left out")
            return derived_uuid(*scope, "id", row_id)
        said = {k: v for k, v in payload.items() if k not in NOT_IN_THE_ID}
        digest = hashlib.sha256(json.dumps(said, sort_keys=True).encode()).hexdigest()
        self._occurrences[digest] += 1
        return derived_uuid(*scope, "content", digest, self._occurrences[digest])

    def _problems(self, rejected: InvalidEvent) -> str:
        """The contract's field problems, each with the column it came from."""
        said = []
        for p in rejected.problems:
            spec = self.mapping.spec(p.location.split(".")[0])
            said.append(f"{p.location}{_from(spec) if spec else ''} ({p.problem})")
        return ", ".join(said) or rejected.detail

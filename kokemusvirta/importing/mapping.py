"""The mapping file: which column of a survey export is which field of `feedback.submitted`.

A mapping is YAML (docs/importing.md). Each field is a column of the file or a constant, with a
value map where the export's words are not the contract's (`😀: 5`, `ruotsi: sv`). The mapping
is checked before any row is read: an unknown key, a field given both as a column and a
constant, or a column the file's header lacks is one `MappingProblem` line, never a traceback.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

SHIPPED = Path(__file__).resolve().with_name("mappings")
HELSINKI = "Europe/Helsinki"

# The contract's fields a mapping may fill, per source family (schemas/feedback.py,
# schemas/statement.py), and `id`: the export's own stable row id, which makes the event id
# (kokemusvirta/importing/rows.py).
COMMON = ("id", "text", "time", "county", "service_area", "unit", "language")
FAMILY_FIELDS = {
    "feedback": (*COMMON, "rating", "channel", "respondent_role", "reply_requested", "contact",
                 "client_id"),
    "expert_statement": (*COMMON, "author_role", "topic", "decision_ref", "county_wide",
                         "recommendations"),
}
FIELDS = tuple(dict.fromkeys(f for fields in FAMILY_FIELDS.values() for f in fields))
# Without these no row can become an event. county may also come from `--county`, and
# service_area from the organisation registry (the unit's own); a statement's unit is optional
# but then its service area is not.
REQUIRED = {"feedback": ("text", "time", "unit", "channel"),
            "expert_statement": ("text", "time", "author_role", "topic")}
SPEC_KEYS = {"column", "value", "values", "default", "format", "timezone"}
TOP_KEYS = {"name", "family", "sheet", "header_row", "rows_without_text", *FIELDS}
FAMILIES = tuple(FAMILY_FIELDS)
WITHOUT_TEXT = ("bad", "skip")


class MappingProblem(ValueError):
    """What is wrong with a mapping (or with the file against it): one line."""


def normalised(cell: str) -> str:
    """A cell's text as a value map compares it: trimmed, case-folded, NFC, without emoji
    variation selectors (a terminal may export 🙂 with or without U+FE0F)."""
    text = unicodedata.normalize("NFC", cell).replace("\ufe0f", "").replace("\ufe0e", "")
    return text.strip().casefold()


@dataclass(frozen=True)
class FieldSpec:
    """One field: a column (with an optional value map and default for empty cells) or a
    constant. `formats` and `timezone` are for `time` only."""

    name: str
    column: str | None = None
    value: Any = None
    values: Mapping[str, Any] | None = None  # normalised cell text -> the contract's value
    default: Any = None
    formats: tuple[str, ...] = ()
    timezone: str = HELSINKI

    def value_keys(self) -> str:
        """The value map's keys, for a bad row's reason (the keys are the mapping's words, never
        a client's)."""
        return ", ".join(self.values or {})  # in the mapping's order


@dataclass(frozen=True)
class ImportMapping:
    name: str
    family: str
    fields: dict[str, FieldSpec]
    sheet: str | None = None
    header_row: int = 1
    rows_without_text: str = "bad"
    columns: tuple[str, ...] = field(default=())

    def spec(self, name: str) -> FieldSpec | None:
        return self.fields.get(name)


def load(path: Path) -> ImportMapping:
    """A mapping file, or a shipped mapping by name (`survey-generic`)."""
    if not path.exists() and path.suffix == "" and (SHIPPED / f"{path.name}.yaml").exists():
        path = SHIPPED / f"{path.name}.yaml"
    text = path.read_text(encoding="utf-8")  # OSError: the caller names the file
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise MappingProblem(f"not YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    return parse(data, default_name=path.stem)


def parse(data: object, *, default_name: str) -> ImportMapping:
    if not isinstance(data, dict):
        raise MappingProblem("expected a YAML mapping of fields (text:, time:, unit:, ...)")
    unknown = sorted(str(k) for k in data if k not in TOP_KEYS)
    if unknown:
        raise MappingProblem(f"unknown key(s) {', '.join(unknown)}; a mapping has "
                             f"{', '.join(sorted(TOP_KEYS))}")
    family = data.get("family", "feedback")
    if family not in FAMILIES:
        raise MappingProblem(f"family {family!r}: only {', '.join(FAMILIES)} can be imported")
    name = str(data.get("name") or default_name)
    fields = {f: _spec(f, data[f]) for f in FIELDS if data.get(f) is not None}
    foreign = [f for f in fields if f not in FAMILY_FIELDS[family]]
    if foreign:
        raise MappingProblem(f"field(s) {', '.join(foreign)}: not fields of {family}")
    missing = [f for f in REQUIRED[family] if f not in fields]
    if family == "expert_statement" and "unit" not in fields and "service_area" not in fields:
        missing.append("service_area (or unit)")
    if missing:
        raise MappingProblem(f"missing field(s) {', '.join(missing)}: each needs "
                             "{column: ...} or {value: ...}")
    header_row = data.get("header_row", 1)
    if not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1:
        raise MappingProblem("header_row: a row number, 1 or more")
    without_text = data.get("rows_without_text", "bad")
    if without_text not in WITHOUT_TEXT:
        raise MappingProblem(f"rows_without_text: {' or '.join(WITHOUT_TEXT)}")
    sheet = data.get("sheet")
    columns = tuple(dict.fromkeys(s.column for s in fields.values() if s.column))
    return ImportMapping(name=name, family=family, fields=fields,
                    sheet=None if sheet is None else str(sheet), header_row=header_row,
                    rows_without_text=without_text, columns=columns)


def _spec(name: str, raw: object) -> FieldSpec:
    if not isinstance(raw, dict):
        raise MappingProblem(f"{name}: expected {{column: ...}} or {{value: ...}}")
    unknown = sorted(str(k) for k in raw if k not in SPEC_KEYS)
    if unknown:
        raise MappingProblem(f"{name}: unknown key(s) {', '.join(unknown)}; a field has "
                             f"{', '.join(sorted(SPEC_KEYS))}")
    if ("column" in raw) == ("value" in raw):
        raise MappingProblem(f"{name}: give exactly one of column (the file's) or value "
                             "(the same for every row)")
    if name == "id" and "value" in raw:
        raise MappingProblem("id: a column (the export's own row id); a constant id is no id")
    if ("format" in raw or "timezone" in raw) and name != "time":
        raise MappingProblem(f"{name}: format and timezone are for time only")
    column = raw.get("column")
    if column is not None and (not isinstance(column, str) or not column.strip()):
        raise MappingProblem(f"{name}: column must be a column's name in the header")
    values = raw.get("values")
    if values is not None:
        if not isinstance(values, dict) or column is None:
            raise MappingProblem(f"{name}: values is a map from the column's texts to values")
        values = {normalised(str(k)): v for k, v in values.items()}
    formats = raw.get("format", ())
    formats = (formats,) if isinstance(formats, str) else tuple(formats)
    if not all(isinstance(f, str) and "%" in f for f in formats):
        raise MappingProblem(f"{name}: format is a strptime format such as \"%d.%m.%Y %H:%M\" "
                             "(or a list of them)")
    timezone = str(raw.get("timezone", HELSINKI))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise MappingProblem(f"{name}: unknown timezone {timezone!r} "
                             f"(e.g. {HELSINKI})") from None
    return FieldSpec(name=name, column=column.strip() if column else None, value=raw.get("value"),
                     values=values, default=raw.get("default"), formats=formats,
                     timezone=timezone)


def column_positions(mapping: ImportMapping, header: Iterable[object]) -> dict[str, int]:
    """Each column the mapping names -> its position in the header (compared trimmed and
    case-folded); MappingProblem naming the missing ones and the header's columns."""
    seen: dict[str, int] = {}
    names = [("" if h is None else str(h)).strip() for h in header]
    for i, h in enumerate(names):
        seen.setdefault(normalised(h), i)
    missing = [c for c in mapping.columns if normalised(c) not in seen]
    if missing:
        shown = ", ".join(repr(h) for h in names if h) or "none"
        raise MappingProblem(f"the file's header has no column(s) "
                             f"{', '.join(repr(c) for c in missing)} (its columns: {shown})")
    return {c: seen[normalised(c)] for c in mapping.columns}

"""The organisation registry: the wellbeing services counties (hyvinvointialueet), their service
areas and units that a deployment knows, by the codes events carry (`county`, `service_area`,
`unit`), with their names in Finnish and Swedish (English optional), optionally their OID in the
national sote organisation register (SOTE-organisaatiorekisteri), a unit's service languages and
the staff's e-mail addresses the notifier tells (`email`: a unit's managers' shared address, a
service area's leadership's, a county's decision-makers' secretary's; kokemusvirta/notify/).

Only what is in the registry is routed: an event naming anything else becomes a dead letter
`unknown_unit` and creates no topic (streams/routing.py). The deployment brings the registry as
a file, YAML or CSV (`parse_yaml`, `parse_csv`; the face loads it: kokemusvirta/organisations.py).
Both formats have the same fields; a CSV has one row per organisation and a `kind` column:

    kind          code, fi, sv (en, oid, email optional)
    county        -
    service_area  county
    unit          county, service_area (languages optional: "fi sv")

Codes name one thing each (a unit code is unique in the registry, no county, service area or
unit shares a code with another kind), so a page can show any code's name. One service area
code may serve several counties; it then has the same names in each.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")  # as schemas/envelope.py Code: it names topics
OID = re.compile(r"[0-2](?:\.(?:0|[1-9][0-9]*))+")  # e.g. 1.2.246.10.1234567.10.0
LANGUAGE = re.compile(r"[a-z]{2,3}")  # ISO 639: fi, sv, se (pohjoissaame), smn, sms, en
# A shared mailbox's address: one @, a dot in the domain, no spaces or list separators (one
# address per organisation: a list belongs in the mail system's own group address).
EMAIL = re.compile(r"[^@\s,;<>\"]{1,64}@[^@\s,;<>\"]+\.[^@\s,;<>\"]+")
KINDS = ("county", "service_area", "unit")
SECTIONS = {"counties": "county", "service_areas": "service_area", "units": "unit"}
# A kind's own fields besides code, fi, sv, en and oid; `kind` is the CSV's column.
PLACE = {"county": (), "service_area": ("county",), "unit": ("county", "service_area")}
OPTIONAL = {"en", "oid", "email"}
FIELDS = {kind: {"code", "fi", "sv", "en", "oid", "email", *place}
          | ({"languages"} if kind == "unit" else set())
          for kind, place in PLACE.items()}
CSV_COLUMNS = ("kind", "code", "county", "service_area", "fi", "sv", "en", "oid", "languages",
               "email")


class RegistryProblem(ValueError):
    """What is wrong with a registry file, and where (`line 12`, `units[3].county`)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}" if where else problem)
        self.where = where
        self.problem = problem


@dataclass(frozen=True)
class Names:
    fi: str
    sv: str
    en: str | None = None

    def in_language(self, lang: str) -> str:
        """English pages use the Finnish name unless the registry gives an English one, as the
        organisations themselves do."""
        if lang == "sv":
            return self.sv
        if lang == "en" and self.en:
            return self.en
        return self.fi


@dataclass(frozen=True)
class County:
    code: str
    names: Names
    oid: str | None = None
    email: str | None = None  # the decision-makers' secretary


@dataclass(frozen=True)
class ServiceArea:
    code: str
    county: str
    names: Names
    oid: str | None = None
    email: str | None = None  # its leadership's shared address


@dataclass(frozen=True)
class Unit:
    code: str
    county: str
    service_area: str
    names: Names
    oid: str | None = None
    languages: tuple[str, ...] = ()  # its service languages, when the registry says
    email: str | None = None  # its managers' shared address


class OrganisationRegistry:
    """The known counties, service areas and units, in the file's order. Built by `build` (or
    the parsers), which checks what this class takes for granted."""

    def __init__(self, counties: Iterable[County], service_areas: Iterable[ServiceArea],
                 units: Iterable[Unit]) -> None:
        self.counties: tuple[County, ...] = tuple(counties)
        self.service_areas: tuple[ServiceArea, ...] = tuple(service_areas)
        self.units: tuple[Unit, ...] = tuple(units)
        self._counties = {c.code: c for c in self.counties}
        self._areas = {(a.county, a.code): a for a in self.service_areas}
        self._units = {(u.county, u.code): u for u in self.units}
        self._names: dict[str, Names] = {}
        things: tuple[County | ServiceArea | Unit, ...] = (
            *self.counties, *self.service_areas, *self.units)
        for thing in things:
            self._names.setdefault(thing.code, thing.names)

    def county(self, code: str) -> County | None:
        return self._counties.get(code)

    def service_area(self, county: str, code: str) -> ServiceArea | None:
        return self._areas.get((county, code))

    def unit(self, county: str, code: str) -> Unit | None:
        """The unit of this code in this county; None when the county has no such unit."""
        return self._units.get((county, code))

    def areas_of(self, county: str) -> tuple[ServiceArea, ...]:
        return tuple(a for a in self.service_areas if a.county == county)

    def units_of(self, county: str, service_area: str | None = None) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.county == county
                     and (service_area is None or u.service_area == service_area))

    def names(self, code: str) -> Names | None:
        """Any county's, service area's or unit's names by its code."""
        return self._names.get(code)


# --- reading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One organisation as the file gives it; `where` says where for a problem's line."""

    kind: str
    fields: Mapping[str, str]
    where: str


def build(rows: Iterable[Row]) -> OrganisationRegistry:
    """The registry of these rows, or RegistryProblem naming the first row that is wrong."""
    counties: dict[str, County] = {}
    areas: dict[tuple[str, str], ServiceArea] = {}
    units: dict[str, Unit] = {}
    kind_of: dict[str, str] = {}
    area_names: dict[str, Names] = {}
    by_kind: dict[str, list[Row]] = {kind: [] for kind in KINDS}
    for row in rows:
        by_kind[row.kind].append(row)
    for row in (*by_kind["county"], *by_kind["service_area"], *by_kind["unit"]):
        f = row.fields
        code, names, oid, email = _code(row), _names(row), _oid(row), _email(row)
        clash = kind_of.setdefault(code, row.kind)
        if clash != row.kind:
            raise RegistryProblem(row.where, f"{row.kind} {code!r} has the code of a {clash} "
                                  "(a code names one thing)")
        if row.kind == "county":
            if code in counties:
                raise RegistryProblem(row.where, f"county {code!r} is given twice")
            counties[code] = County(code, names, oid, email)
            continue
        county = _known(row, "county", counties)
        if row.kind == "service_area":
            if (county, code) in areas:
                raise RegistryProblem(row.where, f"service area {code!r} is given twice for "
                                      f"county {county!r}")
            if area_names.setdefault(code, names) != names:
                raise RegistryProblem(row.where, f"service area {code!r} has other names "
                                      "than in another county")
            areas[(county, code)] = ServiceArea(code, county, names, oid, email)
            continue
        area = f.get("service_area", "")
        if (county, area) not in areas:
            raise RegistryProblem(row.where, f"unit {code!r}: service_area {area!r} is not one of "
                                  f"the service areas of county {county!r}")
        if code in units:
            raise RegistryProblem(row.where, f"unit {code!r} is given twice (a unit code is "
                                  "unique in the registry)")
        units[code] = Unit(code, county, area, names, oid, _languages(row), email)
    if not counties:
        raise RegistryProblem("", "no counties: the registry names at least one county")
    return OrganisationRegistry(counties.values(), areas.values(), units.values())


def _code(row: Row) -> str:
    code = row.fields.get("code", "")
    if not CODE.fullmatch(code):
        raise RegistryProblem(row.where, f"code {code!r} is not a code (lowercase letters, "
                              "digits and '-', at most 63, as in a topic name)")
    return code


def _names(row: Row) -> Names:
    for lang in ("fi", "sv"):
        if not row.fields.get(lang, "").strip():
            raise RegistryProblem(row.where, f"{row.kind} {row.fields.get('code')!r} has no "
                                  f"{lang} name")
    en = row.fields.get("en", "").strip()
    return Names(row.fields["fi"].strip(), row.fields["sv"].strip(), en or None)


def _oid(row: Row) -> str | None:
    oid = row.fields.get("oid", "").strip()
    if oid and not OID.fullmatch(oid):
        raise RegistryProblem(row.where, f"oid {oid!r} is not an OID (digits and dots, as "
                              "1.2.246.10.1234567.10.0)")
    return oid or None


def _email(row: Row) -> str | None:
    email = row.fields.get("email", "").strip()
    if email and not EMAIL.fullmatch(email):
        raise RegistryProblem(row.where, f"email {email!r} is not one e-mail address (as "
                              "esihenkilot.yksikko@alue.example.fi)")
    return email or None


def _known(row: Row, key: str, known: Mapping[str, object]) -> str:
    value = row.fields.get(key, "")
    if value not in known:
        raise RegistryProblem(row.where, f"{row.kind} {row.fields.get('code')!r}: {key} "
                              f"{value!r} is not one of the registry's counties")
    return value


def _languages(row: Row) -> tuple[str, ...]:
    languages = tuple(row.fields.get("languages", "").replace(",", " ").replace(";", " ")
                      .split())
    for lang in languages:
        if not LANGUAGE.fullmatch(lang):
            raise RegistryProblem(row.where, f"languages: {lang!r} is not a language code "
                                  "(fi, sv, se, ...)")
    return languages


def _check_fields(kind: str, fields: Iterable[str], where: str) -> None:
    allowed = FIELDS[kind]
    for name in fields:
        if name not in allowed:
            raise RegistryProblem(where, f"{kind}: unknown key {name!r} (expected: "
                                  f"{', '.join(sorted(allowed))})")
    missing = allowed - OPTIONAL - {"languages"} - set(fields)
    if missing:
        raise RegistryProblem(where, f"{kind}: missing {', '.join(sorted(missing))}")


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that remembers the line each mapping starts on (for a problem's line)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


_LINE = object()  # a key no YAML document can hold


def parse_yaml(text: str) -> OrganisationRegistry:
    """A registry file in YAML: `counties`, `service_areas` and `units`, each a list of
    mappings with the fields above (`languages` a list or a string)."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # a SafeLoader: no Python objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise RegistryProblem(where, f"not valid YAML ({getattr(exc, 'problem', None) or exc})"
                              ) from None
    if not isinstance(data, dict):
        raise RegistryProblem("line 1", "expected a mapping with counties, service_areas and "
                              "units")
    data.pop(_LINE, None)
    return build(_yaml_rows(data))


def _yaml_rows(data: dict[Any, Any]) -> Iterator[Row]:
    for section in data:
        if section not in SECTIONS:
            raise RegistryProblem("", f"unknown key {section!r} (expected: "
                                  f"{', '.join(SECTIONS)})")
    for section, kind in SECTIONS.items():
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise RegistryProblem(section, "expected a list")
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise RegistryProblem(f"{section}[{i}]", "expected a mapping")
            where = f"line {entry.pop(_LINE)}"
            _check_fields(kind, entry, where)
            yield Row(kind, {str(k): _scalar(v, str(k), where) for k, v in entry.items()}, where)


def _scalar(value: Any, key: str, where: str) -> str:
    if value is None:
        return ""
    if key == "languages" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return " ".join(value)  # languages: [fi, sv]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    raise RegistryProblem(f"{where}: {key}", "expected a text")


def parse_csv(text: str) -> OrganisationRegistry:
    """A registry file in CSV (comma-separated, a header row; `;` works too): the columns of
    CSV_COLUMNS, the optional ones may be left out."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter, strict=True)
    header = reader.fieldnames or []
    for name in header:
        if name not in CSV_COLUMNS:
            raise RegistryProblem("line 1", f"unknown column {name!r} (expected: "
                                  f"{', '.join(CSV_COLUMNS)})")
    for name in ("kind", "code", "fi", "sv"):
        if name not in header:
            raise RegistryProblem("line 1", f"no column {name!r}")
    return build(_csv_rows(reader))


def _csv_rows(reader: csv.DictReader[str]) -> Iterator[Row]:
    try:
        for record in reader:
            where = f"line {reader.line_num}"
            if None in record:
                raise RegistryProblem(where, "more values than columns")
            kind = (record.get("kind") or "").strip()
            if kind not in KINDS:
                raise RegistryProblem(where, f"kind {kind!r} is not one of {', '.join(KINDS)}")
            fields = {k: (v or "").strip() for k, v in record.items()
                      if k in FIELDS[kind] and v}
            for key in PLACE[kind]:
                if not fields.get(key):
                    raise RegistryProblem(where, f"{kind} {fields.get('code')!r}: no {key}")
            yield Row(kind, fields, where)
    except csv.Error as exc:  # the record that is not CSV starts after the last line read
        raise RegistryProblem(f"line {reader.line_num + 1}", f"not valid CSV ({exc})") from None

"""The demo's organisation: counties (hyvinvointialueet), their service areas and units, named as
the organisation registry names them (schemas/organisations.py), with the scenario's feedback
volumes and languages (scenario/texts/organisation.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from scenario.texts.organisation import COUNTY_MIX, UNIT_MIX
from schemas.organisations import COUNTIES, SERVICE_AREAS, UNITS


@dataclass(frozen=True)
class Unit:
    code: str
    name_fi: str
    name_sv: str
    languages: str = "fi"  # fi, sv, bilingual or sami: who writes feedback there, in what language
    weight: float = 1.0  # relative feedback volume within its service area


@dataclass(frozen=True)
class ServiceArea:
    code: str
    name_fi: str
    name_sv: str
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class County:
    code: str
    name_fi: str
    name_sv: str
    decision_prefix: str  # diary prefix of its decisions, as in "LAPHA/1234/2026"
    weight: float  # relative feedback volume
    areas: tuple[ServiceArea, ...]

    def area(self, code: str) -> ServiceArea:
        return next(a for a in self.areas if a.code == code)


@dataclass(frozen=True)
class Organisation:
    counties: tuple[County, ...]

    def county(self, code: str) -> County:
        return next(c for c in self.counties if c.code == code)

    def units(self) -> Iterator[tuple[County, ServiceArea, Unit]]:
        for county in self.counties:
            for area in county.areas:
                for unit in area.units:
                    yield county, area, unit

    def unit(self, code: str) -> tuple[County, ServiceArea, Unit]:
        return next(t for t in self.units() if t[2].code == code)


def _build_organisation() -> Organisation:
    """Every unit of the registry, in the registry's order (the scenario's draws follow it)."""
    counties = []
    for code, (name_fi, name_sv) in COUNTIES.items():
        prefix, weight = COUNTY_MIX[code]
        county_areas = tuple(
            ServiceArea(area, *SERVICE_AREAS[area], units=tuple(
                Unit(unit, unit_fi, unit_sv, *UNIT_MIX[unit])
                for unit, (unit_fi, unit_sv) in units.items()))
            for area, units in UNITS[code].items()
        )
        counties.append(County(code, name_fi, name_sv, prefix, weight, county_areas))
    return Organisation(tuple(counties))


ORGANISATION = _build_organisation()

"""The demo's organisation: counties (hyvinvointialueet), their service areas and units, as the
demo's organisation registry (kokemusvirta/organisations.yaml) names them, with the scenario's
feedback volumes and languages (scenario/texts/organisation.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kokemusvirta.organisations import demo_organisations
from scenario.texts.organisation import COUNTY_MIX, UNIT_MIX


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
    registry = demo_organisations()
    counties = []
    for county in registry.counties:
        prefix, weight = COUNTY_MIX[county.code]
        county_areas = tuple(
            ServiceArea(area.code, area.names.fi, area.names.sv, units=tuple(
                Unit(unit.code, unit.names.fi, unit.names.sv, *UNIT_MIX[unit.code])
                for unit in registry.units_of(county.code, area.code)))
            for area in registry.areas_of(county.code)
        )
        counties.append(County(county.code, county.names.fi, county.names.sv, prefix, weight,
                               county_areas))
    return Organisation(tuple(counties))


ORGANISATION = _build_organisation()

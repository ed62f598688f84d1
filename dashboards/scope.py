"""What a signed-in reader may see of the dashboards: their scope turned into the filters every
chart query runs under, so a query never returns another scope's rows (the filter is in the SQL,
as `$county`, `$service_area`, `$unit`; not in the template).

    Scope.of(role, scope) -> Scope          from the workplace user's role and scope string
    scope.clamp(filters) -> Filters         the reader's filters inside the scope, else OutOfScope

The roles and scopes are the workplace's (kokemusvirta/workplace/users.py), written as strings
here because the dashboards import only sinks and schemas:
    unit_manager  county.unit     the unit
    leadership    county.area     the service area
    secretary     county          the county's figures only (no service area, unit or single
                                  item; small groups suppressed as everywhere)
    auditor, analyst  county | *  the county, or every county
Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dashboards.filters import Filters

ALL = "*"


class OutOfScope(PermissionError):
    """A filter outside the reader's scope (a 403, naming the filter, not the scope's data)."""


@dataclass(frozen=True)
class Scope:
    role: str
    county: str | None = None         # None: every county
    service_area: str | None = None
    unit: str | None = None

    @classmethod
    def of(cls, role: str, scope: str) -> Scope:
        parts = scope.split(".")
        if role == "unit_manager" and len(parts) == 2:
            return cls(role, county=parts[0], unit=parts[1])
        if role == "leadership" and len(parts) == 2:
            return cls(role, county=parts[0], service_area=parts[1])
        if role in ("secretary", "auditor", "analyst") and len(parts) == 1 and parts[0]:
            return cls(role, county=None if scope == ALL else scope)
        raise ValueError(f"no dashboard scope for a {role!r} with scope {scope[:60]!r}")

    @property
    def sees_items(self) -> bool:
        """Whether lists of single items (the overdue list) are shown: a council's secretary
        sees county-level figures only."""
        return self.role != "secretary"

    @property
    def county_level_only(self) -> bool:
        return self.role == "secretary"

    def clamp(self, filters: Filters) -> Filters:
        """The filters with the scope's place forced in; a filter naming another place is
        refused (OutOfScope), never widened or silently replaced."""
        for name in ("county", "service_area", "unit"):
            fixed, asked = getattr(self, name), getattr(filters, name)
            if fixed is not None and asked is not None and asked != fixed:
                raise OutOfScope(f"{name}: outside your scope")
        if self.county_level_only and (filters.service_area or filters.unit):
            raise OutOfScope("service_area/unit: a secretary sees county-level figures only")
        return replace(filters, county=self.county or filters.county,
                       service_area=self.service_area or filters.service_area,
                       unit=self.unit or filters.unit)

    def describe(self) -> str:
        """The scope as codes, for the page's line saying whose figures these are."""
        place = self.unit or self.service_area
        if self.county is None:
            return ALL
        return f"{self.county}.{place}" if place else self.county

"""What a reader of the dashboards narrows the figures to: county, service area, unit, period.

The same filters reach every chart query (`dashboards/queries/*.sql`) as named parameters
`$county`, `$service_area`, `$unit`, `$period_start`, `$period_end`, `$theme`; NULL means "all".
The period is months of receipt (`month_received`): from the first day of `period_start`'s month
to the first day of `period_end`'s month, both included.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from dashboards.html import echo


class BadFilter(ValueError):
    """A filter value a reader could not have meant (shown to them as it is)."""


def _month(value: str | None, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        year, month = str(value)[:7].split("-")
        return date(int(year), int(month), 1)
    except ValueError as exc:
        raise BadFilter(f"{name}: expected a month as YYYY-MM, got {echo(value)}") from exc


@dataclass(frozen=True)
class Filters:
    county: str | None = None
    service_area: str | None = None
    unit: str | None = None
    period_start: date | None = None  # first day of a month
    period_end: date | None = None    # first day of a month, included
    theme: str | None = None

    @classmethod
    def parse(cls, values: dict[str, str | None]) -> Filters:
        """From a query string or command-line options; empty values mean "all"."""
        def text(name: str) -> str | None:
            v = values.get(name)
            return v.strip() or None if isinstance(v, str) else None

        f = cls(county=text("county"), service_area=text("service_area"), unit=text("unit"),
                period_start=_month(values.get("period_start"), "period_start"),
                period_end=_month(values.get("period_end"), "period_end"),
                theme=text("theme"))
        if f.period_start and f.period_end and f.period_start > f.period_end:
            raise BadFilter("period_start is after period_end")
        return f

    def params(self) -> dict[str, Any]:
        """Named parameters for a chart query (DuckDB `$name`)."""
        return asdict(self)

    def query_string(self) -> dict[str, str]:
        """The non-empty filters as strings (months as YYYY-MM), for links and forms."""
        out: dict[str, str] = {}
        for k, v in asdict(self).items():
            if v is not None:
                out[k] = v.strftime("%Y-%m") if isinstance(v, date) else str(v)
        return out

    def without(self, *names: str) -> Filters:
        return replace(self, **{n: None for n in names})

"""Weekly aggregated signals: unit × theme counts over a threshold in one ISO week.

Counted: feedback that asks for something (complaints, suggestions, questions, mixed), by the
week it was received. An item with two themes counts under both.

Pure `detect(rows, week, threshold, now)` makes the signals; `rows_for_week` reads the store.
A signal's event id is derived from (county, unit, theme, week), so detecting the same week
again publishes the same events and the store keeps one signal each.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from schemas.envelope import derived_uuid
from schemas.signal import SignalDetected
from schemas.taxonomy import Severity, Stance, Theme
from schemas.vocabulary import THEMES
from sinks import reader as query

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class MemberRow:
    item_id: str
    county: str
    service_area: str
    unit: str
    theme: str
    stance: str
    severity: str


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """[Monday 00:00, next Monday 00:00) of an ISO week like 2026-W41, in UTC."""
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    start = datetime.combine(monday, time(0), tzinfo=UTC)
    return start, start + timedelta(days=7)


def week_of(at: datetime) -> str:
    iso = at.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _commonest_stance(members: list[MemberRow]) -> str:
    """The members' commonest stance; a tie goes to the stance listed first in Stance (complaint
    before suggestion, question and mixed), not to whichever row the store returned first, so
    the same week detects the same signal whatever order its members were read in."""
    counts = Counter(m.stance for m in members)
    order = {stance.value: i for i, stance in enumerate(Stance)}
    return min(counts, key=lambda s: (-counts[s], order.get(s, len(order)), s))


def detect(rows: list[MemberRow], week: str, threshold: int = DEFAULT_THRESHOLD,
           now: datetime | None = None) -> list[SignalDetected]:
    groups: dict[tuple[str, str, str, str], list[MemberRow]] = defaultdict(list)
    for r in rows:
        groups[(r.county, r.service_area, r.unit, r.theme)].append(r)
    _, week_end = week_bounds(week)
    at = min(week_end, now) if now else week_end
    signals = []
    for (county, area, unit, theme), members in sorted(groups.items()):
        if len(members) < threshold:
            continue
        stance = _commonest_stance(members)
        severity = max((Severity(m.severity) for m in members), key=lambda s: s.rank)
        label = THEMES[Theme(theme)]["fi"].lower()
        signals.append(SignalDetected(
            event_id=derived_uuid("signal", county, unit, theme, week),
            occurred_at=at, recorded_at=now or at, county=county, unit=unit,
            service_area=area, theme=Theme(theme), week=week, threshold=threshold,
            members=tuple(sorted(m.item_id for m in members)), stance=Stance(stance),
            severity=severity,
            text=f"Viikkosignaali {week}: yksikkö {unit} sai {len(members)} palautetta "
                 f"teemasta {label} (raja {threshold}).",
        ))
    return signals


def rows_for_week(store: Path, week: str) -> list[MemberRow]:
    """Feedback items received in the week that ask for something (every stance but praise:
    thanks go to the unit, not to leadership as a signal), one row per theme they carry."""
    start, end = week_bounds(week)
    _, rows = query.run(store, f"""
        select item_id, county, service_area, unit, unnest(themes) as theme, stance, severity
        from knowledge_items
        where source_family = 'feedback' and unit is not null and themes is not null
          and stance <> 'praise'
          and received_at >= TIMESTAMPTZ '{start.isoformat()}'
          and received_at < TIMESTAMPTZ '{end.isoformat()}'""")
    return [MemberRow(*map(str, r)) for r in rows]

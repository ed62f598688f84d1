"""Helsinki local time without a tz database (so generating does no I/O), and the week's rhythm."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import NamedTuple

from scenario.choices import Weighted


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


@cache
def _summer_time(year: int) -> tuple[datetime, datetime]:
    """EU summer time in local Helsinki time: last Sunday of March 03:00 to last Sunday of October
    04:00 (computed here rather than read from a tz database, so generating does no I/O)."""
    return (
        datetime.combine(_last_sunday(year, 3), time(3)),
        datetime.combine(_last_sunday(year, 10), time(4)),
    )


def _helsinki_offset(local: datetime) -> int:
    begins, ends = _summer_time(local.year)
    return 3 if begins <= local < ends else 2


class Stamp(NamedTuple):
    text: str  # ISO 8601 with offset
    utc: datetime  # naive UTC, for ordering


def stamp(local: datetime, as_utc: bool) -> Stamp:
    offset = _helsinki_offset(local)
    utc = local - timedelta(hours=offset)
    if as_utc:
        return Stamp(utc.isoformat(timespec="seconds") + "Z", utc)
    return Stamp(f"{local.isoformat(timespec='seconds')}+0{offset}:00", utc)


def event_times(
    rng: random.Random, day: date, hours: Weighted, delay_seconds: tuple[int, int], as_utc: bool
) -> tuple[Stamp, Stamp]:
    """When something happened on `day` (hour by `hours`) and when it was recorded, later."""
    local = datetime.combine(
        day, time(hours.pick(rng), int(rng.random() * 60), int(rng.random() * 60))
    )
    low, high = delay_seconds
    delay = timedelta(seconds=low + int(rng.random() * (high - low)))
    return stamp(local, as_utc), stamp(local + delay, as_utc)


_HOLIDAYS = {(1, 1), (1, 6), (5, 1), (12, 6), (12, 24), (12, 25), (12, 26)}  # fixed-date ones only


def day_weight(day: date) -> float:
    """Relative feedback volume of a day: Mondays busiest, weekends and holidays quiet."""
    if day.weekday() == 6 or (day.month, day.day) in _HOLIDAYS:
        return 0.3
    return (1.15, 1.0, 1.0, 1.0, 0.95, 0.35)[day.weekday()]

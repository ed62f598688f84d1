"""The plan: how many of what, on which day of the scenario's period."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from scenario.choices import choice
from scenario.malformed import MALFORMED_KINDS
from scenario.mix import COUNTIES, UNITS
from scenario.organisation import ORGANISATION
from scenario.participation import Decision
from scenario.times import day_weight

DEFAULT_EVENTS = 3_000
DEFAULT_MALFORMED = 10
BLOCK_SIZE = 13  # per 3,000 events: 4 group meetings, 2 pop-up and 2 digital forums, 5 statements


@dataclass(frozen=True)
class Special:
    """A non-feedback event scheduled on a day: a workshop, a statement or a malformed record."""

    kind: str
    args: tuple[Any, ...] = ()


@dataclass
class Plan:
    feedback_per_day: list[int]
    specials: dict[int, list[Special]] = field(default_factory=dict)
    v1_ordinals: frozenset[int] = frozenset()

    def add(self, day: int, special: Special) -> None:
        self.specials.setdefault(day, []).append(special)


def sizes(events: int | None) -> tuple[int, int, int, int]:
    """(total, blocks of workshops and statements, malformed, version-1 feedback)."""
    if events is None:
        return DEFAULT_EVENTS, 1, DEFAULT_MALFORMED, 1
    if events < 0:
        raise ValueError("events must be >= 0")
    if events < 200:  # too few for the structured part: feedback only
        return events, 0, 0, 0
    return (
        events,
        max(1, round(events / DEFAULT_EVENTS)),
        round(events / 1000),
        1 + events // 25_000,
    )


def _weekday(start: date, days: int, day: int) -> int:
    """The nearest weekday on or after `day` inside the period (or before it, at the end)."""
    for d in list(range(day, days)) + list(range(day - 1, -1, -1)):
        if (start + timedelta(days=d)).weekday() < 5:
            return d
    return min(day, days - 1)


def make_plan(
    rng: random.Random,
    start: date,
    days: int,
    decisions: dict[str, tuple[Decision, ...]],
    total: int,
    blocks: int,
    malformed: int,
    v1: int,
) -> Plan:
    feedback = total - blocks * BLOCK_SIZE - malformed
    weights = [day_weight(start + timedelta(days=d)) * rng.uniform(0.85, 1.15) for d in range(days)]
    cum = list(accumulate(weights))
    bounds = [0] + [round(feedback * c / cum[-1]) for c in cum]
    plan = Plan([bounds[d + 1] - bounds[d] for d in range(days)])
    plan.v1_ordinals = frozenset(rng.sample(range(feedback), min(v1, feedback)))
    counties = [c.code for c in ORGANISATION.counties]
    for b in range(blocks):
        county = ORGANISATION.county(counties[b % 3])
        area = choice(rng, county.areas)
        unit = choice(rng, area.units)
        decision = choice(rng, decisions[county.code])
        group_id = f"{county.code}-kehittajaasiakkaat-{b // 3 + 1}"
        first, interval = rng.randrange(max(1, days // 5)), choice(rng, (7, 14))
        if first + 3 * interval >= days:
            interval = max(1, (days - 1 - first) // 3)
        for k in range(1, 5):
            day = _weekday(start, days, min(first + (k - 1) * interval, days - 1))
            plan.add(day, Special("meeting", (county, area, unit, group_id, k, decision)))
        for forum in ("pop_up", "pop_up", "digital", "digital"):
            c, a, u = UNITS.pick(rng)
            plan.add(
                _weekday(start, days, rng.randrange(days)),
                Special(forum, (c, a, u if forum == "pop_up" else None)),
            )
        other = ORGANISATION.county(counties[(b + 1) % 3])
        for kind, author, c, dec in (
            ("decision", "expert_by_experience", county, decision),
            ("county_wide", "expert_by_experience", COUNTIES.pick(rng), None),
            ("area", "influence_body", COUNTIES.pick(rng), None),
            (
                "decision",
                "expert_by_experience",
                other,
                choice(rng, decisions[other.code]),
            ),
            (
                "area",
                choice(rng, ("expert_by_experience", "developer_client_group")),
                COUNTIES.pick(rng),
                None,
            ),
        ):
            day = _weekday(start, days, rng.randrange(days // 3 if kind == "decision" else 0, days))
            plan.add(day, Special("statement", (kind, author, c, dec)))
    for k in range(malformed):
        plan.add(
            rng.randrange(days),
            Special("malformed", MALFORMED_KINDS[k % len(MALFORMED_KINDS)]),
        )
    return plan

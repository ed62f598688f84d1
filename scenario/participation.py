"""Structural participation: workshop outputs (group meetings, pop-up and digital forums), decisions
under preparation and expert statements."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from scenario.choices import choice
from scenario.mix import OFFICE_HOURS
from scenario.organisation import ORGANISATION, County, ServiceArea, Unit
from scenario.records import new_event_id
from scenario.text_cores import AREA_TAGS, split_tags
from scenario.texts.participation import (
    DECISIONS,
    STATEMENT_AUTHOR_INTROS,
    STATEMENT_DECISION_CLOSING,
    STATEMENT_INTROS,
    STATEMENT_SUBJECTS,
    WORKSHOP_PREFIXES,
    WORKSHOP_PROPOSALS,
    WORKSHOP_PROPOSALS_LAPPI,
    WORKSHOP_REASONS,
)
from scenario.times import event_times, stamp


@dataclass(frozen=True)
class Decision:
    ref: str
    title_fi: str
    title_sv: str
    subject_fi: str  # topic of the statement subject (texts/participation.py) that comments on it
    subject_sv: str
    area: str  # service area code


def decisions_under_preparation(rng: random.Random, start: date) -> dict[str, tuple[Decision, ...]]:
    """Each county's decisions under preparation, with diary numbers of the scenario's year."""
    return {
        c.code: tuple(
            Decision(f"{c.decision_prefix}/{rng.randint(100, 4999)}/{start.year}", *texts)
            for texts in DECISIONS[c.code]
        )
        for c in ORGANISATION.counties
    }


def _proposal_pools() -> dict[tuple[str, bool, str], tuple[str, ...]]:
    """(language, in Lapland, service area) -> workshop proposals that fit."""
    out = {}
    for lang, raws in WORKSHOP_PROPOSALS.items():
        for lappi in (False, True):
            tagged = [
                split_tags(r)
                for r in raws + (WORKSHOP_PROPOSALS_LAPPI if lappi and lang == "fi" else ())
            ]
            for area in AREA_TAGS.values():
                out[lang, lappi, area] = tuple(
                    text for _, areas, text in tagged if areas is None or area in areas
                )
    return out


_PROPOSALS = _proposal_pools()


class ParticipationWriter:
    """Writes workshop outputs and expert statements as event payloads."""

    def __init__(self, rng: random.Random, decisions: dict[str, tuple[Decision, ...]]) -> None:
        self.rng = rng
        self.decisions = decisions
        self.forums = 0  # numbers the pop-up and digital forums

    def workshop(
        self,
        day: date,
        forum: str,
        county: County,
        area: ServiceArea,
        unit: Unit | None,
        group_id: str | None = None,
        meeting: int | None = None,
        decision: Decision | None = None,
    ) -> tuple[dict[str, Any], datetime]:
        rng = self.rng
        event_id = new_event_id(rng)
        end = datetime.combine(day, time(choice(rng, (15, 16, 17)), choice(rng, (0, 15, 30))))
        recorded = end + timedelta(minutes=rng.randint(20, 20 * 60))
        lang = (
            "sv"
            if unit is not None
            and (unit.languages == "sv" or (unit.languages == "bilingual" and rng.random() < 0.3))
            else "fi"
        )
        first: tuple[str, ...]
        rest: tuple[str, ...]
        if forum == "meeting":
            # Meetings always come with their meeting number and decision (plan.make_plan).
            assert meeting is not None and decision is not None
            participants = {"developer_client": 8, "staff": 2}
            # Each meeting opens with a different target, so the group reaches all four.
            first_targets = (
                ("unit",),
                ("service_area",),
                ("decision_under_preparation",),
                ("county_policy",),
            )
            first = first_targets[meeting - 1]
            rest = (
                "unit",
                "service_area",
                "service_area",
                "county_policy",
                "decision_under_preparation",
            )
            workshop_id, forum_type, facilitators = (
                f"{group_id}-tapaaminen-{meeting}",
                "structural",
                2,
            )
        else:
            self.forums += 1
            decision = choice(rng, self.decisions[county.code])
            if forum == "pop_up":
                participants = {
                    "client": rng.randint(12, 45),
                    "close_one": rng.randint(2, 12),
                    "staff": rng.randint(2, 4),
                }
                first, rest = ("unit",), ("unit", "unit", "service_area", "county_policy")
            else:
                participants = {
                    "client": rng.randint(20, 80),
                    "close_one": rng.randint(3, 15),
                    "expert_by_experience": rng.randint(1, 3),
                    "developer_client": rng.randint(1, 4),
                }
                first, rest = (
                    ("service_area",),
                    ("service_area", "county_policy", "decision_under_preparation"),
                )
            kind = "popup" if forum == "pop_up" else "digiraati"
            workshop_id = f"{kind}-{county.code}-{day:%Y%m%d}-{self.forums}"
            forum_type, facilitators = forum, rng.randint(1, 2)
        proposals = _PROPOSALS[lang, county.code == "lappi", area.code]
        n = min(rng.randint(2, 5), len(proposals))
        targets = list(first) + [choice(rng, rest) for _ in range(n - 1)]
        items = []
        for target, proposal in zip(targets, rng.sample(proposals, n), strict=True):
            prefix_kind = {
                "county_policy": "county_policy",
                "decision_under_preparation": "decision",
            }.get(target, "structural" if forum == "meeting" else forum)
            title = decision.title_sv if lang == "sv" else decision.title_fi
            prefix = choice(rng, WORKSHOP_PREFIXES[lang][prefix_kind]).format(title=title)
            text = f"{prefix} {proposal}. {choice(rng, WORKSHOP_REASONS[lang])}".strip()
            item: dict[str, Any] = {"text": text, "target": target}
            if target == "decision_under_preparation":
                item["decision_ref"] = decision.ref
            items.append(item)
        payload = {
            "event_id": str(event_id),
            "event_type": "workshop.output_recorded",
            "schema_version": 1,
            "occurred_at": stamp(end, False).text,
            "recorded_at": stamp(recorded, False).text,
            "county": county.code,
            "unit": unit.code if unit else None,
            "workshop_id": workshop_id,
            "group_id": group_id,
            "meeting_number": meeting,
            "forum_type": forum_type,
            "held_on": day.isoformat(),
            "service_area": area.code,
            "facilitator_count": facilitators,
            "participants": participants,
            "items": items,
        }
        return payload, stamp(recorded, False).utc

    def statement(
        self, day: date, kind: str, author: str, county: County, decision: Decision | None
    ) -> tuple[dict[str, Any], datetime]:
        rng = self.rng
        event_id = new_event_id(rng)
        occurred, recorded = event_times(rng, day, OFFICE_HOURS, (60, 1800), as_utc=False)
        lang = "sv" if county.code == "pohjanmaa" and rng.random() < 0.5 else "fi"
        area_codes = {a.code for a in county.areas}
        if decision is not None:
            about = decision.subject_sv if lang == "sv" else decision.subject_fi
            subjects = [s for s in STATEMENT_SUBJECTS[lang] if s["topic"] == about]
        else:
            subjects = [
                s
                for s in STATEMENT_SUBJECTS[lang]
                if s.get("county", county.code) == county.code
                and bool(s.get("county_wide")) == (kind == "county_wide")
                and (author != "influence_body" or s["area"] in (None, "ikaantyneiden-palvelut"))
            ]
        subject = choice(rng, subjects or STATEMENT_SUBJECTS[lang])
        if author == "influence_body":
            area = "ikaantyneiden-palvelut"
        elif decision is not None:
            area = decision.area
        else:
            area = (
                subject["area"] if subject["area"] in area_codes else choice(rng, county.areas).code
            )
        intros = STATEMENT_AUTHOR_INTROS[lang]
        intro = (
            intros.get(f"{author}:{area}")
            or intros.get(author)
            or choice(rng, STATEMENT_INTROS[lang])
        )
        findings = rng.sample(subject["findings"], 2)
        also = "Lisäksi" if lang == "fi" else "Vidare konstateras att"
        text = f"{intro} {findings[0]} {also} {findings[1]}"
        topic = subject["topic"]
        if decision is not None:
            title = decision.title_sv if lang == "sv" else decision.title_fi
            topic = f"{'Utlåtande' if lang == 'sv' else 'Lausunto'}: {title}"
            text += " " + STATEMENT_DECISION_CLOSING[lang].format(title=title)
        recommendations = subject["recommendations"]
        payload = {
            "event_id": str(event_id),
            "event_type": "expert_statement.issued",
            "schema_version": 1,
            "occurred_at": occurred.text,
            "recorded_at": recorded.text,
            "county": county.code,
            "author_role": author,
            "service_area": area,
            "topic": topic,
            "decision_ref": decision.ref if decision else None,
            "county_wide": kind == "county_wide",
            "language": lang,
            "text": text,
            "recommendations": rng.sample(recommendations, rng.randint(2, len(recommendations))),
        }
        return payload, recorded.utc

"""The scenario's mix: where feedback comes from, its language, stance, theme, channel and hour."""

from __future__ import annotations

from collections.abc import Iterable

from scenario.choices import Weighted
from scenario.organisation import ORGANISATION, County

# Share of feedback by service area (renormalised per county).
AREA_WEIGHTS = {
    "perusterveydenhuolto": 36,
    "ikaantyneiden-palvelut": 24,
    "sosiaalipalvelut": 12,
    "mielenterveys-ja-paihde": 16,
    "lapsiperheiden-palvelut": 12,
}


def units_weighted(counties: Iterable[County]) -> Weighted:
    pairs = []
    for county in counties:
        area_total = sum(AREA_WEIGHTS[a.code] for a in county.areas)
        for area in county.areas:
            unit_total = sum(u.weight for u in area.units)
            for unit in area.units:
                share = AREA_WEIGHTS[area.code] / area_total * unit.weight / unit_total
                pairs.append(((county, area, unit), county.weight * share))
    return Weighted(pairs)


UNITS = units_weighted(ORGANISATION.counties)  # (county, area, unit) by feedback volume
COUNTIES = Weighted((c, c.weight) for c in ORGANISATION.counties)
# Language of the feedback (None: not given) by who uses the unit.
LANGUAGES = {
    "fi": Weighted((("fi", 89), ("sv", 1.5), ("en", 5.5), (None, 4))),
    "bilingual": Weighted((("fi", 62), ("sv", 27), ("en", 6), (None, 5))),
    "sv": Weighted((("sv", 68), ("fi", 22), ("en", 5), (None, 5))),
    "sami": Weighted((("fi", 72), ("se", 17), ("sv", 1), ("en", 5), (None, 5))),
}
STANCES = Weighted(
    (("praise", 30), ("complaint", 40), ("suggestion", 12), ("question", 8), ("mixed", 10))
)
COMPLAINT_SEVERITY = Weighted((("low", 33), ("medium", 44), ("high", 19.5), ("critical", 3.5)))
MIXED_SEVERITY = Weighted((("low", 40), ("medium", 45), ("high", 15)))
THEMES = Weighted(
    (
        ("access", 17),
        ("quality", 14),
        ("respect", 11),
        ("communication", 12),
        ("coordination", 9),
        ("environment", 9),
        ("digital", 8),
        ("fees", 7),
        ("listening", 8),
        ("safety", 5),
    )
)
CHANNELS = {
    "ikaantyneiden-palvelut": Weighted((("electronic", 35), ("oral", 40), ("written", 25))),
    None: Weighted((("electronic", 58), ("oral", 25), ("written", 17))),
}
CLOSE_ONE_SHARE = {
    "ikaantyneiden-palvelut": 0.5,
    "lapsiperheiden-palvelut": 0.35,
    "mielenterveys-ja-paihde": 0.15,
    "sosiaalipalvelut": 0.1,
    "perusterveydenhuolto": 0.12,
}
RATINGS = {
    "praise": (5, 5, 5, 4, 4, 3),
    "complaint": (1, 1, 2, 2, 3),
    "mixed": (2, 3, 3, 4),
    "suggestion": (3, 4, 4, 5),
    "question": (3, 4, 5),
}
REPLY_SHARE = {
    "praise": 0.02,
    "complaint": 0.25,
    "mixed": 0.15,
    "suggestion": 0.1,
    "question": 0.5,
}
# Hour of day (local) at which electronic feedback is given; oral and written in office hours.
E_HOURS = Weighted(
    (h, w)
    for h, w in zip(
        range(6, 24), (1, 3, 6, 9, 9, 8, 7, 7, 6, 6, 5, 5, 5, 6, 7, 7, 5, 3), strict=True
    )
)
OFFICE_HOURS = Weighted((h, w) for h, w in zip(range(8, 16), (6, 9, 9, 7, 6, 7, 6, 4), strict=True))

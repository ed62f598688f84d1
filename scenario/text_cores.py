"""Text cores: the sentences the classifier has to understand, indexed by what they say and where.

A core's stance and severity follow its key, its themes its theme plus any "+theme" tags; area tags
limit it to some service areas (format in texts/__init__.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scenario.mix import THEMES
from scenario.records import Intended
from scenario.texts.cores_en import CORES_EN
from scenario.texts.cores_fi import CORES_FI
from scenario.texts.cores_se import CORES_SE
from scenario.texts.cores_sv import CORES_SV

CORES_BY_LANGUAGE = {"fi": CORES_FI, "sv": CORES_SV, "en": CORES_EN, "se": CORES_SE}
AREA_TAGS = {
    "perus": "perusterveydenhuolto",
    "ika": "ikaantyneiden-palvelut",
    "sos": "sosiaalipalvelut",
    "mt": "mielenterveys-ja-paihde",
    "lp": "lapsiperheiden-palvelut",
}
_SEVERITY_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
# When a language has no core for a key, the nearest key is used; the label follows the core used.
_KEY_FALLBACK = {
    "praise": ("praise", "suggestion"),
    "suggestion": ("suggestion", "question", "praise"),
    "question": ("question", "suggestion", "praise"),
    "low": ("low", "medium", "high"),
    "medium": ("medium", "low", "high"),
    "high": ("high", "medium", "low"),
    "critical": ("critical", "high", "medium", "low"),
}
_TAGS = re.compile(r"^\[([^\]]*)\]\s*")


@dataclass(frozen=True)
class Core:
    text: str
    themes: tuple[str, ...]
    stance: str
    severity: str
    areas: frozenset[str] | None  # None: any service area
    needs_close_one: bool


def split_tags(raw: str) -> tuple[list[str], frozenset[str] | None, str]:
    """'[ika +safety] text' -> (extra themes, service areas or None for any, text)."""
    match = _TAGS.match(raw)
    if not match:
        return [], None, raw
    tags = match.group(1).split()
    areas = frozenset(AREA_TAGS[t] for t in tags if not t.startswith("+"))
    return [t[1:] for t in tags if t.startswith("+")], areas or None, raw[match.end() :]


def _parse_core(theme: str, key: str, raw: str) -> Core:
    extra, areas, raw = split_tags(raw)
    themes = [theme, *extra]
    stance = key if key in ("praise", "suggestion", "question") else "complaint"
    severity = "none" if stance != "complaint" else key
    return Core(raw, tuple(themes), stance, severity, areas, "{rel" in raw.lower())


def _core_index() -> dict[tuple[str, str, str, str, str], tuple[Core, ...]]:
    """(language, theme, key, area, role) -> cores to choose from, falling back when none fit."""
    index = {}
    for lang, by_theme in CORES_BY_LANGUAGE.items():
        cores = [
            _parse_core(theme, key, raw)
            for theme, by_key in by_theme.items()
            for key, raws in by_key.items()
            for raw in raws
        ]
        for role in ("client", "close_one"):
            for area in AREA_TAGS.values():
                usable = [c for c in cores if (role == "close_one" or not c.needs_close_one)]
                in_area = [c for c in usable if c.areas is None or area in c.areas]
                for theme in THEMES.items:
                    for key in _KEY_FALLBACK:
                        index[lang, theme, key, area, role] = _first_fit(
                            theme, key, in_area, usable
                        )
    return index


def _first_fit(theme: str, key: str, in_area: list[Core], usable: list[Core]) -> tuple[Core, ...]:
    def fits(core: Core, k: str) -> bool:
        return (core.severity == k) if core.stance == "complaint" else (core.stance == k)

    for k in _KEY_FALLBACK[key]:
        for pool, same_theme in (
            (in_area, True),
            (usable, True),
            (in_area, False),
            (usable, False),
        ):
            found = tuple(
                c for c in pool if fits(c, k) and (not same_theme or c.themes[0] == theme)
            )
            if found:
                return found
    raise ValueError(f"no text core for {theme}/{key}")


CORES = _core_index()


def intended_by(cores: list[Core]) -> Intended:
    """What a text built from these cores says: mixed if it both praises and complains."""
    stances = {c.stance for c in cores}
    stance = "mixed" if "praise" in stances and "complaint" in stances else cores[0].stance
    severity = max((c.severity for c in cores), key=_SEVERITY_RANK.__getitem__)
    themes = tuple(sorted({t for c in cores for t in c.themes}))
    return Intended(themes, stance, severity)

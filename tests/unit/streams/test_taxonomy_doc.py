"""docs/taxonomy.md, schemas/taxonomy.py and the classifier's rule files name the same codes.

The page is what people read to know what a code means; a code added to the code or the rules
and not to the page (or the other way round) would leave a label nobody has defined.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from schemas.taxonomy import Severity, Stance, Theme

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "docs" / "taxonomy.md"
RULES = sorted((ROOT / "streams" / "classification" / "rules").glob("*.yaml"))


def codes_in_section(title: str) -> list[str]:
    """The codes in the first column of the table under `## <title>`, in the page's order."""
    text = PAGE.read_text(encoding="utf-8")
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"docs/taxonomy.md has no section '## {title}'"
    return re.findall(r"^\| `([a-z_]+)` \|", match.group(1), flags=re.M)


def test_the_page_defines_every_code_in_the_code_s_order() -> None:
    assert codes_in_section("Themes") == [str(t) for t in Theme]
    assert codes_in_section("Stance") == [str(s) for s in Stance]
    assert codes_in_section("Severity") == [str(s) for s in Severity]  # from the lowest


@pytest.mark.parametrize("rules", RULES, ids=lambda p: p.stem)
def test_the_rules_use_the_page_s_codes(rules: Path) -> None:
    data = yaml.safe_load(rules.read_text(encoding="utf-8"))
    assert set(data["themes"]) == set(codes_in_section("Themes")), "every theme has its rules"
    assert set(data["stance"]) <= set(codes_in_section("Stance"))
    for group in data["severity"]:
        assert group["level"] in codes_in_section("Severity")
        assert set(group.get("themes") or ()) <= set(codes_in_section("Themes"))


def test_there_are_rules_for_each_language_of_the_classifier() -> None:
    assert [p.stem for p in RULES] == ["en", "fi", "se", "sv"]  # se: Northern Sámi (issue 14)

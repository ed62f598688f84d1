"""Settings take their values by the variables' names (KOKEMUSVIRTA_HOME=...), and ignore any
other keyword: `Settings(home=tmp)` silently meant the repository's .kokemusvirta/. Tests that did
so shared one store and key there, and two of them locked each other out when the suite ran in
two processes. None may again."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# Settings(...) given a lower-case keyword: a field name, which Settings ignores (pydantic's own
# `_env_file=` starts with an underscore and is meant).
IGNORED_KEYWORD = re.compile(r"\bSettings\(\s*([a-z][a-z0-9_]*)\s*=")


def test_no_test_gives_settings_a_keyword_it_ignores() -> None:
    found = [f"{path.relative_to(TESTS)}: {match.group(0)}"
             for path in sorted(TESTS.rglob("*.py")) if path != Path(__file__).resolve()
             for match in IGNORED_KEYWORD.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_pattern_finds_what_it_looks_for() -> None:
    assert IGNORED_KEYWORD.search("s = Settings(home=tmp)")
    assert not IGNORED_KEYWORD.search("s = Settings(KOKEMUSVIRTA_HOME=tmp)")
    assert not IGNORED_KEYWORD.search("s = Settings(**values)")


def test_settings_refuse_a_keyword_that_names_no_setting(tmp_path: Path) -> None:
    # The guard above reads the tests' text; this is the same rule in Settings itself, for any
    # caller: a field's name instead of its variable's is refused, not silently dropped.
    import pytest

    from kokemusvirta.settings import Settings

    with pytest.raises(TypeError, match="not a setting: home"):
        Settings(home=tmp_path)
    assert Settings(KOKEMUSVIRTA_HOME=tmp_path).home == tmp_path  # type: ignore[call-arg]
    assert Settings(kokemusvirta_home=tmp_path).home == tmp_path  # type: ignore[call-arg]
    assert Settings(_env_file=None, KOKEMUSVIRTA_HOME=tmp_path).home == tmp_path  # type: ignore[call-arg]

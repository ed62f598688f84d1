"""A reader's scope becomes the filters every chart query runs under."""

from __future__ import annotations

import pytest

from dashboards.filters import Filters
from dashboards.scope import OutOfScope, Scope


def test_a_unit_manager_sees_the_unit_whatever_they_ask() -> None:
    scope = Scope.of("unit_manager", "lappi.rovaniemi")
    assert scope.clamp(Filters()) == Filters(county="lappi", unit="rovaniemi")
    assert scope.clamp(Filters(theme="access")).unit == "rovaniemi"
    with pytest.raises(OutOfScope):
        scope.clamp(Filters(unit="kemi"))
    with pytest.raises(OutOfScope):
        scope.clamp(Filters(county="pirkanmaa"))


def test_leadership_sees_the_service_area_and_may_narrow_to_a_unit() -> None:
    scope = Scope.of("leadership", "lappi.perusterveydenhuolto")
    assert scope.clamp(Filters(unit="u1")) == Filters(
        county="lappi", service_area="perusterveydenhuolto", unit="u1")
    with pytest.raises(OutOfScope):
        scope.clamp(Filters(service_area="sosiaalipalvelut"))


def test_a_secretary_sees_county_level_figures_and_no_single_items() -> None:
    scope = Scope.of("secretary", "lappi")
    assert scope.clamp(Filters()) == Filters(county="lappi")
    assert not scope.sees_items
    with pytest.raises(OutOfScope):
        scope.clamp(Filters(unit="u1"))


def test_auditors_and_analysts_see_their_county_or_all() -> None:
    assert Scope.of("analyst", "*").clamp(Filters(county="lappi")) == Filters(county="lappi")
    assert Scope.of("analyst", "*").clamp(Filters()) == Filters()
    with pytest.raises(OutOfScope):
        Scope.of("auditor", "lappi").clamp(Filters(county="pirkanmaa"))


def test_an_unknown_role_or_malformed_scope_gets_no_dashboards() -> None:
    with pytest.raises(ValueError):
        Scope.of("unit_manager", "lappi")
    with pytest.raises(ValueError):
        Scope.of("visitor", "*")

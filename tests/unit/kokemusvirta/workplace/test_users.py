"""Staff users: roles, scopes (the guard's rules), requesters and pseudonyms."""

from __future__ import annotations

import pytest

from kokemusvirta.workplace.users import (
    ScopeError,
    StaffRole,
    StaffUser,
    check_scope,
    pseudonym_of,
)
from schemas.access import Requester, RequesterRole

KEY = b"k" * 32


def user(role: StaffRole, scope: str) -> StaffUser:
    return StaffUser("maija", pseudonym_of(KEY, "maija"), "Maija", role, scope)


def test_the_pseudonym_is_stable_keyed_and_names_no_one() -> None:
    p = pseudonym_of(KEY, "maija.meikalainen@lappi.fi")
    assert p == pseudonym_of(KEY, "maija.meikalainen@lappi.fi")
    assert p != pseudonym_of(b"x" * 32, "maija.meikalainen@lappi.fi")
    assert p != pseudonym_of(KEY, "matti")
    assert p.startswith("us-") and len(p) == 19 and "maija" not in p


@pytest.mark.parametrize(("role", "scope", "requester"), [
    (StaffRole.UNIT_MANAGER, "lappi.rovaniemen-terveysasema",
     Requester(RequesterRole.UNIT, "lappi", "rovaniemen-terveysasema")),
    (StaffRole.LEADERSHIP, "lappi.perusterveydenhuolto",
     Requester(RequesterRole.LEADERSHIP, "lappi", "perusterveydenhuolto")),
    (StaffRole.SECRETARY, "lappi", Requester(RequesterRole.DECISION_MAKERS, "lappi")),
])
def test_those_who_act_act_as_their_requester(role: StaffRole, scope: str,
                                               requester: Requester) -> None:
    u = user(role, scope)
    assert u.requester == requester and u.may_act
    assert u.requester.request_topic("kv.") == f"kv.requests.{requester.role.value}.{scope}"


@pytest.mark.parametrize("role", [StaffRole.AUDITOR, StaffRole.ANALYST])
def test_readers_have_no_requester(role: StaffRole) -> None:
    u = user(role, "*")
    assert u.requester is None and not u.may_act


@pytest.mark.parametrize(("role", "scope"), [
    (StaffRole.UNIT_MANAGER, "lappi"), (StaffRole.UNIT_MANAGER, "lappi.a.b"),
    (StaffRole.LEADERSHIP, "Lappi.x"), (StaffRole.SECRETARY, "lappi.x"),
    (StaffRole.SECRETARY, "*"), (StaffRole.AUDITOR, "lappi.x"), (StaffRole.ANALYST, ""),
])
def test_a_scope_that_does_not_fit_the_role_is_refused(role: StaffRole, scope: str) -> None:
    with pytest.raises(ScopeError):
        check_scope(role, scope)
    with pytest.raises(ValueError):
        user(role, scope)


def test_a_malformed_pseudonym_is_refused() -> None:
    with pytest.raises(ValueError):
        StaffUser("maija", "maija", "Maija", StaffRole.ANALYST, "*")


def test_a_unit_manager_sees_the_unit_only() -> None:
    u = user(StaffRole.UNIT_MANAGER, "lappi.rovaniemen-terveysasema")
    assert u.may_see("lappi", "perusterveydenhuolto", "rovaniemen-terveysasema")
    assert not u.may_see("lappi", "perusterveydenhuolto", "kemin-terveysasema")
    assert not u.may_see("pirkanmaa", "perusterveydenhuolto", "rovaniemen-terveysasema")
    assert not u.may_see("lappi", "perusterveydenhuolto", None)


def test_leadership_sees_the_area_and_a_secretary_the_county() -> None:
    lead = user(StaffRole.LEADERSHIP, "lappi.perusterveydenhuolto")
    assert lead.may_see("lappi", "perusterveydenhuolto", "kemin-terveysasema")
    assert lead.may_see("lappi", "perusterveydenhuolto", None)
    assert not lead.may_see("lappi", "vanhuspalvelut", "kemin-terveysasema")
    assert not lead.may_see("kainuu", "perusterveydenhuolto", None)
    sec = user(StaffRole.SECRETARY, "lappi")
    assert sec.may_see("lappi", "vanhuspalvelut", None)
    assert not sec.may_see("kainuu", "vanhuspalvelut", None)


def test_readers_see_their_county_or_all() -> None:
    assert user(StaffRole.AUDITOR, "*").may_see("kainuu", "x", "y")
    analyst = user(StaffRole.ANALYST, "lappi")
    assert analyst.may_see("lappi", "x", "y") and not analyst.may_see("kainuu", "x", "y")
    assert analyst.county == "lappi" and user(StaffRole.AUDITOR, "*").county is None


def test_may_see_follows_the_guards_scope_rules() -> None:
    """The same verdict as streams/guard.py authorise for every place (its scope part)."""
    from datetime import UTC, datetime
    from uuid import uuid4

    from schemas.lifecycle import ActorRole, ItemAcknowledged
    from streams.guard import authorise
    from streams.lifecycle import ItemState, Stage

    places = [("lappi", "perusterveydenhuolto", "rovaniemen-terveysasema"),
              ("lappi", "perusterveydenhuolto", "kemin-terveysasema"),
              ("lappi", "vanhuspalvelut", None), ("kainuu", "perusterveydenhuolto", None)]
    users = [user(StaffRole.UNIT_MANAGER, "lappi.rovaniemen-terveysasema"),
             user(StaffRole.LEADERSHIP, "lappi.perusterveydenhuolto"),
             user(StaffRole.SECRETARY, "lappi")]
    now = datetime.now(UTC)
    for u in users:
        assert u.requester is not None
        for county, area, unit in places:
            state = ItemState(item_id="fb-0123456789abcdef", county=county,
                              stage=Stage.ROUTED, last_occurred_at=now, last_hash=None,
                              unit=unit, service_area=area)
            event = ItemAcknowledged(event_id=uuid4(), occurred_at=now, recorded_at=now,
                                     county=county, unit=unit, item_id="fb-0123456789abcdef",
                                     actor_role=ActorRole(u.requester.actor_role))
            guard_says = authorise(u.requester, event, state) is None
            assert u.may_see(county, area, unit) is guard_says, (u.role, county, area, unit)


"""Who a person signed in at the provider is here (kokemusvirta/workplace/oidc_mapping.py)."""

from __future__ import annotations

import pytest

from kokemusvirta.workplace.oidc_mapping import (
    Grant,
    MappingError,
    NoRole,
    check_issuer,
    check_scopes,
    grant_for,
    grant_from_value,
    grants_from_claim,
    language_for,
    parse_users_file,
    same_issuer,
    staff_user,
    user_id_for,
)
from kokemusvirta.workplace.users import PSEUDONYM, StaffRole

KEY = b"k" * 32
UNIT = "lappi.rovaniemen-terveysasema"
MANAGER = Grant(StaffRole.UNIT_MANAGER, UNIT)
USERS_YAML = f"""
users:
  Maija.Manager@Lappi.example: {{role: unit_manager, scope: {UNIT}}}
  subject-42: {{role: auditor, scope: lappi, language: sv}}
"""


def test_a_claim_value_grants_its_role_and_scope() -> None:
    assert grant_from_value(f"kokemusvirta:unit_manager:{UNIT}") == MANAGER
    assert grant_from_value("kokemusvirta:leadership:lappi.perusterveydenhuolto") == Grant(
        StaffRole.LEADERSHIP, "lappi.perusterveydenhuolto")
    assert grant_from_value("kokemusvirta:analyst:*") == Grant(StaffRole.ANALYST, "*")


@pytest.mark.parametrize("value", [
    "other-system:admin", f"kokemusvirta:superuser:{UNIT}", "kokemusvirta:unit_manager:lappi",
    "kokemusvirta:unit_manager:LAPPI.X", f"kokemusvirta:unit_manager:{UNIT}:extra",
    f"Kokemusvirta:unit_manager:{UNIT}", ""])
def test_other_systems_values_and_bad_ones_grant_nothing(value: str) -> None:
    assert grant_from_value(value) is None


def test_a_claim_may_be_one_string_or_a_list_and_anything_else_is_nothing() -> None:
    value = f"kokemusvirta:unit_manager:{UNIT}"
    assert grants_from_claim(value) == [MANAGER]
    assert grants_from_claim(["staff", value, 7]) == [MANAGER]
    assert grants_from_claim({"role": value}) == []
    assert grants_from_claim(None) == []


def test_the_role_claim_maps_a_person() -> None:
    claims = {"sub": "s1", "groups": ["county-staff", f"kokemusvirta:unit_manager:{UNIT}"]}
    assert grant_for(claims, role_claim="groups", users={}) == MANAGER


def test_without_a_role_there_is_no_grant() -> None:
    with pytest.raises(NoRole, match="no role"):
        grant_for({"sub": "s1", "groups": ["county-staff"]}, role_claim="groups", users={})
    with pytest.raises(NoRole, match="no role"):
        grant_for({"sub": "s1"}, role_claim=None, users={})


def test_the_claim_is_read_only_when_configured() -> None:
    claims = {"sub": "s1", "groups": [f"kokemusvirta:unit_manager:{UNIT}"]}
    with pytest.raises(NoRole):
        grant_for(claims, role_claim=None, users={})
    with pytest.raises(NoRole):
        grant_for(claims, role_claim="roles", users={})


def test_several_roles_are_refused_not_guessed() -> None:
    claims = {"sub": "s1", "groups": [f"kokemusvirta:unit_manager:{UNIT}",
                                      "kokemusvirta:auditor:lappi"]}
    with pytest.raises(NoRole, match="several"):
        grant_for(claims, role_claim="groups", users={})
    same_twice = {"sub": "s1", "groups": [f"kokemusvirta:unit_manager:{UNIT}"] * 2}
    assert grant_for(same_twice, role_claim="groups", users={}) == MANAGER


def test_the_users_file_maps_by_verified_email_without_case_and_by_subject() -> None:
    users = parse_users_file(USERS_YAML)
    by_mail = {"sub": "x", "email": "maija.manager@lappi.EXAMPLE", "email_verified": True}
    assert grant_for(by_mail, role_claim=None, users=users) == MANAGER
    assert grant_for({"sub": "subject-42"}, role_claim=None, users=users) == Grant(
        StaffRole.AUDITOR, "lappi", "sv")


@pytest.mark.parametrize("verified", [False, None, "true"])
def test_an_unverified_email_maps_to_nothing(verified: object) -> None:
    users = parse_users_file(USERS_YAML)
    claims = {"sub": "x", "email": "maija.manager@lappi.example", "email_verified": verified}
    with pytest.raises(NoRole):
        grant_for(claims, role_claim=None, users=users)


def test_a_subject_matches_exactly() -> None:
    users = parse_users_file(USERS_YAML)
    with pytest.raises(NoRole):
        grant_for({"sub": "SUBJECT-42"}, role_claim=None, users=users)


@pytest.mark.parametrize(("text", "message"), [
    ("users: [", "not valid YAML"),
    ("people: {}", "`users:` mapping"),
    ("users: {a@b.fi: {role: unit_manager}}", "role and scope"),
    ("users: {a@b.fi: {role: boss, scope: lappi}}", "role 'boss' is not one of"),
    ("users: {a@b.fi: {role: unit_manager, scope: lappi}}", "scope is COUNTY.UNIT"),
    ("users: {a@b.fi: {role: auditor, scope: lappi, language: de}}", "fi, sv or en"),
    ("users: {a@b.fi: {role: auditor, scope: lappi, admin: true}}", "unknown field 'admin'"),
])
def test_a_bad_users_file_is_one_line_that_names_no_one(text: str, message: str) -> None:
    with pytest.raises(MappingError, match=message) as caught:
        parse_users_file(text)
    assert "\n" not in str(caught.value)
    assert "a@b.fi" not in str(caught.value)


def test_the_language_is_the_grants_then_the_locale_then_finnish() -> None:
    assert language_for({"locale": "en"}, Grant(StaffRole.AUDITOR, "lappi", "sv")) == "sv"
    assert language_for({"locale": "sv-FI"}, MANAGER) == "sv"
    assert language_for({"locale": "de"}, MANAGER) == "fi"
    assert language_for({}, MANAGER) == "fi"


def test_the_staff_user_is_an_oidc_user_known_by_a_pseudonym() -> None:
    claims = {"sub": "id-maija", "name": "Maija Manager", "locale": "fi"}
    user = staff_user(claims, MANAGER, KEY)
    assert (user.role, user.scope, user.auth, user.display_name) == (
        StaffRole.UNIT_MANAGER, UNIT, "oidc", "Maija Manager")
    assert PSEUDONYM.match(user.pseudonym)
    assert staff_user(claims, MANAGER, KEY).pseudonym == user.pseudonym
    assert staff_user(dict(claims, sub="id-other"), MANAGER, KEY).pseudonym != user.pseudonym


def test_a_local_account_never_shares_a_pseudonym_with_a_provider_subject() -> None:
    from kokemusvirta.workplace.users import pseudonym_of

    user = staff_user({"sub": "maija"}, MANAGER, KEY)
    assert user.pseudonym not in {pseudonym_of(KEY, "maija"), pseudonym_of(KEY, user.user_id)}


def test_a_subject_that_does_not_fit_a_user_id_becomes_a_digest() -> None:
    assert user_id_for("id-maija") == "oidc-id-maija"
    odd = user_id_for("auth0|5f7c:8e")
    assert odd.startswith("oidc-") and len(odd) == 37
    with pytest.raises(NoRole):
        staff_user({"name": "no subject"}, MANAGER, KEY)


@pytest.mark.parametrize("issuer", ["https://tunnistus.lappi.example/",
                                    "http://localhost:9998/", "http://127.0.0.1:5556/dex"])
def test_an_issuer_is_https_or_on_this_machine(issuer: str) -> None:
    assert check_issuer(issuer) == issuer


@pytest.mark.parametrize("issuer", ["http://tunnistus.lappi.example/", "ftp://x/",
                                    "tunnistus.lappi.example", "https://x/?a=1"])
def test_a_plain_http_issuer_elsewhere_is_refused(issuer: str) -> None:
    with pytest.raises(MappingError):
        check_issuer(issuer)


def test_the_discovery_document_must_name_the_configured_issuer() -> None:
    assert same_issuer("http://localhost:9998", "http://localhost:9998/")
    assert not same_issuer("http://localhost:9998/", "http://localhost:9999/")
    assert not same_issuer("https://a/", None)


def test_scopes_must_ask_for_openid() -> None:
    assert check_scopes("openid  email") == "openid email"
    with pytest.raises(MappingError):
        check_scopes("email profile")

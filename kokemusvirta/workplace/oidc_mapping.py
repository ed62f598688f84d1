"""Who a person signed in at the county's identity provider is in Kokemusvirta. Pure, no I/O.

Two ways to give a person a role, both in the county's hands, never in the person's:
- a claim in the ID token (KOKEMUSVIRTA_OIDC_ROLE_CLAIM) whose values are written
  `kokemusvirta:ROLE:SCOPE`, e.g. `kokemusvirta:unit_manager:lappi.rovaniemen-terveysasema`
  (values of other systems in the same claim, such as the county's other groups, are ignored);
- a YAML file (KOKEMUSVIRTA_OIDC_USERS) for a provider that cannot add claims: the subject, or
  an e-mail the provider says it verified, to role, scope and language.

A person must end with exactly one role and scope: none is "no role in Kokemusvirta", several
are refused too (a StaffUser acts in one role; the county fixes the grant rather than the
workplace guessing). An e-mail the provider has not verified maps to nothing: anyone may type
any address into an account of their own at many providers.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

import yaml

from kokemusvirta.workplace.users import (
    USER_ID,
    Language,
    ScopeError,
    StaffRole,
    StaffUser,
    check_scope,
    pseudonym_of,
)

CLAIM_PREFIX = "kokemusvirta"
LANGUAGES: tuple[Language, ...] = ("fi", "sv", "en")


@dataclass(frozen=True)
class Grant:
    role: StaffRole
    scope: str
    language: Language | None = None  # None: the provider's locale claim, else Finnish


class NoRole(Exception):
    """The person has no single role here. The message names the reason, never the person."""


class MappingError(ValueError):
    """A users file or a setting that cannot be used; one line that says what to fix."""


def grant_from_value(value: str) -> Grant | None:
    """`kokemusvirta:ROLE:SCOPE` as a grant; None for another system's value or a bad one."""
    parts = value.strip().split(":")
    if len(parts) != 3 or parts[0] != CLAIM_PREFIX:
        return None
    try:
        role = StaffRole(parts[1])
        return Grant(role, check_scope(role, parts[2]))
    except (ValueError, ScopeError):
        return None


def grants_from_claim(value: object) -> list[Grant]:
    """The grants in a role claim: one string, or a list of strings (as groups usually are)."""
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    grants = [grant_from_value(v) for v in values if isinstance(v, str)]
    return [g for g in grants if g is not None]


def parse_users_file(text: str, source: str = "KOKEMUSVIRTA_OIDC_USERS") -> dict[str, Grant]:
    """The users file: `users:` mapping a subject or an e-mail to role, scope and language.

        users:
          maija.manager@lappi.example: {role: unit_manager, scope: lappi.rovaniemen-terveysasema}
          9f3c2a71-subject-at-the-provider: {role: auditor, scope: lappi, language: sv}
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise MappingError(f"{source} is not valid YAML{where}") from None
    if not isinstance(data, dict) or not isinstance(data.get("users"), dict):
        raise MappingError(f"{source} must have a `users:` mapping of subject or e-mail to "
                           "role, scope and language")
    grants: dict[str, Grant] = {}
    for key, entry in data["users"].items():
        grants[_who(key, source)] = _grant(key, entry, source)
    return grants


def _who(key: object, source: str) -> str:
    if not isinstance(key, str) or not key.strip():
        raise MappingError(f"{source}: every key is a subject or an e-mail address")
    key = key.strip()
    return key.lower() if "@" in key else key  # an e-mail compares without case, a subject exactly


def _grant(key: str, entry: object, source: str) -> Grant:
    # The key may be an e-mail: the messages name the entry by its position, not by it.
    if not isinstance(entry, dict) or not {"role", "scope"} <= entry.keys():
        raise MappingError(f"{source}: every user needs role and scope")
    unknown = set(entry) - {"role", "scope", "language"}
    if unknown:
        raise MappingError(f"{source}: unknown field {sorted(unknown)[0]!r} "
                           "(role, scope, language)")
    try:
        role = StaffRole(str(entry["role"]))
    except ValueError:
        roles = ", ".join(r.value for r in StaffRole)
        raise MappingError(f"{source}: role {entry['role']!r} is not one of {roles}") from None
    try:
        scope = check_scope(role, str(entry["scope"]))
    except ScopeError as error:
        raise MappingError(f"{source}: {error}") from None
    language = entry.get("language")
    if language is not None and language not in LANGUAGES:
        raise MappingError(f"{source}: language is fi, sv or en, not {language!r}")
    return Grant(role, scope, cast("Language | None", language))


def grant_for(claims: Mapping[str, Any], *, role_claim: str | None,
              users: Mapping[str, Grant]) -> Grant:
    """The one grant of the person these ID-token claims describe, or NoRole."""
    found: list[Grant] = []
    if role_claim:
        found += grants_from_claim(claims.get(role_claim))
    subject = claims.get("sub")
    if isinstance(subject, str) and subject in users:
        found.append(users[subject])
    email = claims.get("email")
    if isinstance(email, str) and claims.get("email_verified") is True:
        grant = users.get(email.strip().lower())
        if grant is not None:
            found.append(grant)
    distinct = {(g.role, g.scope) for g in found}
    if not distinct:
        raise NoRole("no role in Kokemusvirta")
    if len(distinct) > 1:
        raise NoRole("several roles in Kokemusvirta")
    return found[0]


def with_userinfo(id_token: Mapping[str, Any], userinfo: Mapping[str, Any]) -> dict[str, Any]:
    """The ID token's claims and the UserInfo endpoint's (many providers, the test provider
    among them, keep e-mail and groups there). UserInfo must be about the same subject (OIDC
    Core 5.3.2), else ValueError; what the signed ID token says wins over it."""
    if userinfo.get("sub") != id_token.get("sub"):
        raise ValueError("the UserInfo answer is about another subject")
    return {**userinfo, **id_token}


def language_for(claims: Mapping[str, Any], grant: Grant) -> Language:
    """The grant's language, else the provider's `locale` (fi-FI, sv, …), else Finnish."""
    if grant.language is not None:
        return grant.language
    locale = claims.get("locale")
    head = locale.replace("_", "-").split("-")[0].lower() if isinstance(locale, str) else ""
    return cast(Language, head) if head in LANGUAGES else "fi"


def display_name(claims: Mapping[str, Any]) -> str:
    """What the page calls the person (shown to them only, never logged)."""
    for key in ("name", "preferred_username"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    given, family = claims.get("given_name"), claims.get("family_name")
    joined = " ".join(v for v in (given, family) if isinstance(v, str) and v.strip())
    return joined[:200] or "–"


def user_id_for(subject: str) -> str:
    """The subject as the user id when it fits the user-id rule, else a digest of it (some
    providers' subjects hold `|` or `:`). Shown in the session only; the log has the pseudonym."""
    candidate = f"oidc-{subject}"
    if USER_ID.match(candidate):
        return candidate
    return "oidc-" + hashlib.sha256(subject.encode()).hexdigest()[:32]


def staff_user(claims: Mapping[str, Any], grant: Grant, pseudonym_key: bytes) -> StaffUser:
    """The StaffUser the session holds for a person the provider vouched for."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise NoRole("no subject in the ID token")
    # `oidc:` cannot start a local account's name (no colon there), so a local account can
    # never share a pseudonym, and so a history, with a person of the provider.
    return StaffUser(user_id=user_id_for(subject),
                     pseudonym=pseudonym_of(pseudonym_key, f"oidc:{subject}"),
                     display_name=display_name(claims), role=grant.role, scope=grant.scope,
                     language=language_for(claims, grant), auth="oidc")


def check_issuer(issuer: str) -> str:
    """The issuer as given if it is an https URL (http only on this machine, for tests and a
    provider on the same host); else MappingError. Tokens fetched over plain http from another
    host could be read and changed on the way."""
    parts = urlsplit(issuer)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.query \
            or parts.fragment:
        raise MappingError(f"KOKEMUSVIRTA_OIDC_ISSUER is an https URL, not {issuer!r}")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise MappingError("KOKEMUSVIRTA_OIDC_ISSUER must use https (http only for localhost)")
    return issuer


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def same_issuer(configured: str, announced: object) -> bool:
    """The discovery document must name the issuer it was fetched for (OIDC Discovery §4.3):
    else a token of another issuer could pass. A trailing slash is the only leeway."""
    return isinstance(announced, str) and announced.rstrip("/") == configured.rstrip("/")


def check_scopes(scopes: str) -> str:
    words = scopes.split()
    if "openid" not in words:
        raise MappingError("KOKEMUSVIRTA_OIDC_SCOPES must include openid")
    return " ".join(words)

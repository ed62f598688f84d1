"""Staff users: who signed in, in which role and scope, and what that lets them see and do.
Pure, no I/O.

The roles are the people behind the Kafka requesters (schemas/access.py) plus two who only
read: a unit manager acts as the unit's requester, leadership as the service area's, a political
body's secretary as the county's decision-makers; an auditor and an analyst have no requester.
A user's scope is written like a requester's (`county.unit`, `county.area`, `county`); an
auditor's or analyst's is a county or `*` (every county).

The log never holds a name: a user is known there by `pseudonym`, `us-` and 16 hex digits of an
HMAC of the user id under the deployment's pseudonym key (kokemusvirta/keystore.py
pseudonym_key), the same user always the same pseudonym while the key stays.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from schemas.access import NAME, Requester, RequesterRole

PSEUDONYM = re.compile(r"^us-[0-9a-f]{16}$")
USER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,199}$")
ALL_COUNTIES = "*"
Language = Literal["fi", "sv", "en"]
Auth = Literal["local", "oidc"]


class StaffRole(StrEnum):
    UNIT_MANAGER = "unit_manager"  # yksikön esihenkilö: one unit
    LEADERSHIP = "leadership"  # palvelualuejohto: one service area
    SECRETARY = "secretary"  # a political body's secretary: the county's decision-makers
    AUDITOR = "auditor"  # reads the access log and the lifecycle's path
    ANALYST = "analyst"  # reads the dashboards

    @property
    def requester_role(self) -> RequesterRole | None:
        return _REQUESTER_ROLES.get(self)

    @property
    def scope_hint(self) -> str:
        return {StaffRole.UNIT_MANAGER: "COUNTY.UNIT", StaffRole.LEADERSHIP: "COUNTY.AREA",
                StaffRole.SECRETARY: "COUNTY"}.get(self, "COUNTY or *")


_REQUESTER_ROLES = {
    StaffRole.UNIT_MANAGER: RequesterRole.UNIT,
    StaffRole.LEADERSHIP: RequesterRole.LEADERSHIP,
    StaffRole.SECRETARY: RequesterRole.DECISION_MAKERS,
}


class ScopeError(ValueError):
    """A role and scope that do not fit; the message says how the scope is written."""


def check_scope(role: StaffRole, scope: str) -> str:
    """The scope as given if it fits the role, else ScopeError (one line)."""
    requester_role = role.requester_role
    if requester_role is not None:
        try:
            Requester.parse(requester_role.value, scope)
        except ValueError:
            raise ScopeError(f"a {role.value}'s scope is {role.scope_hint} (lower-case codes, "
                             f"digits and -), not {scope!r}") from None
        return scope
    if scope != ALL_COUNTIES and not NAME.match(scope):
        raise ScopeError(f"an {role.value}'s scope is a county code or * (every county), "
                         f"not {scope!r}")
    return scope


def check_user_id(user_id: str) -> str:
    if not USER_ID.match(user_id):
        raise ValueError("a user id is 1-200 characters: letters, digits and . _ @ -")
    return user_id


def pseudonym_of(key: bytes, user_id: str) -> str:
    """`us-` and 16 hex digits of HMAC-SHA256(key, user id): stable, and no name in the log."""
    digest = hmac.new(key, b"staff-user\x00" + user_id.encode(), hashlib.sha256).hexdigest()
    return f"us-{digest[:16]}"


@dataclass(frozen=True)
class StaffUser:
    user_id: str  # the login name, or the OpenID Connect subject
    pseudonym: str  # us- + 16 hex (pseudonym_of): what the log says of this user
    display_name: str
    role: StaffRole
    scope: str
    language: Language = "fi"
    auth: Auth = "local"

    def __post_init__(self) -> None:
        if not PSEUDONYM.match(self.pseudonym):
            raise ValueError("a staff pseudonym is us- and 16 hex digits")
        check_scope(self.role, self.scope)

    @property
    def requester(self) -> Requester | None:
        """The Kafka requester the user acts as; None for those who only read."""
        kind = self.role.requester_role
        return None if kind is None else Requester.parse(kind.value, self.scope)

    @property
    def may_act(self) -> bool:
        return self.requester is not None

    @property
    def county(self) -> str | None:
        """The user's county; None for `*`."""
        head = self.scope.split(".")[0]
        return None if head == ALL_COUNTIES else head

    def may_see(self, county: str, service_area: str | None, unit: str | None) -> bool:
        """Whether an item of this place is inside the user's scope: the rules of the guard
        (streams/guard.py authorise) for those who act, the county (or all) for the readers."""
        requester = self.requester
        if requester is None:
            return self.scope == ALL_COUNTIES or county == self.scope
        if county != requester.county:
            return False
        if requester.role is RequesterRole.UNIT:
            return unit is not None and unit == requester.place
        if requester.role is RequesterRole.LEADERSHIP:
            return service_area is not None and service_area == requester.place
        return True

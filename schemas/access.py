"""Who may act: the principals of a deployment and the names they stand for. Pure, no I/O.

A *requester* is a person's role with its scope: the unit managers of one unit, the leadership of
one service area, the decision-makers of one county. Each has its own request topic, which only
that principal may write (Kafka ACLs, kokemusvirta/access/), so the lifecycle guard takes the
actor's role and scope from the topic a request arrived on and never from the payload.

Names, with the deployment's topic prefix P (default ``kv.``)::

    principal (SCRAM user)          P<role>.<scope>        kv.unit.lappi.rovaniemen-terveysasema
    its request topic               P requests.<role>.<scope>
    the routed topic it reads       P routed.<role>.<scope> (TopicNames.unit/leadership/...)

The system's own principals (worker, sink, intake gateway, auditor, notifier) have no scope:
P<role>. The notifier writes P requests.notifier (TopicNames.notifier_requests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from schemas.lifecycle import ActorRole

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


class RequesterRole(StrEnum):
    """The roles that ask for lifecycle steps, as they appear in topic and user names."""

    UNIT = "unit"
    LEADERSHIP = "leadership"
    DECISION_MAKERS = "decision-makers"

    @property
    def actor_role(self) -> ActorRole:
        return _ACTOR_ROLES[self]

    @property
    def scope_parts(self) -> int:
        """How many dot-separated names the scope has: county.unit, county.area, county."""
        return 1 if self is RequesterRole.DECISION_MAKERS else 2


_ACTOR_ROLES = {
    RequesterRole.UNIT: ActorRole.UNIT_MANAGER,
    RequesterRole.LEADERSHIP: ActorRole.LEADERSHIP,
    RequesterRole.DECISION_MAKERS: ActorRole.DECISION_MAKER,
}


class SystemRole(StrEnum):
    """The project's own principals: one each, no scope."""

    WORKER = "worker"
    SINK = "sink"
    GATEWAY = "gateway"
    AUDITOR = "auditor"
    NOTIFIER = "notifier"  # delivers answers and tells staff (kokemusvirta/notify/)
    WORKPLACE = "workplace"  # writes the access log (kokemusvirta/workplace/access_log.py)


@dataclass(frozen=True)
class Requester:
    """A role with its scope, e.g. unit managers of lappi / rovaniemen-terveysasema."""

    role: RequesterRole
    county: str
    place: str | None = None  # the unit (UNIT) or service area (LEADERSHIP); None for a county

    def __post_init__(self) -> None:
        names = [self.county] + ([self.place] if self.place is not None else [])
        if len(names) != self.role.scope_parts:
            raise ValueError(
                f"a {self.role.value} scope is "
                + ("COUNTY" if self.role.scope_parts == 1 else "COUNTY.NAME")
                + f", not {self.scope!r}")
        for name in names:
            if not NAME.match(name):
                raise ValueError(f"{name!r} is not a valid name in a scope (a-z, 0-9 and -)")

    @property
    def scope(self) -> str:
        return self.county if self.place is None else f"{self.county}.{self.place}"

    @property
    def actor_role(self) -> ActorRole:
        return self.role.actor_role

    @classmethod
    def parse(cls, role: str, scope: str) -> Requester:
        """`Requester.parse("unit", "lappi.rovaniemen-terveysasema")`; ValueError if malformed."""
        try:
            kind = RequesterRole(role)
        except ValueError:
            raise ValueError(f"unknown role {role!r}: one of "
                             + ", ".join(r.value for r in RequesterRole)) from None
        parts = scope.split(".")
        if len(parts) != kind.scope_parts:
            raise ValueError(f"a {kind.value} scope is "
                             + ("COUNTY" if kind.scope_parts == 1 else "COUNTY.NAME")
                             + f", not {scope!r}")
        return cls(kind, parts[0], parts[1] if len(parts) == 2 else None)

    def username(self, prefix: str) -> str:
        return f"{prefix}{self.role.value}.{self.scope}"

    def request_topic(self, prefix: str) -> str:
        return f"{prefix}requests.{self.role.value}.{self.scope}"

    def routed_topic(self, prefix: str) -> str:
        return f"{prefix}routed.{self.role.value}.{self.scope}"


def requester_of_topic(prefix: str, topic: str) -> Requester | None:
    """The requester whose request topic this is, or None if it is not a request topic."""
    head = f"{prefix}requests."
    if not topic.startswith(head):
        return None
    role, _, scope = topic[len(head):].partition(".")
    try:
        return Requester.parse(role, scope)
    except ValueError:
        return None


def requester_of_username(prefix: str, username: str) -> Requester | None:
    """The requester a SCRAM user name stands for, or None (a system principal or a stranger)."""
    if not username.startswith(prefix):
        return None
    role, _, scope = username[len(prefix):].partition(".")
    try:
        return Requester.parse(role, scope)
    except ValueError:
        return None


def system_username(prefix: str, role: SystemRole) -> str:
    return f"{prefix}{role.value}"

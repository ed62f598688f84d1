"""What a unit manager asks for: lifecycle requests and a friendly pre-check. Pure, no I/O.

The worker is the authority on which steps are allowed (it rejects an illegal request to the
dead-letter topic). The pre-check runs the same state machine (streams/lifecycle.py) over the
item's history as the store has it, so that a person at a terminal hears "already acknowledged"
at once instead of after a round trip. The store may lag a few seconds: then the pre-check lets
through something the worker rejects, never the other way round for a settled history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter

from schemas.deadlines import FINNISH_TIME
from schemas.envelope import Code, ItemId
from schemas.lifecycle import (
    ActorRole,
    ItemAcknowledged,
    ItemClosed,
    ItemDecided,
    ItemEscalated,
    ItemPresented,
    ItemRelabelled,
    ItemReturned,
    ItemSeverityConfirmed,
    LifecycleEvent,
)
from schemas.taxonomy import Theme
from schemas.vocabulary import STEPS
from streams.lifecycle import LEADERSHIP_ROLES, IllegalTransition
from streams.lifecycle import ItemState as GuardState
from streams.lifecycle import apply as guard_apply

HUMAN_ROLES: tuple[ActorRole, ...] = tuple(r for r in ActorRole if r is not ActorRole.SYSTEM)

REQUEST_EVENTS: dict[str, type[LifecycleEvent]] = {
    "acknowledged": ItemAcknowledged,
    "escalated": ItemEscalated,
    "presented": ItemPresented,
    "decided": ItemDecided,
    "returned": ItemReturned,
    "closed": ItemClosed,
    # a person's word on the labels (docs/design.md §2.5)
    "severity_confirmed": ItemSeverityConfirmed,
    "relabelled": ItemRelabelled,
}

# What people see of a step: Finnish first, the step's code in parentheses (what the command
# line takes), e.g. "kuitattu johdossa (acknowledged by leadership)".
STEP_FI: dict[str, str] = {step: f"{words['fi']} ({words['en']})" for step, words in STEPS.items()}

_CODE: TypeAdapter[str] = TypeAdapter(Code)
_ITEM_ID: TypeAdapter[str] = TypeAdapter(ItemId)
# A back-dated step may be a little ahead of this machine's clock, not more.
CLOCK_SKEW = timedelta(minutes=5)


class RequestError(ValueError):
    """An argument the command cannot use; the message says which and why."""


@dataclass(frozen=True)
class ItemState:
    """The store's view of one item: where it belongs and its accepted lifecycle events, in
    the order of the lifecycle topic."""

    item_id: str
    county: str
    unit: str | None
    status: str
    history: tuple[LifecycleEvent, ...] = ()


def parse_unit(text: str) -> tuple[str, str]:
    """`<county>.<unit>`, e.g. lappi.rovaniemen-terveysasema."""
    county, dot, unit = text.partition(".")
    try:
        if not dot:
            raise ValueError("no dot")
        _CODE.validate_python(county)
        _CODE.validate_python(unit)
    except ValueError:
        raise RequestError(
            f"--unit {text!r}: give it as <county>.<unit>, for example "
            "lappi.rovaniemen-terveysasema (lower-case codes, digits and hyphens)"
        ) from None
    return county, unit


def parse_themes(text: str) -> tuple[Theme, ...]:
    """`--themes`: theme codes separated by commas; an empty text is "no theme"."""
    names = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [n for n in names if n not in {t.value for t in Theme}]
    if unknown:
        raise RequestError(
            f"--themes: unknown theme {unknown[0]!r}; the themes are "
            f"{', '.join(t.value for t in Theme)} (an empty --themes '' says: none)")
    if len(set(names)) != len(names):
        raise RequestError("--themes: a theme is given twice")
    return tuple(Theme(n) for n in names)


def check_item_id(text: str) -> str:
    try:
        return _ITEM_ID.validate_python(text)
    except ValueError:
        raise RequestError(
            f"{text!r} is not an item id: fb-, ws-, st- or ag- and 16 hex digits, "
            "e.g. fb-0123456789abcdef"
        ) from None


def parse_at(text: str | None, now: datetime) -> datetime:
    """`--at`: an ISO time (Finnish time when it has no offset), not in the future."""
    if text is None:
        return now
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise RequestError(
            f"--at {text!r} is not an ISO time; for example 2026-10-05T09:30 or "
            "2026-10-05T09:30:00+03:00"
        ) from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=FINNISH_TIME)
    if at > now + CLOCK_SKEW:
        raise RequestError(f"--at {text}: a step cannot be recorded in the future")
    return at


def step_key(step: str, actor_role: str) -> str:
    """The step an event stands for (leadership's acknowledgement is a step of its own)."""
    if step == "acknowledged" and actor_role in LEADERSHIP_ROLES:
        return "acknowledged_by_leadership"
    return step


def build_request(
    step: str,
    item: ItemState,
    actor_role: ActorRole,
    occurred_at: datetime,
    recorded_at: datetime,
    fields: dict[str, Any] | None = None,
) -> LifecycleEvent:
    """The lifecycle event a manager asks for, unsealed (the worker seals what it accepts)."""
    if actor_role is ActorRole.SYSTEM:
        raise RequestError("a person's step is never taken as role 'system'")
    cls = REQUEST_EVENTS[step]
    try:
        return cls(
            event_id=uuid.uuid4(), occurred_at=occurred_at, recorded_at=recorded_at,
            county=item.county, unit=item.unit, item_id=item.item_id, actor_role=actor_role,
            **(fields or {}),
        )
    except ValueError as exc:  # pydantic's ValidationError: a field too long, empty, ...
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in getattr(exc, "errors", lambda: [])()
        )
        raise RequestError(problems or str(exc)) from None


def precheck(item: ItemState, request: LifecycleEvent) -> str | None:
    """Why the worker will refuse this request, judged from the store's history of the item;
    None when it may accept it (or the history cannot be judged here: the worker decides)."""
    state: GuardState | None = None
    try:
        for event in item.history:
            state = guard_apply(state, event)
    except IllegalTransition:
        return None  # not a history the rules replay (e.g. cut short): leave it to the worker
    if state is None:
        return None
    try:
        guard_apply(state, request)
    except IllegalTransition as why:
        return str(why)
    return None
